//! The `resource` string of a presence subscription, and how user ids are split into
//! subscriptions (SUBSCRIPTIONS.md R2).

use std::collections::BTreeSet;

/// At most this many user ids fit one presence subscription (R2, CREATE1).
pub const MAX_USERS_PER_SUBSCRIPTION: usize = 650;

/// The resource string for `ids` exactly as R2 rules: `/communications/presences/{id}` for one
/// user, `/communications/presences?$filter=id in ('a','b')` for several (quoted, separated by
/// commas without spaces). `ids` must be non-empty and at most
/// [`MAX_USERS_PER_SUBSCRIPTION`] long; [`chunks`] produces such lists.
///
/// Inside the `$filter` string literals a `'` is doubled, as OData escapes it, so an id cannot
/// close its literal and add filter text of its own. The path form is used only for an id of
/// path-safe characters; any other single id takes the filter form, where it stays quoted.
pub fn presence_resource(ids: &[String]) -> String {
    match ids {
        [one] if path_safe(one) => format!("/communications/presences/{one}"),
        many => {
            let quoted: Vec<String> = many
                .iter()
                .map(|id| format!("'{}'", id.replace('\'', "''")))
                .collect();
            format!(
                "/communications/presences?$filter=id in ({})",
                quoted.join(",")
            )
        }
    }
}

/// Ids are GUIDs or UPNs in practice; these characters cannot change what a path means.
fn path_safe(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'@'))
}

/// Why a list of user ids cannot be subscribed to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResourceError {
    /// The id at `index` (of the caller's list) is empty or only whitespace: it would become
    /// `''` in the filter, or the path of every presence.
    #[error("user id #{index} is blank")]
    BlankId {
        /// Its position in the list given.
        index: usize,
    },
}

/// [`chunks`], refusing a blank id instead of leaving it out.
pub fn checked_chunks<S: AsRef<str>>(ids: &[S]) -> Result<Vec<Vec<String>>, ResourceError> {
    if let Some(index) = ids.iter().position(|id| id.as_ref().trim().is_empty()) {
        return Err(ResourceError::BlankId { index });
    }
    Ok(chunks(ids))
}

/// Splits `ids` into lists of at most [`MAX_USERS_PER_SUBSCRIPTION`] distinct ids, keeping the
/// first occurrence of each (the 650 are distinct users, OVW), in the caller's order. Blank ids
/// are left out ([`checked_chunks`] refuses them).
pub fn chunks<S: AsRef<str>>(ids: &[S]) -> Vec<Vec<String>> {
    let mut seen = BTreeSet::new();
    let distinct: Vec<String> = ids
        .iter()
        .map(|id| id.as_ref().trim())
        .filter(|id| !id.is_empty() && seen.insert(id.to_owned()))
        .map(str::to_owned)
        .collect();
    distinct
        .chunks(MAX_USERS_PER_SUBSCRIPTION)
        .map(<[String]>::to_vec)
        .collect()
}

/// Whether a subscription's resource is a presence resource, with or without the leading `/`
/// (R5 step 2: Graph may echo it either way).
pub fn is_presence_resource(resource: &str) -> bool {
    normalize(resource).starts_with("communications/presences")
}

/// Whether two resource strings name the same thing, ignoring a leading `/`.
pub fn same_resource(a: &str, b: &str) -> bool {
    normalize(a) == normalize(b)
}

fn normalize(resource: &str) -> &str {
    resource.strip_prefix('/').unwrap_or(resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("u{i}")).collect()
    }

    #[test]
    fn one_user_is_a_path() {
        assert_eq!(
            presence_resource(&["a1".to_owned()]),
            "/communications/presences/a1"
        );
    }

    #[test]
    fn several_users_are_a_quoted_filter_without_spaces() {
        assert_eq!(
            presence_resource(&["a".to_owned(), "b".to_owned(), "c".to_owned()]),
            "/communications/presences?$filter=id in ('a','b','c')"
        );
    }

    #[test]
    fn chunks_hold_at_most_650_distinct_ids_in_order() {
        let mut input = ids(1400);
        input.insert(3, "u1".to_owned());
        input.push(" u5 ".to_owned());
        let out = chunks(&input);
        assert_eq!(
            out.iter().map(Vec::len).collect::<Vec<_>>(),
            [650, 650, 100]
        );
        assert_eq!(out[0][..3], ["u0", "u1", "u2"]);
        assert_eq!(out[1][0], "u650");
        assert_eq!(out[2][99], "u1399");
        assert!(chunks::<&str>(&[]).is_empty());
    }

    #[test]
    fn presence_resources_are_recognised_with_or_without_slash() {
        assert!(is_presence_resource("communications/presences/x"));
        assert!(is_presence_resource(
            "/communications/presences?$filter=id in ('x')"
        ));
        assert!(!is_presence_resource("/me/messages"));
        assert!(same_resource(
            "/communications/presences/x",
            "communications/presences/x"
        ));
        assert!(!same_resource(
            "/communications/presences/x",
            "/communications/presences/y"
        ));
    }

    #[test]
    fn quotes_are_doubled_inside_the_filter_literal() {
        let hostile = "x') or startswith(id,'".to_owned();
        assert_eq!(
            presence_resource(&["a".to_owned(), hostile.clone()]),
            "/communications/presences?$filter=id in ('a','x'') or startswith(id,''')"
        );
        // One id that is not path-safe takes the quoted filter form, not the path.
        assert_eq!(
            presence_resource(std::slice::from_ref(&hostile)),
            "/communications/presences?$filter=id in ('x'') or startswith(id,''')"
        );
        assert_eq!(
            presence_resource(&["a/b?c".to_owned()]),
            "/communications/presences?$filter=id in ('a/b?c')"
        );
        assert_eq!(
            presence_resource(&["someone@contoso.com".to_owned()]),
            "/communications/presences/someone@contoso.com"
        );
    }

    #[test]
    fn blank_ids_are_refused_or_left_out() {
        assert_eq!(
            checked_chunks(&["a", "  ", "b"]),
            Err(ResourceError::BlankId { index: 1 })
        );
        assert_eq!(
            checked_chunks(&[""]),
            Err(ResourceError::BlankId { index: 0 })
        );
        assert_eq!(
            checked_chunks(&["a", " a "]).unwrap(),
            [vec!["a".to_owned()]]
        );
        assert_eq!(chunks(&["", "b", " "]), [vec!["b".to_owned()]]);
    }
}
