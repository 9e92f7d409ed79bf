//! The project's vendor extensions: `x-graph-permissions` and `x-graph-clouds`.
//!
//! Both are optional (documents published by Microsoft carry neither); when present they must be
//! well-formed, because a typo would otherwise silently drop a permission from the docs.

use crate::error::{Error, Result, pointer_join};
use crate::ir::{Cloud, Permission, PermissionKind};
use indexmap::IndexMap;
use serde_json::Value;

pub const PERMISSIONS: &str = "x-graph-permissions";
pub const CLOUDS: &str = "x-graph-clouds";

/// Permissions per permission type, in the fixed order of [`PermissionKind::ALL`].
pub fn permissions(
    extensions: &IndexMap<String, Value>,
    op_pointer: &str,
) -> Result<Vec<Permission>> {
    let Some(value) = extensions.get(PERMISSIONS) else {
        return Ok(vec![]);
    };
    let at = pointer_join(op_pointer, PERMISSIONS);
    let map = value.as_object().ok_or_else(|| {
        Error::invalid(&at, "must be a map from permission type to {least, higher}")
    })?;
    for key in map.keys() {
        if !PermissionKind::ALL.iter().any(|k| k.key() == key) {
            let known: Vec<&str> = PermissionKind::ALL.iter().map(|k| k.key()).collect();
            return Err(Error::invalid(
                pointer_join(&at, key),
                format!("unknown permission type {key:?}; expected one of {known:?}"),
            ));
        }
    }
    let mut out = Vec::new();
    for kind in PermissionKind::ALL {
        let Some(entry) = map.get(kind.key()) else {
            continue;
        };
        let entry_ptr = pointer_join(&at, kind.key());
        let least = entry.get("least").and_then(Value::as_str).ok_or_else(|| {
            Error::invalid(
                &entry_ptr,
                "needs `least`: the least-privileged permission name",
            )
        })?;
        let higher = match entry.get("higher") {
            None => vec![],
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_str().map(str::to_owned).ok_or_else(|| {
                        Error::invalid(
                            pointer_join(&pointer_join(&entry_ptr, "higher"), &i.to_string()),
                            "permission names are strings",
                        )
                    })
                })
                .collect::<Result<_>>()?,
            Some(_) => {
                return Err(Error::invalid(
                    pointer_join(&entry_ptr, "higher"),
                    "must be a list of permission names",
                ));
            }
        };
        out.push(Permission {
            kind,
            least: least.to_owned(),
            higher,
        });
    }
    Ok(out)
}

/// National clouds the operation is available in; `None` when the document does not say.
pub fn clouds(
    extensions: &IndexMap<String, Value>,
    op_pointer: &str,
) -> Result<Option<Vec<Cloud>>> {
    let Some(value) = extensions.get(CLOUDS) else {
        return Ok(None);
    };
    let at = pointer_join(op_pointer, CLOUDS);
    let items = value
        .as_array()
        .ok_or_else(|| Error::invalid(&at, "must be a list of cloud names"))?;
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let name = item.as_str().unwrap_or_default();
        let cloud = Cloud::ALL
            .into_iter()
            .find(|c| c.key() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Cloud::ALL.iter().map(|c| c.key()).collect();
                Error::invalid(
                    pointer_join(&at, &i.to_string()),
                    format!("unknown cloud {item}; expected one of {known:?}"),
                )
            })?;
        if !out.contains(&cloud) {
            out.push(cloud);
        }
    }
    out.sort();
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ext(key: &str, value: Value) -> IndexMap<String, Value> {
        IndexMap::from([(key.to_owned(), value)])
    }

    #[test]
    fn reads_permissions_in_fixed_order() {
        let e = ext(
            PERMISSIONS,
            json!({"application": {"least": "A", "higher": ["B"]}, "delegatedWork": {"least": "D"}}),
        );
        let p = permissions(&e, "/op").unwrap();
        assert_eq!(p[0].kind, PermissionKind::DelegatedWork);
        assert_eq!(p[1].higher, vec!["B".to_owned()]);
    }

    #[test]
    fn rejects_unknown_permission_types_and_clouds() {
        let e = ext(PERMISSIONS, json!({"delegated": {"least": "D"}}));
        let err = permissions(&e, "/op").unwrap_err();
        assert_eq!(err.location.pointer, "/op/x-graph-permissions/delegated");
        let e = ext(CLOUDS, json!(["global", "mars"]));
        let err = clouds(&e, "/op").unwrap_err();
        assert_eq!(err.location.pointer, "/op/x-graph-clouds/1");
    }

    #[test]
    fn missing_extensions_mean_unknown() {
        assert_eq!(clouds(&IndexMap::new(), "/op").unwrap(), None);
        assert!(permissions(&IndexMap::new(), "/op").unwrap().is_empty());
    }
}
