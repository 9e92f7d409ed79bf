//! Which flags pick which binding of an operation: an id flag per accessor that takes an id,
//! a switch for a binding without ids.

use super::cli_error;
use super::help::call_help;
use crate::error::Result;
use crate::ir::cli::{CliTarget, TargetFlag};
use crate::ir::{Api, Operation};
use heck::ToKebabCase;
use std::collections::BTreeMap;

/// For each node, its parent and the accessor leading to it.
pub(super) fn parents(api: &Api) -> BTreeMap<usize, (usize, usize)> {
    let mut parents = BTreeMap::new();
    for (i, node) in api.nodes.iter().enumerate() {
        for (c, child) in node.children.iter().enumerate() {
            parents.insert(child.node, (i, c));
        }
    }
    parents
}

pub(super) fn plan_targets(
    api: &Api,
    op: &Operation,
    parents: &BTreeMap<usize, (usize, usize)>,
    pointer: &str,
) -> Result<(Vec<TargetFlag>, Vec<CliTarget>)> {
    let mut flags: BTreeMap<String, TargetFlag> = BTreeMap::new();
    let mut targets = Vec::new();
    let single = op.bindings.len() == 1;
    let no_id_count = op
        .bindings
        .iter()
        .filter(|b| b.path_params.is_empty())
        .count();
    for binding in &op.bindings {
        let docs_of = |wire: &str| {
            binding
                .path_params
                .iter()
                .find(|p| p.wire_name == wire)
                .and_then(|p| p.docs.clone())
                .unwrap_or_else(|| format!("The `{wire}` in {}.", binding.path))
        };
        // Walk up from the binding's builder to the version client.
        let mut chain = Vec::new();
        let mut node = binding.node;
        while let Some(&(parent, c)) = parents.get(&node) {
            let child = &api.nodes[parent].children[c];
            let ids: Vec<String> = child
                .params
                .iter()
                .map(|p| {
                    let flag = if child.params.len() == 1 {
                        child.accessor.name.to_kebab_case()
                    } else {
                        p.wire_name.to_kebab_case()
                    };
                    flags.entry(flag.clone()).or_insert_with(|| TargetFlag {
                        flag: flag.clone(),
                        value_name: Some(p.wire_name.to_uppercase().replace('-', "_")),
                        help: docs_of(&p.wire_name),
                        required: single,
                    });
                    flag
                })
                .collect();
            chain.push((child.accessor.clone(), ids));
            node = parent;
        }
        chain.reverse();
        let method_args: Vec<String> = binding
            .method_args
            .iter()
            .map(|a| {
                let flag = a.wire_name.to_kebab_case();
                flags.entry(flag.clone()).or_insert_with(|| TargetFlag {
                    flag: flag.clone(),
                    value_name: Some(a.wire_name.to_uppercase().replace('-', "_")),
                    help: docs_of(&a.wire_name),
                    required: single,
                });
                flag
            })
            .collect();
        let mut selecting: Vec<String> = chain
            .iter()
            .flat_map(|(_, ids)| ids.iter().cloned())
            .chain(method_args.iter().cloned())
            .collect();
        let mut default = single;
        if selecting.is_empty() && !single {
            // No id: a switch named after the first segment (`--me`), the default when no other
            // binding is also without ids.
            let Some((first, _)) = chain.first() else {
                return Err(cli_error(
                    pointer,
                    format!("binding {} has no path segment", binding.path),
                ));
            };
            let flag = first.name.to_kebab_case();
            flags.entry(flag.clone()).or_insert_with(|| TargetFlag {
                flag: flag.clone(),
                value_name: None,
                help: format!("Call {} {}.", op.http_method.as_str(), binding.path),
                required: false,
            });
            selecting.push(flag);
            default = no_id_count == 1;
        }
        selecting.sort();
        selecting.dedup();
        targets.push(CliTarget {
            flags: selecting,
            default,
            path: binding.path.clone(),
            call_help: call_help(op, binding),
            chain,
            method: binding.method.clone(),
            method_args,
            stream: binding.stream.as_ref().map(|stream| stream.name.clone()),
        });
    }
    for (a, ta) in targets.iter().enumerate() {
        if targets[a + 1..].iter().any(|t| t.flags == ta.flags) {
            return Err(cli_error(
                pointer,
                format!(
                    "two bindings take the same flags ({}), so no flag can tell them apart",
                    ta.flags.join(", ")
                ),
            ));
        }
    }
    Ok((flags.into_values().collect(), targets))
}
