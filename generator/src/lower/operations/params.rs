//! Parameters: merging path-item and operation lists, resolving `$ref`s, and lowering
//! query and header parameters.

use super::paths::template_params;
use crate::error::{Error, Result, pointer_join};
use crate::ir::{Param, ParamLocation};
use crate::lower::naming::{self, NameSet};
use crate::lower::schemas::TypeBuilder;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr};

/// Path-item parameters overridden by operation parameters of the same name and location.
pub(super) fn merged_params<'a>(
    doc: &'a OpenAPI,
    item: &'a PathItem,
    op: &'a openapiv3::Operation,
    pointer: &str,
    path_ptr: &str,
) -> Result<Vec<(&'a Parameter, String)>> {
    let mut out: Vec<(&'a Parameter, String)> = Vec::new();
    let sources = [
        (&item.parameters, pointer_join(path_ptr, "parameters")),
        (&op.parameters, pointer_join(pointer, "parameters")),
    ];
    for (list, list_ptr) in sources {
        for (index, param) in list.iter().enumerate() {
            let at = pointer_join(&list_ptr, &index.to_string());
            let param = resolve_param(doc, param, &at)?;
            let data = param.parameter_data_ref();
            match out.iter_mut().find(|(p, _)| {
                p.parameter_data_ref().name == data.name
                    && std::mem::discriminant(*p) == std::mem::discriminant(param)
            }) {
                Some(slot) => *slot = (param, at),
                None => out.push((param, at)),
            }
        }
    }
    Ok(out)
}

pub(super) fn resolve_param<'a>(
    doc: &'a OpenAPI,
    param: &'a ReferenceOr<Parameter>,
    at: &str,
) -> Result<&'a Parameter> {
    match param {
        ReferenceOr::Item(p) => Ok(p),
        ReferenceOr::Reference { reference } => {
            let key = local_ref(reference, "#/components/parameters/", at)?;
            match doc.components.as_ref().and_then(|c| c.parameters.get(key)) {
                Some(ReferenceOr::Item(p)) => Ok(p),
                Some(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
                    at,
                    "a parameter $ref that points to another $ref",
                )),
                None => Err(Error::invalid(
                    at,
                    format!("$ref {reference:?} points to a parameter that does not exist"),
                )),
            }
        }
    }
}

/// The key of a local reference of the given kind, or a precise error.
pub(super) fn local_ref<'r>(reference: &'r str, prefix: &str, at: &str) -> Result<&'r str> {
    if let Some(key) = reference.strip_prefix(prefix) {
        return Ok(key);
    }
    if !reference.starts_with('#') {
        return Err(Error::unsupported(
            at,
            format!("remote $ref {reference:?}: only references inside the document are supported"),
        ));
    }
    Err(Error::invalid(
        at,
        format!("$ref {reference:?} should point into {prefix}"),
    ))
}

pub(super) type SplitParams<'a> = (
    Vec<(&'a openapiv3::ParameterData, String)>,
    Vec<(&'a Parameter, String)>,
);

/// Path parameters in path order (each checked against the template), and the others.
pub(super) fn split_params<'a>(
    path: &str,
    params: Vec<(&'a Parameter, String)>,
    pointer: &str,
) -> Result<SplitParams<'a>> {
    let names =
        template_params(path).map_err(|m| Error::invalid(pointer_join("/paths", path), m))?;
    let mut path_params = Vec::new();
    let mut others = Vec::new();
    for (param, at) in params {
        match param {
            Parameter::Path { parameter_data, .. } => {
                if !names.contains(&parameter_data.name.as_str()) {
                    return Err(Error::invalid(
                        &at,
                        format!(
                            "path parameter {:?} is declared but does not appear in the path {path:?}",
                            parameter_data.name
                        ),
                    ));
                }
                path_params.push((parameter_data, at));
            }
            Parameter::Cookie { parameter_data, .. } => {
                return Err(Error::unsupported(
                    &at,
                    format!(
                        "cookie parameter {:?}: cookies are not sent by the client",
                        parameter_data.name
                    ),
                ));
            }
            Parameter::Query { .. } | Parameter::Header { .. } => others.push((param, at)),
        }
    }
    let mut ordered = Vec::with_capacity(names.len());
    for name in names {
        match path_params.iter().find(|(p, _)| p.name == name) {
            Some(found) => ordered.push(found.clone()),
            None => {
                return Err(Error::invalid(
                    pointer,
                    format!(
                        "path parameter {{{name}}} of {path:?} is not declared in `parameters`"
                    ),
                ));
            }
        }
    }
    Ok((ordered, others))
}

pub(super) fn lower_params(
    types: &mut TypeBuilder<'_>,
    params: &[(&Parameter, String)],
    stem: &str,
    path: &str,
) -> Result<Vec<Param>> {
    let mut names = NameSet::new();
    let mut out = Vec::with_capacity(params.len());
    for (param, at) in params {
        let (data, location) = match param {
            Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query),
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header),
            _ => unreachable!("path and cookie parameters are split off earlier"),
        };
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => types.type_of(
                schema,
                &pointer_join(at, "schema"),
                &crate::lower::schemas::Context::parameter(stem, &data.name),
            )?,
            ParameterSchemaOrContent::Content(_) => {
                return Err(Error::unsupported(
                    at,
                    format!(
                        "parameter {:?} described by `content` instead of `schema`",
                        data.name
                    ),
                ));
            }
        };
        // A function argument given as an OData parameter alias
        // (`presenceHistory(startDateTime=@startDateTime)`) is declared as the query parameter
        // `startDateTime`, but the service only resolves the alias when it is sent as
        // `@startDateTime=...`.
        let wire_name = if location == ParamLocation::Query && is_alias_in(path, &data.name) {
            format!("@{}", data.name)
        } else {
            data.name.clone()
        };
        let where_ = match location {
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        let docs = match data.description.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => text.to_owned(),
            _ => format!("The `{wire_name}` {where_} parameter."),
        };
        out.push(Param {
            name: super::nav::ident_of(names.claim(naming::snake(&data.name))),
            wire_name,
            location,
            docs,
            ty,
            required: data.required,
        });
    }
    Ok(out)
}

/// Whether `path` passes a function argument as the alias `@name` (`f(x=@name)`).
pub(super) fn is_alias_in(path: &str, name: &str) -> bool {
    let alias = format!("=@{name}");
    path.match_indices(&alias)
        .any(|(at, _)| matches!(path[at + alias.len()..].chars().next(), Some(',' | ')')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_found_only_as_whole_arguments() {
        let path = "/me/microsoft.graph.f(start=@start,end=@end)";
        assert!(is_alias_in(path, "start"));
        assert!(is_alias_in(path, "end"));
        assert!(!is_alias_in(path, "st"));
        assert!(!is_alias_in("/me/things", "start"));
    }
}
