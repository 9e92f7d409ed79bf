//! Following `$ref`s: JSON pointers of components and the transitive closure of what a
//! set of paths reaches.

use super::in_file;
use crate::error::Error;
use crate::yaml::Value;
use std::collections::BTreeMap;

/// Escapes a name for a JSON pointer token.
pub(super) fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

pub(super) fn component_pointer(kind: &str, name: &str) -> String {
    format!(
        "/components/{}/{}",
        pointer_token(kind),
        pointer_token(name)
    )
}

/// Splits `#/components/<kind>/<name>` into its kind and unescaped name.
pub(super) fn component_ref(reference: &str) -> Option<(String, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (kind, name) = rest.split_once('/')?;
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    Some((unescape(kind), unescape(name)))
}

/// Every `$ref` string anywhere inside `value`.
pub(super) fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Mapping(m) => {
            for (k, v) in m {
                if k.as_str() == Some("$ref")
                    && let Value::String(r) = v
                {
                    out.push(r.clone());
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Sequence(s) => s.iter().for_each(|v| collect_refs(v, out)),
        Value::Tagged(t) => collect_refs(&t.value, out),
        _ => {}
    }
}

/// The components reachable from `roots` through `$ref`. `resolve` looks a component up
/// (`Ok(None)` when no source defines it); `owner` names the document in the "not defined" error.
pub(super) fn closure<'v>(
    roots: impl IntoIterator<Item = &'v Value>,
    owner: &str,
    mut resolve: impl FnMut(&str, &str) -> Result<Option<Value>, Error>,
) -> Result<BTreeMap<(String, String), Value>, Error> {
    let mut needed: BTreeMap<(String, String), Value> = BTreeMap::new();
    let mut refs = Vec::new();
    for root in roots {
        collect_refs(root, &mut refs);
    }
    let mut from = "paths".to_owned();
    let mut queue: Vec<(String, String)> = Vec::new();
    loop {
        for r in refs.drain(..) {
            let Some((kind, name)) = component_ref(&r) else {
                continue; // external or non-component reference: left as written
            };
            if needed.contains_key(&(kind.clone(), name.clone())) {
                continue;
            }
            let Some(value) = resolve(&kind, &name)? else {
                return Err(in_file(
                    owner,
                    Error::invalid(
                        component_pointer(&kind, &name),
                        format!("`{r}` (referenced from {from}) is not defined"),
                    ),
                ));
            };
            needed.insert((kind.clone(), name.clone()), value);
            queue.push((kind, name));
        }
        let Some((kind, name)) = queue.pop() else {
            break;
        };
        from = format!("#/components/{kind}/{name}");
        collect_refs(&needed[&(kind, name)], &mut refs);
    }
    Ok(needed)
}
