//! The `resource` string of a presence subscription, and how user ids are split into
//! subscriptions (SUBSCRIPTIONS.md R2).

use std::collections::BTreeSet;

/// At most this many user ids fit one presence subscription (R2, CREATE1).
pub const MAX_USERS_PER_SUBSCRIPTION: usize = 650;

/// The resource string for `ids` exactly as R2 rules: `/communications/presences/{id}` for one
/// user, `/communications/presences?$filter=id in ('a','b')` for several (quoted, separated by
/// commas without spaces). `ids` must be non-empty and at most
/// [`MAX_USERS_PER_SUBSCRIPTION`] long; [`chunks`] produces such lists.
pub fn presence_resource(ids: &[String]) -> String {
    match ids {
        [one] => format!("/communications/presences/{one}"),
        many => {
            let quoted: Vec<String> = many.iter().map(|id| format!("'{id}'")).collect();
            format!(
                "/communications/presences?$filter=id in ({})",
                quoted.join(",")
            )
        }
    }
}

/// Splits `ids` into lists of at most [`MAX_USERS_PER_SUBSCRIPTION`] distinct ids, keeping the
/// first occurrence of each (the 650 are distinct users, OVW), in the caller's order.
pub fn chunks<S: AsRef<str>>(ids: &[S]) -> Vec<Vec<String>> {
    let mut seen = BTreeSet::new();
    let distinct: Vec<String> = ids
        .iter()
        .map(|id| id.as_ref().trim())
        .filter(|id| seen.insert(id.to_owned()))
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
}
