//! The tenant allow-list (issue 22 item 7): Microsoft's own helper insists on one, since a
//! validation token from any tenant that subscribed to any app with our id would otherwise do.

/// Whether an item of `tenant` may pass: always with an empty list (none configured), else only
/// when its `tenantId` is listed (compared ignoring ASCII case: tenant ids are GUIDs).
pub(crate) fn allowed(list: &[String], tenant: Option<&str>) -> bool {
    list.is_empty() || tenant.is_some_and(|t| list.iter().any(|a| a.eq_ignore_ascii_case(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_tenants_pass_once_a_list_is_set() {
        assert!(allowed(&[], None));
        let list = vec!["6F1C2D3E-4A5B-4C6D-8E7F-901A2B3C4D5E".to_owned()];
        assert!(allowed(&list, Some("6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e")));
        assert!(!allowed(
            &list,
            Some("0d9e8f7a-1b2c-4d3e-9f4a-5b6c7d8e9f01")
        ));
        assert!(!allowed(&list, None));
    }
}
