//! Paths and operations → operations, their bindings, and the navigation tree.
//!
//! Graph binds one action to several paths (`/me/presence/setPresence`,
//! `/users/{user-id}/presence/setPresence`, ...). Operations are grouped by action name and
//! HTTP method; a group whose members agree on everything but the path is one operation (one
//! descriptor, one set of request types) with several bindings. Each binding is a method on the
//! builder of its path (see [`nav`]), so a binding the spec lacks is a method that does not exist.

mod bodies;
mod consistency;
mod docs;
mod names;
mod nav;
mod paging;
mod params;
mod paths;

use bodies::{BodyNames, lower_body, lower_responses};
pub use names::action_of;
use params::{lower_params, merged_params, split_params};
use paths::check_path_text;

use super::extensions;
use super::naming::{self, NameSet};
use super::schemas::TypeBuilder;
use crate::error::{Error, Result, pointer_join};
use crate::ir::{Binding, HttpMethod, Ident, NavNode, Operation, PathParam, Warning};
use indexmap::IndexMap;
use openapiv3::{OpenAPI, Parameter, PathItem, ReferenceOr};
use std::collections::BTreeMap;

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
    pub nodes: Vec<NavNode>,
    pub warnings: Vec<Warning>,
}

pub fn lower_operations(
    doc: &OpenAPI,
    types: &mut TypeBuilder<'_>,
    version: &str,
) -> Result<Lowered> {
    let mut warnings = Vec::new();
    let raw = collect(doc, &mut warnings)?;
    // Group by (method name, HTTP method), keeping first-seen order.
    let mut groups: IndexMap<(String, HttpMethod), Vec<RawOp<'_>>> = IndexMap::new();
    for op in raw {
        groups
            .entry((naming::snake(&op.action), op.method))
            .or_default()
            .push(op);
    }
    // Operation names only name types and descriptors now (methods come from the path tree).
    let mut method_names = NameSet::new();
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
            operations.push(lower_group(doc, types, method_name, part)?);
        }
    }
    operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
    let nodes = nav::build(&mut operations);
    name_descriptors(&mut operations, &nodes);
    for op in &mut operations {
        let calls: Vec<String> = op
            .bindings
            .iter()
            .map(|b| format!("`{}`", b.call))
            .collect();
        op.params_docs = format!("Query and header parameters of {}.", calls.join(" and "));
        for b in 0..op.bindings.len() {
            op.bindings[b].docs = docs::method_docs(version, op, &op.bindings[b]);
            let stream_docs = docs::stream_docs(op, &op.bindings[b]);
            if let Some(stream) = &mut op.bindings[b].stream {
                stream.docs = stream_docs;
            }
        }
    }
    Ok(Lowered {
        operations,
        nodes,
        warnings,
    })
}

/// Names the static descriptors: `SET_PRESENCE` for an operation, and for each binding its
/// builder and method (`USER_PRESENCE_SET_PRESENCE`), so the constant says where it is called.
fn name_descriptors(operations: &mut [Operation], nodes: &[NavNode]) {
    use heck::ToShoutySnakeCase;
    let mut names = NameSet::new();
    names.reserve("ALL");
    for op in operations.iter_mut() {
        op.descriptor = names.claim(naming::bare(&op.method_name).to_ascii_uppercase());
    }
    for op in operations.iter_mut() {
        for binding in &mut op.bindings {
            let node = &nodes[binding.node];
            let words = if binding.node == 0 {
                binding.method.name.clone()
            } else {
                format!("{} {}", node.type_name.name, binding.method.name)
            };
            binding.descriptor = names.claim(words.to_shouty_snake_case());
        }
    }
}

fn collect<'a>(doc: &'a OpenAPI, warnings: &mut Vec<Warning>) -> Result<Vec<RawOp<'a>>> {
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
            // Method names come from the path tree, so a reused operationId (Microsoft's
            // `Users.Actions` has some) names nothing twice; it only makes the descriptors'
            // `operation_id` ambiguous, which is worth a warning, not a refusal.
            if let Some(previous) = ids.get(&operation_id) {
                warnings.push(Warning {
                    pointer: pointer_join(&pointer, "operationId"),
                    message: format!(
                        "operationId {operation_id:?} is also used by another operation; generation goes on (methods are named from the paths)"
                    ),
                    also_at: Some(pointer_join(previous, "operationId")),
                });
            } else {
                ids.insert(operation_id.clone(), pointer.clone());
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

/// Serializes what must be equal for two bindings to share a method.
fn shape_of(method: &str, op: &openapiv3::Operation, others: &[(&Parameter, String)]) -> String {
    let params: Vec<&Parameter> = others.iter().map(|(p, _)| *p).collect();
    let mut value = serde_json::json!({
        "method": method,
        "params": params,
        "body": op.request_body,
        "responses": op.responses,
        // Bindings that disagree on the header are different operations.
        "consistency": op.extensions.get(consistency::CONSISTENCY_LEVEL),
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
                && (!key.starts_with("x-") || key == consistency::CONSISTENCY_LEVEL)
        });
    }
}

fn lower_group(
    doc: &OpenAPI,
    types: &mut TypeBuilder<'_>,
    method_name: String,
    members: Vec<RawOp<'_>>,
) -> Result<Operation> {
    let first = &members[0];
    let type_stem = naming::pascal(&method_name);
    let mut bindings = Vec::with_capacity(members.len());
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
        bindings.push(Binding {
            operation_id: member.operation_id.clone(),
            path: member.path.to_owned(),
            path_params,
            // Filled in once the navigation tree and the descriptor names are known.
            descriptor: String::new(),
            node: 0,
            method: Ident::plain(""),
            method_args: Vec::new(),
            call: String::new(),
            docs: String::new(),
            // Named with the method, in the path tree.
            stream: None,
            deprecated: member.op.deprecated,
            permissions: extensions::permissions(&member.op.extensions, &member.pointer)?,
            clouds: extensions::clouds(&member.op.extensions, &member.pointer)?,
        });
    }
    let op = first.op;
    let params = lower_params(types, &first.other_params, &type_stem, first.path)?;
    let params_default = params.iter().all(|p| !p.required);
    let params_type = if params.is_empty() {
        None
    } else {
        Some(types.names.claim(format!("{type_stem}Params")))
    };
    let body_names = BodyNames {
        stem: &type_stem,
        action: &first.action,
        summary: op.summary.as_deref(),
    };
    let body = match &op.request_body {
        None => None,
        Some(body) => Some(lower_body(
            doc,
            types,
            body,
            &pointer_join(&first.pointer, "requestBody"),
            &body_names,
        )?),
    };
    let (success, error_statuses) = lower_responses(doc, types, op, &first.pointer, &body_names)?;
    let paging = paging::paging_of(&success.body, &types.types);
    let fixed_headers =
        consistency::fixed_headers(&op.extensions, &first.pointer, &first.other_params, &params)?;
    Ok(Operation {
        method_name,
        descriptor: String::new(),
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
        params_docs: String::new(),
        params_default,
        body,
        success,
        error_statuses,
        paging,
        fixed_headers,
    })
}
