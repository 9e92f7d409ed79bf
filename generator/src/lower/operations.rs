//! Paths and operations → client methods.
//!
//! Graph binds one action to several paths (`/me/presence/setPresence`,
//! `/users/{user-id}/presence/setPresence`, ...). Operations are grouped by action name and
//! HTTP method; a group whose members agree on everything but the path becomes one method that
//! takes a `Target` naming the resource. Members that differ in shape stay separate methods.

use super::extensions;
use super::naming::{self, NameSet};
use super::schemas::TypeBuilder;
use crate::error::{Error, Result, pointer_join};
use crate::ir::{
    Binding, BodyEncoding, HttpMethod, Operation, Param, ParamLocation, PathParam, PathSegment,
    RequestBody, Success, SuccessBody, TargetVariant,
};
use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody as OaBody,
    Response, StatusCode,
};
use std::collections::BTreeMap;

/// The namespace Graph puts in front of bound actions and functions in some documents.
const GRAPH_NAMESPACE: &str = "microsoft.graph.";

/// One operation of the spec, before grouping.
struct RawOp<'a> {
    pointer: String,
    path: &'a str,
    method: HttpMethod,
    op: &'a openapiv3::Operation,
    operation_id: String,
    /// The part of the operationId before the action (`user.presence`), used to split groups.
    binding_label: String,
    action: String,
    path_params: Vec<(&'a openapiv3::ParameterData, String)>,
    other_params: Vec<(&'a Parameter, String)>,
    /// Everything but the path, serialized, to compare group members.
    shape: String,
}

pub struct Lowered {
    pub operations: Vec<Operation>,
    pub targets: Vec<TargetVariant>,
}

pub fn lower_operations(doc: &OpenAPI, types: &mut TypeBuilder<'_>) -> Result<Lowered> {
    let raw = collect(doc)?;
    // Group by (method name, HTTP method), keeping first-seen order.
    let mut groups: IndexMap<(String, HttpMethod), Vec<RawOp<'_>>> = IndexMap::new();
    for op in raw {
        groups
            .entry((naming::snake(&op.action), op.method))
            .or_default()
            .push(op);
    }
    let mut method_names = NameSet::new();
    for reserved in ["new", "runtime"] {
        method_names.reserve(reserved);
    }
    let mut targets = Targets::default();
    let mut operations = Vec::new();
    // Same-named groups with different HTTP methods or shapes get their binding as a prefix.
    let mut name_counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut split_groups = Vec::new();
    for ((name, _), members) in groups {
        let mut parts: Vec<Vec<RawOp<'_>>> = Vec::new();
        for op in members {
            match parts.iter_mut().find(|p| p[0].shape == op.shape) {
                Some(part) => part.push(op),
                None => parts.push(vec![op]),
            }
        }
        *name_counts.entry(name.clone()).or_default() += parts.len();
        split_groups.push((name, parts));
    }
    for (name, parts) in split_groups {
        let ambiguous = name_counts[&name] > 1;
        for part in parts {
            let method_name = if ambiguous {
                naming::snake(&format!("{} {}", part[0].binding_label, part[0].action))
            } else {
                name.clone()
            };
            let method_name = method_names.claim(method_name);
            operations.push(lower_group(doc, types, &mut targets, method_name, part)?);
        }
    }
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    Ok(Lowered {
        operations,
        targets: targets.variants,
    })
}

fn collect(doc: &OpenAPI) -> Result<Vec<RawOp<'_>>> {
    let mut out = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in &doc.paths.paths {
        let path_ptr = pointer_join("/paths", path);
        let item: &PathItem = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                return Err(Error::unsupported(
                    &path_ptr,
                    format!("path item $ref {reference:?}"),
                ));
            }
        };
        if !path.starts_with('/') {
            return Err(Error::invalid(&path_ptr, "paths must start with '/'"));
        }
        check_path_text(path).map_err(|m| Error::invalid(&path_ptr, m))?;
        // A `servers` override moves its operations to another host; the client has one base
        // URL, so following it silently would send them to the wrong place.
        if !item.servers.is_empty() {
            return Err(Error::unsupported(
                pointer_join(&path_ptr, "servers"),
                "a path-level `servers` override (the client sends every operation to its one base URL)",
            ));
        }
        for (method, op) in item.iter() {
            let pointer = pointer_join(&path_ptr, method);
            if !op.servers.is_empty() {
                return Err(Error::unsupported(
                    pointer_join(&pointer, "servers"),
                    "an operation-level `servers` override (the client sends every operation to its one base URL)",
                ));
            }
            if !op.callbacks.is_empty() {
                return Err(Error::unsupported(
                    pointer_join(&pointer, "callbacks"),
                    "`callbacks` (requests the service makes to the caller cannot be generated as client methods)",
                ));
            }
            let Some(operation_id) = op.operation_id.clone() else {
                return Err(Error::invalid(
                    &pointer,
                    "operation has no operationId; every operation needs one to name its method",
                ));
            };
            if let Some(previous) = ids.insert(operation_id.clone(), pointer.clone()) {
                return Err(Error::invalid(
                    pointer_join(&pointer, "operationId"),
                    format!("operationId {operation_id:?} is also used at {previous}"),
                ));
            }
            let (binding_label, action) = action_of(&operation_id, path);
            let params = merged_params(doc, item, op, &pointer, &path_ptr)?;
            let (path_params, other_params) = split_params(path, params, &pointer)?;
            let shape = shape_of(method, op, &other_params);
            out.push(RawOp {
                pointer,
                path,
                method: http_method(method),
                op,
                operation_id,
                binding_label,
                action,
                path_params,
                other_params,
                shape,
            });
        }
    }
    Ok(out)
}

/// Splits an operationId like `user.presence_setPresence` into binding and action, preferring
/// the action segment of the path when Graph has mangled the id (`getPresencesGraphBPreUserId`).
///
/// Newer documents (generated by Kiota's tooling) separate with dots instead
/// (`communications.calls.participants.invite`) and append a hash to ids that would otherwise
/// repeat (`communications.calls.GetCount-6b5f`); the hash is dropped (method-name collisions are
/// resolved later, with readable prefixes) and the last dotted part is the action.
pub fn action_of(operation_id: &str, path: &str) -> (String, String) {
    let operation_id = without_hash_suffix(operation_id);
    let (label, from_id) = match operation_id
        .rsplit_once('_')
        .or_else(|| operation_id.rsplit_once('.'))
    {
        Some((label, action)) if !action.is_empty() => (label.to_owned(), action.to_owned()),
        _ => (String::new(), operation_id.to_owned()),
    };
    let mut segments = path.rsplit('/');
    let last = segments.next().unwrap_or_default();
    if let Some(action) = last.strip_prefix(GRAPH_NAMESPACE) {
        // `microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime=...)`: the name is
        // what precedes the argument list, after any further namespace.
        let action = action.split('(').next().unwrap_or(action);
        let action = action.rsplit('.').next().unwrap_or(action);
        if !action.is_empty() {
            return (label, action.to_owned());
        }
    }
    // `/communications/calls/$count` → `count calls`: every collection has one, and
    // `get_count` alone would only be told apart by a long binding prefix.
    if last == "$count"
        && let Some(collection) = segments.next()
        && !collection.is_empty()
        && !collection.starts_with('{')
    {
        let collection = collection
            .strip_prefix(GRAPH_NAMESPACE)
            .unwrap_or(collection);
        let collection = collection.split('(').next().unwrap_or(collection);
        return (label, format!("count {collection}"));
    }
    (label, singular_item_action(&from_id, path))
}

/// Graph names item operations after the navigation property, in the plural:
/// `communications_GetPresences` on `/communications/presences/{presence-id}` reads *one*
/// presence, and `communications_CreateCalls` creates one call. Read as written they give
/// `get_presences` next to `users_GetPresence`'s `get_presence` for the same operation, so:
/// - `Get`/`Update`/`Delete` + the collection, on `.../{collection}/{key-id}` → the verb + the key
///   (`GetPresence`), which also lets bindings of one operation group into one method;
/// - `Create` + the collection, on `.../{collection}` → the verb + the collection in the singular.
fn singular_item_action(action: &str, path: &str) -> String {
    let mut segments = path.rsplit('/');
    let (Some(last), Some(before)) = (segments.next(), segments.next()) else {
        return action.to_owned();
    };
    let names_collection = |verb: &str, collection: &str| {
        action.strip_prefix(verb).is_some_and(|rest| {
            let mut chars = collection.chars();
            chars.next().is_some_and(|first| {
                rest.starts_with(first.to_ascii_uppercase())
                    && rest.get(first.len_utf8()..) == Some(chars.as_str())
            })
        })
    };
    let pascal_first = |word: &str| {
        let mut chars = word.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        })
    };
    if let Some(key) = last
        .strip_prefix('{')
        .and_then(|k| k.strip_suffix("-id}"))
        .filter(|k| !k.is_empty() && !before.starts_with('{'))
    {
        for verb in ["Get", "Update", "Delete"] {
            if names_collection(verb, before) {
                return format!("{verb}{}", pascal_first(key));
            }
        }
    } else if !last.starts_with('{')
        && names_collection("Create", last)
        && let Some(one) = singular(last)
    {
        return format!("Create{}", pascal_first(one.as_str()));
    }
    action.to_owned()
}

/// The singular of a Graph collection name, for the regular plurals Graph uses (`calls`,
/// `policies`); `None` when the word does not look like one of those.
fn singular(collection: &str) -> Option<String> {
    if let Some(stem) = collection.strip_suffix("ies") {
        return (!stem.is_empty()).then(|| format!("{stem}y"));
    }
    if collection.ends_with("ss") || collection.ends_with("us") {
        return None;
    }
    collection
        .strip_suffix('s')
        .filter(|stem| stem.len() > 1)
        .map(str::to_owned)
}

/// `name-6b5f` → `name`: the four-hex-digit suffix Kiota adds to keep operationIds unique.
fn without_hash_suffix(operation_id: &str) -> &str {
    match operation_id.rsplit_once('-') {
        Some((stem, hash))
            if !stem.is_empty()
                && hash.len() == 4
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) =>
        {
            stem
        }
        _ => operation_id,
    }
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "get" => HttpMethod::Get,
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "patch" => HttpMethod::Patch,
        "head" => HttpMethod::Head,
        "options" => HttpMethod::Options,
        _ => HttpMethod::Trace,
    }
}

/// Path-item parameters overridden by operation parameters of the same name and location.
fn merged_params<'a>(
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

fn resolve_param<'a>(
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
fn local_ref<'r>(reference: &'r str, prefix: &str, at: &str) -> Result<&'r str> {
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

type SplitParams<'a> = (
    Vec<(&'a openapiv3::ParameterData, String)>,
    Vec<(&'a Parameter, String)>,
);

/// Path parameters in path order (each checked against the template), and the others.
fn split_params<'a>(
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

/// Refuses path templates whose literal text would change meaning once sent: a query or
/// fragment, dot segments (normalised away by URL parsers), and characters that are not
/// allowed unencoded in a URL path (spaces, controls, non-ASCII).
fn check_path_text(path: &str) -> std::result::Result<(), String> {
    if let Some(bad) = path.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(format!(
            "path {path:?} contains {bad:?}; a query or fragment belongs in `parameters`"
        ));
    }
    if let Some(bad) = path
        .chars()
        .find(|c| !c.is_ascii() || c.is_ascii_control() || *c == ' ' || *c == '\\')
    {
        return Err(format!(
            "path {path:?} contains {bad:?}, which cannot appear unencoded in a URL path"
        ));
    }
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Err(format!(
            "path {path:?} has a '.' or '..' segment, which URL normalisation would remove"
        ));
    }
    Ok(())
}

/// Names of the `{params}` of a path template, in order.
pub fn template_params(path: &str) -> std::result::Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("unclosed '{{' in path {path:?}"))?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("malformed parameter in path {path:?}"));
        }
        if names.contains(&name) {
            return Err(format!(
                "parameter {{{name}}} appears twice in path {path:?}"
            ));
        }
        names.push(name);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("unmatched '}}' in path {path:?}"));
    }
    Ok(names)
}

/// Serializes what must be equal for two bindings to share a method.
fn shape_of(method: &str, op: &openapiv3::Operation, others: &[(&Parameter, String)]) -> String {
    let params: Vec<&Parameter> = others.iter().map(|(p, _)| *p).collect();
    let mut value = serde_json::json!({
        "method": method,
        "params": params,
        "body": op.request_body,
        "responses": op.responses,
    });
    // Bindings of one operation differ in prose and in `links` (which name each binding's own
    // operationIds, e.g. `users.user.presence.clearPresence`); neither changes the Rust
    // signature, so neither may keep the bindings apart.
    if let Some(params) = value["params"].as_array_mut() {
        params.iter_mut().for_each(strip_prose);
    }
    strip_prose(&mut value["body"]);
    if let Some(responses) = value["responses"].as_object_mut() {
        for response in responses.values_mut() {
            strip_prose(response);
            if let Some(response) = response.as_object_mut() {
                response.remove("links");
            }
        }
    }
    value.to_string()
}

/// Removes the documentation-only keys of one parameter, body or response object (not of the
/// schemas inside it, where `description` could be a property's name).
fn strip_prose(value: &mut serde_json::Value) {
    if let Some(object) = value.as_object_mut() {
        object.retain(|key, _| {
            !matches!(key.as_str(), "description" | "example" | "examples")
                && !key.starts_with("x-")
        });
    }
}

#[derive(Default)]
struct Targets {
    variants: Vec<TargetVariant>,
    names: NameSet,
}

impl Targets {
    /// The variant for a binding: named after its last path parameter (`{user-id}` → `User`),
    /// or its first segment when it has none (`/me/...` → `Me`); reused across operations when
    /// name and fields agree.
    fn variant_for(&mut self, path: &str, fields: &[String], taken_in_op: &[String]) -> String {
        let candidates = [
            short_target_name(path),
            naming::pascal(&literal_words(path)),
        ];
        for candidate in &candidates {
            if taken_in_op.contains(candidate) {
                continue;
            }
            match self.variants.iter().find(|v| &v.name == candidate) {
                Some(existing) if existing.fields.len() == fields.len() => {
                    return candidate.clone();
                }
                Some(_) => continue,
                None => {
                    self.names.reserve(candidate);
                    self.variants.push(TargetVariant {
                        name: candidate.clone(),
                        fields: fields.to_vec(),
                        example_path: path.to_owned(),
                    });
                    return candidate.clone();
                }
            }
        }
        let name = self.names.claim(candidates[1].clone());
        self.variants.push(TargetVariant {
            name: name.clone(),
            fields: fields.to_vec(),
            example_path: path.to_owned(),
        });
        name
    }
}

fn short_target_name(path: &str) -> String {
    let params = template_params(path).unwrap_or_default();
    match params.last() {
        Some(last) => {
            let lower = last.to_ascii_lowercase();
            let stem = lower.trim_end_matches("-id").trim_end_matches("_id");
            let stem = if stem == "id" || stem.is_empty() {
                // `{id}`: name it after the collection before it (`users` → `User`).
                let before = &path[..path.find(&format!("{{{last}}}")).unwrap_or(0)];
                before
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("item")
                    .trim_end_matches('s')
                    .to_owned()
            } else if last.ends_with("Id") && last.len() > 2 {
                last[..last.len() - 2].to_owned()
            } else {
                stem.to_owned()
            };
            naming::pascal(&stem)
        }
        None => naming::pascal(
            path.trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("root"),
        ),
    }
}

fn literal_words(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(|s| s.trim_start_matches(GRAPH_NAMESPACE))
        .collect::<Vec<_>>()
        .join(" ")
}

fn lower_group(
    doc: &OpenAPI,
    types: &mut TypeBuilder<'_>,
    targets: &mut Targets,
    method_name: String,
    members: Vec<RawOp<'_>>,
) -> Result<Operation> {
    let first = &members[0];
    let type_stem = naming::pascal(&method_name);
    let mut bindings = Vec::with_capacity(members.len());
    let mut taken_in_op: Vec<String> = Vec::new();
    for member in &members {
        let path_params: Vec<PathParam> = member
            .path_params
            .iter()
            .map(|(p, _)| PathParam {
                name: naming::snake(&p.name),
                wire_name: p.name.clone(),
                docs: p.description.clone(),
            })
            .collect();
        let segments = segments_of(member.path, &path_params);
        let target = if members.len() > 1 {
            let fields: Vec<String> = path_params.iter().map(|p| p.name.clone()).collect();
            let name = targets.variant_for(member.path, &fields, &taken_in_op);
            taken_in_op.push(name.clone());
            Some(name)
        } else {
            None
        };
        bindings.push(Binding {
            operation_id: member.operation_id.clone(),
            path: member.path.to_owned(),
            segments,
            path_params,
            target,
            permissions: extensions::permissions(&member.op.extensions, &member.pointer)?,
            clouds: extensions::clouds(&member.op.extensions, &member.pointer)?,
        });
    }
    let op = first.op;
    let params = lower_params(types, &first.other_params, &type_stem, first.path)?;
    let params_type = if params.is_empty() {
        None
    } else {
        Some(types.names.claim(format!("{type_stem}Params")))
    };
    let body = match &op.request_body {
        None => None,
        Some(body) => Some(lower_body(
            doc,
            types,
            body,
            &pointer_join(&first.pointer, "requestBody"),
            &type_stem,
        )?),
    };
    let (success, error_statuses) = lower_responses(doc, types, op, &first.pointer, &type_stem)?;
    Ok(Operation {
        method_name,
        action: first.action.clone(),
        summary: op.summary.clone().map(|s| s.trim().to_owned()),
        description: op.description.clone().map(|s| s.trim().to_owned()),
        http_method: first.method,
        // Upstream documents deprecate some paths of an action but not others (beta retires the
        // `/users/{user-id}/presence/...` spellings); the method is deprecated only when every
        // path is, so a caller of a live binding gets no false warning.
        deprecated: members.iter().all(|m| m.op.deprecated),
        bindings,
        params,
        params_type,
        body,
        success,
        error_statuses,
    })
}

/// Splits a path template into literal text and parameter slots.
fn segments_of(path: &str, params: &[PathParam]) -> Vec<PathSegment> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = open + rest[open..].find('}').expect("validated template");
        let name = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.wire_name == name)
            .expect("validated parameter");
        rest = &rest[close + 1..];
        let quoted = path[..path.len() - rest.len() - name.len() - 2].ends_with('\'')
            && rest.starts_with('\'');
        segments.push(if quoted {
            PathSegment::QuotedParam(index)
        } else {
            PathSegment::Param(index)
        });
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    segments
}

fn lower_params(
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
                &format!("{stem} {}", data.name),
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
        out.push(Param {
            name: names.claim(naming::snake(&data.name)),
            wire_name,
            location,
            docs: data.description.clone(),
            ty,
            required: data.required,
        });
    }
    Ok(out)
}

/// Whether `path` passes a function argument as the alias `@name` (`f(x=@name)`).
fn is_alias_in(path: &str, name: &str) -> bool {
    let alias = format!("=@{name}");
    path.match_indices(&alias)
        .any(|(at, _)| matches!(path[at + alias.len()..].chars().next(), Some(',' | ')')))
}

fn lower_body(
    doc: &OpenAPI,
    types: &mut TypeBuilder<'_>,
    body: &ReferenceOr<OaBody>,
    pointer: &str,
    stem: &str,
) -> Result<RequestBody> {
    let body = match body {
        ReferenceOr::Item(b) => b,
        ReferenceOr::Reference { reference } => {
            let key = local_ref(reference, "#/components/requestBodies/", pointer)?;
            match doc
                .components
                .as_ref()
                .and_then(|c| c.request_bodies.get(key))
            {
                Some(ReferenceOr::Item(b)) => b,
                Some(ReferenceOr::Reference { .. }) => {
                    return Err(Error::unsupported(
                        pointer,
                        "a requestBody $ref that points to another $ref",
                    ));
                }
                None => {
                    return Err(Error::invalid(
                        pointer,
                        format!("$ref {reference:?} points to a request body that does not exist"),
                    ));
                }
            }
        }
    };
    let content_ptr = pointer_join(pointer, "content");
    let (media, encoding) = pick_media(&body.content).ok_or_else(|| {
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        if types.is_empty() {
            Error::invalid(&content_ptr, "request body has no content")
        } else {
            Error::unsupported(&content_ptr, format!("request body media type(s) {types:?}; supported: JSON, text/plain, application/octet-stream"))
        }
    })?;
    let media_ptr = pointer_join(&content_ptr, media);
    let ty = match encoding {
        BodyEncoding::Json => match &body.content[media].schema {
            Some(schema) => types.body_type(
                schema,
                &pointer_join(&media_ptr, "schema"),
                &format!("{stem} request"),
            )?,
            None => crate::ir::TypeRef::Json,
        },
        BodyEncoding::Text => crate::ir::TypeRef::String,
        BodyEncoding::Binary => crate::ir::TypeRef::Bytes,
    };
    Ok(RequestBody {
        ty,
        docs: body.description.clone(),
        encoding,
    })
}

/// The media type to use: JSON first, then text, then raw bytes; form and multipart bodies are
/// not supported (and reported as such by the caller).
fn pick_media(content: &IndexMap<String, openapiv3::MediaType>) -> Option<(&str, BodyEncoding)> {
    let find = |pred: &dyn Fn(&str) -> bool| {
        content
            .keys()
            .find(|k| pred(&k.to_ascii_lowercase()))
            .map(String::as_str)
    };
    if let Some(k) = find(&|k| {
        k == "application/json"
            || k.starts_with("application/json;")
            || k.ends_with("+json")
            || k == "*/*"
    }) {
        return Some((k, BodyEncoding::Json));
    }
    if let Some(k) = find(&|k| k.starts_with("text/")) {
        return Some((k, BodyEncoding::Text));
    }
    if let Some(k) = find(&|k| {
        k == "application/octet-stream"
            || k.starts_with("image/")
            || k.starts_with("video/")
            || k.starts_with("audio/")
    }) {
        return Some((k, BodyEncoding::Binary));
    }
    None
}

fn lower_responses(
    doc: &OpenAPI,
    types: &mut TypeBuilder<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    stem: &str,
) -> Result<(Success, Vec<String>)> {
    let responses_ptr = pointer_join(pointer, "responses");
    let mut statuses = Vec::new();
    let mut body = SuccessBody::Empty;
    let mut errors = Vec::new();
    for (code, response) in &op.responses.responses {
        let key = code.to_string();
        let at = pointer_join(&responses_ptr, &key);
        let is_success = match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        };
        if !is_success {
            let is_error = match code {
                StatusCode::Code(c) => *c >= 400,
                StatusCode::Range(r) => *r >= 4,
            };
            if is_error {
                errors.push(key);
            }
            continue;
        }
        statuses.push(key);
        let response = resolve_response(doc, response, &at)?;
        if body == SuccessBody::Empty && !response.content.is_empty() {
            body = response_body(types, response, &pointer_join(&at, "content"), stem)?;
        }
    }
    if op.responses.default.is_some() {
        errors.push("default".to_owned());
    }
    if statuses.is_empty()
        && let Some(default) = &op.responses.default
    {
        // Only a `default` response: it describes success too.
        let at = pointer_join(&responses_ptr, "default");
        let response = resolve_response(doc, default, &at)?;
        statuses.push("2XX".to_owned());
        if !response.content.is_empty() {
            body = response_body(types, response, &pointer_join(&at, "content"), stem)?;
        }
    }
    if statuses.is_empty() {
        return Err(Error::invalid(
            &responses_ptr,
            "no success (2XX) response is documented",
        ));
    }
    Ok((Success { statuses, body }, errors))
}

fn resolve_response<'a>(
    doc: &'a OpenAPI,
    response: &'a ReferenceOr<Response>,
    at: &str,
) -> Result<&'a Response> {
    match response {
        ReferenceOr::Item(r) => Ok(r),
        ReferenceOr::Reference { reference } => {
            let key = local_ref(reference, "#/components/responses/", at)?;
            match doc.components.as_ref().and_then(|c| c.responses.get(key)) {
                Some(ReferenceOr::Item(r)) => Ok(r),
                Some(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
                    at,
                    "a response $ref that points to another $ref",
                )),
                None => Err(Error::invalid(
                    at,
                    format!("$ref {reference:?} points to a response that does not exist"),
                )),
            }
        }
    }
}

fn response_body(
    types: &mut TypeBuilder<'_>,
    response: &Response,
    content_ptr: &str,
    stem: &str,
) -> Result<SuccessBody> {
    let Some((media, encoding)) = pick_media(&response.content) else {
        return Ok(SuccessBody::Binary);
    };
    Ok(match encoding {
        BodyEncoding::Json => match &response.content[media].schema {
            Some(schema) => {
                let at = pointer_join(&pointer_join(content_ptr, media), "schema");
                SuccessBody::Json(types.body_type(schema, &at, &format!("{stem} response"))?)
            }
            None => SuccessBody::Json(crate::ir::TypeRef::Json),
        },
        BodyEncoding::Text => match &response.content[media].schema {
            Some(schema) if types.is_integer(schema) => SuccessBody::Integer,
            _ => SuccessBody::Text,
        },
        BodyEncoding::Binary => SuccessBody::Binary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_comes_from_operation_id_or_graph_path() {
        assert_eq!(
            action_of(
                "user.presence_setPresence",
                "/users/{user-id}/presence/setPresence"
            ),
            ("user.presence".into(), "setPresence".into())
        );
        assert_eq!(
            action_of(
                "communication_getPresencesGraphBPreUserId",
                "/communications/microsoft.graph.getPresencesByUserId"
            ),
            ("communication".into(), "getPresencesByUserId".into())
        );
        assert_eq!(
            action_of(
                "communications.calls.participants.invite",
                "/communications/calls/{call-id}/participants/microsoft.graph.invite"
            ),
            ("communications.calls.participants".into(), "invite".into())
        );
        assert_eq!(
            action_of("communications.ListCalls", "/communications/calls"),
            ("communications".into(), "ListCalls".into())
        );
        assert_eq!(
            action_of(
                "communications.calls.GetCount-6b5f",
                "/communications/calls/$count"
            ),
            ("communications.calls".into(), "count calls".into())
        );
        assert_eq!(
            action_of(
                "communications.callRecords.getDirectRoutingCalls-1bd2",
                "/communications/callRecords/microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime={fromDateTime})"
            ),
            (
                "communications.callRecords".into(),
                "getDirectRoutingCalls".into()
            )
        );
        // Item operations named after the (plural) collection read as the one item.
        assert_eq!(
            action_of(
                "communications_GetPresences",
                "/communications/presences/{presence-id}"
            ),
            ("communications".into(), "GetPresence".into())
        );
        assert_eq!(
            action_of(
                "communications.calls_DeleteOperations",
                "/communications/calls/{call-id}/operations/{commsOperation-id}"
            ),
            ("communications.calls".into(), "DeleteCommsOperation".into())
        );
        assert_eq!(
            action_of("communications_CreateCalls", "/communications/calls"),
            ("communications".into(), "CreateCall".into())
        );
        assert_eq!(
            action_of("directory_CreatePolicies", "/directory/policies"),
            ("directory".into(), "CreatePolicy".into())
        );
        // Lists stay plural; ids that do not name the collection are left alone.
        assert_eq!(
            action_of("communications_ListCalls", "/communications/calls"),
            ("communications".into(), "ListCalls".into())
        );
        assert_eq!(
            action_of("users_GetPresence", "/users/{user-id}/presence"),
            ("users".into(), "GetPresence".into())
        );
        assert_eq!(
            action_of(
                "communications_GetOnlineMeetingsAttendeeReport",
                "/communications/onlineMeetings/{onlineMeeting-id}/attendeeReport"
            ),
            (
                "communications".into(),
                "GetOnlineMeetingsAttendeeReport".into()
            )
        );
        // Not a hash: kept as written.
        assert_eq!(
            action_of("list-things", "/things"),
            (String::new(), "list-things".into())
        );
        assert_eq!(
            action_of("listThings", "/things"),
            (String::new(), "listThings".into())
        );
        assert_eq!(
            action_of(
                "user_reminderView",
                "/users/{user-id}/microsoft.graph.reminderView(StartDateTime='{StartDateTime}')"
            ),
            ("user".into(), "reminderView".into())
        );
    }

    #[test]
    fn aliases_are_found_only_as_whole_arguments() {
        let path = "/me/microsoft.graph.f(start=@start,end=@end)";
        assert!(is_alias_in(path, "start"));
        assert!(is_alias_in(path, "end"));
        assert!(!is_alias_in(path, "st"));
        assert!(!is_alias_in("/me/things", "start"));
    }

    #[test]
    fn template_params_are_checked() {
        assert_eq!(
            template_params("/users/{user-id}/presence").unwrap(),
            vec!["user-id"]
        );
        assert!(template_params("/users/{user-id/presence").is_err());
        assert!(template_params("/users/{a}/{a}").is_err());
        assert!(template_params("/users/a}").is_err());
    }

    #[test]
    fn target_names_follow_the_last_parameter() {
        assert_eq!(short_target_name("/me/presence/setPresence"), "Me");
        assert_eq!(short_target_name("/users/{user-id}/presence"), "User");
        assert_eq!(
            short_target_name("/communications/presences/{presence-id}"),
            "Presence"
        );
        assert_eq!(short_target_name("/users/{id}/presence"), "User");
        assert_eq!(short_target_name("/users/{usersId}/presence"), "Users");
    }
}
