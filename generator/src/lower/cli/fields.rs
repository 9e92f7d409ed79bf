//! Flags for a request body's top-level fields and for query and header parameters, each typed
//! from its schema, with its help text.

use super::help::first_paragraph;
use crate::error::{Error, ErrorKind, Result};
use crate::ir::Ident;
use crate::ir::cli::{CliBody, CliField, CliParams, FlagKind};
use crate::ir::{BodyEncoding, Operation, TypeDef, TypeKind, TypeRef};
use heck::ToKebabCase;
use std::collections::BTreeMap;

pub(super) fn plan_body(
    op: &Operation,
    types: &BTreeMap<&str, &TypeDef>,
    pointer: &str,
) -> Result<Option<CliBody>> {
    let Some(body) = &op.body else {
        return Ok(None);
    };
    match body.encoding {
        BodyEncoding::EmptyObject => return Ok(None),
        BodyEncoding::Json => {}
        BodyEncoding::Text | BodyEncoding::Binary => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "",
                format!(
                    "command line for {pointer}: the command line sends JSON request bodies \
                     only, not text or binary ones; leave this operation out of the fragment \
                     (a `remove` action in spec/<version>/overlay.yaml)"
                ),
            ));
        }
    }
    let fields = match resolve(&body.ty, types) {
        Some(TypeKind::Struct { fields, .. }) => fields
            .iter()
            .filter(|f| !f.read_only)
            .map(|f| CliField {
                flag: f.wire_name.to_kebab_case(),
                wire_name: f.wire_name.clone(),
                help: field_help(&f.docs, &kind_of(&f.ty, types), f.required),
                kind: kind_of(&f.ty, types),
                required: f.required,
            })
            .collect(),
        _ => Vec::new(),
    };
    Ok(Some(CliBody {
        ty: body.ty.clone(),
        fields,
    }))
}

pub(super) fn plan_params(op: &Operation, types: &BTreeMap<&str, &TypeDef>) -> Option<CliParams> {
    let type_name = op.params_type.clone()?;
    let fields = op
        .params
        .iter()
        .map(|p| {
            let kind = kind_of(&p.ty, types);
            (
                p.name.clone(),
                CliField {
                    flag: p.wire_name.to_kebab_case(),
                    wire_name: p.wire_name.clone(),
                    help: field_help(&p.docs, &kind, p.required),
                    kind,
                    required: p.required,
                },
            )
        })
        .collect();
    Some(CliParams {
        type_name: Ident::plain(type_name),
        fields,
    })
}

/// The definition behind a type reference, through aliases.
fn resolve<'a>(ty: &TypeRef, types: &BTreeMap<&str, &'a TypeDef>) -> Option<&'a TypeKind> {
    let mut ty = ty.clone();
    // Alias chains are short; the bound keeps a malformed cycle from looping.
    for _ in 0..16 {
        let (TypeRef::Named(name) | TypeRef::Boxed(name)) = &ty else {
            return None;
        };
        let def = types.get(name.as_str())?;
        match &def.kind {
            TypeKind::Alias { target } => ty = target.clone(),
            kind => return Some(kind),
        }
    }
    None
}

/// How a value of `ty` is given on the command line.
pub fn kind_of(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>) -> FlagKind {
    match ty {
        TypeRef::String | TypeRef::Bytes => FlagKind::String,
        TypeRef::Bool => FlagKind::Bool,
        TypeRef::I32 | TypeRef::I64 => FlagKind::Integer,
        TypeRef::F32 | TypeRef::F64 => FlagKind::Number,
        TypeRef::DateTime => FlagKind::DateTime,
        TypeRef::Date => FlagKind::Date,
        TypeRef::Duration => FlagKind::Duration,
        TypeRef::Json | TypeRef::Map(_) => FlagKind::Json,
        TypeRef::Vec(inner) => match kind_of(inner, types) {
            FlagKind::Json | FlagKind::List(_) => FlagKind::Json,
            scalar => FlagKind::List(Box::new(scalar)),
        },
        TypeRef::Named(name) | TypeRef::Boxed(name) => match resolve(ty, types) {
            Some(TypeKind::Enum { variants, .. }) => {
                FlagKind::Enum(variants.iter().map(|v| v.wire_value.clone()).collect())
            }
            Some(TypeKind::Struct { .. }) => FlagKind::Json,
            _ => match types.get(name.as_str()).map(|d| &d.kind) {
                Some(TypeKind::Alias { target }) => kind_of(target, types),
                _ => FlagKind::Json,
            },
        },
    }
}

/// The help of a value flag: the spec's words, then what the flag accepts.
fn field_help(docs: &str, kind: &FlagKind, required: bool) -> String {
    let mut help = first_paragraph(docs);
    let accepts = accepts(kind);
    if !accepts.is_empty() {
        help.push(' ');
        help.push_str(&accepts);
    }
    if required {
        help.push_str(" Required (here or in --body).");
    }
    help
}

fn accepts(kind: &FlagKind) -> String {
    match kind {
        FlagKind::String => String::new(),
        FlagKind::Bool => "`true` or `false`.".to_owned(),
        FlagKind::Integer => "A whole number.".to_owned(),
        FlagKind::Number => "A number.".to_owned(),
        FlagKind::DateTime => "An RFC 3339 instant, e.g. 2026-01-01T09:00:00Z.".to_owned(),
        FlagKind::Date => "A date, e.g. 2026-01-01.".to_owned(),
        FlagKind::Duration => "An ISO 8601 duration, e.g. PT1H.".to_owned(),
        FlagKind::Enum(values) => format!(
            "Known values: {}; others are sent as given.",
            values.join(", ")
        ),
        FlagKind::Json => "JSON text.".to_owned(),
        FlagKind::List(inner) => {
            let inner = accepts(inner);
            format!("Repeat the flag or separate values with commas. {inner}")
                .trim_end()
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_help_names_the_inner_kind() {
        assert_eq!(
            accepts(&FlagKind::List(Box::new(FlagKind::Duration))),
            "Repeat the flag or separate values with commas. An ISO 8601 duration, e.g. PT1H."
        );
        assert_eq!(
            accepts(&FlagKind::List(Box::new(FlagKind::String))),
            "Repeat the flag or separate values with commas."
        );
    }
}
