//! The documentation of each generated method: what the spec says a caller needs.

use crate::ir::{Binding, Operation};

/// Summary, description, the HTTP method and path, least-privileged permissions per kind,
/// national clouds and documented error statuses of one binding.
pub(super) fn method_docs(version: &str, op: &Operation, binding: &Binding) -> String {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim_end_matches('.'));
        text.push_str(".\n\n");
    }
    if let Some(description) = &op.description
        && Some(description) != op.summary.as_ref()
    {
        text.push_str(description);
        text.push_str("\n\n");
    }
    if op.summary.is_none() && op.description.is_none() {
        text.push_str(&format!("The `{}` operation.\n\n", op.action));
    }
    text.push_str(&format!(
        "`{} {}` in the {version} API.\n\n",
        op.http_method.as_str(),
        binding.path
    ));
    // Three list items instead of headed sections: the same facts in a third of the lines,
    // which matters for a module of 139 operations (generated lines are compile time).
    if binding.permissions.is_empty() && binding.clouds.is_none() {
        text.push_str(
            "- Permissions and national clouds: not stated in the API description.
",
        );
    } else {
        text.push_str(&format!(
            "- Permissions, least privileged: {}\n",
            permission_lines(binding).join("; ")
        ));
        text.push_str(&format!("- National clouds: {}\n", cloud_line(binding)));
    }
    let documented: Vec<String> = op
        .error_statuses
        .iter()
        .filter(|s| *s != "default")
        .map(|s| format!("`{s}`"))
        .collect();
    if documented.is_empty() {
        text.push_str(
            "- Errors: a non-success status is `Error::Status`, with the parsed OData error.\n",
        );
    } else {
        text.push_str(&format!(
            "- Errors: a non-success status is `Error::Status`, with the parsed OData error; documented statuses: {}.\n",
            documented.join(", ")
        ));
    }
    text
}

fn permission_lines(binding: &Binding) -> Vec<String> {
    if binding.permissions.is_empty() {
        return vec!["not stated in the API description".to_owned()];
    }
    binding
        .permissions
        .iter()
        .map(|p| {
            let higher = if p.higher.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = p.higher.iter().map(|h| format!("`{h}`")).collect();
                format!(" (higher: {})", names.join(", "))
            };
            format!("{} `{}`{higher}", p.kind.label(), p.least)
        })
        .collect()
}

fn cloud_line(binding: &Binding) -> String {
    match &binding.clouds {
        Some(clouds) if clouds.is_empty() => "none".to_owned(),
        Some(clouds) => clouds
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(", "),
        None => "not stated in the API description".to_owned(),
    }
}

/// The docs of a binding's stream method: what it yields, how it pages, how to cap it.
pub(super) fn stream_docs(op: &Operation, binding: &Binding) -> String {
    let Some(paging) = &op.paging else {
        return String::new();
    };
    let item = match &paging.item {
        crate::ir::TypeRef::Named(name) => {
            format!("each [`{name}`](super::models::{name})")
        }
        _ => "each item".to_owned(),
    };
    let mut text = format!(
        "Every item of `{}`, page after page: {item} of the `value` of each page, following `@odata.nextLink` until the last page.\n\n",
        binding.call
    );
    text.push_str(&format!(
        "`{} {}` for the first page, then a `GET` of each next link, each through the client's runtime (a fresh token, its own `client-request-id`, retries, the same headers).\n\n",
        op.http_method.as_str(),
        binding.path
    ));
    text.push_str("- `max_items`: stop after that many items, without fetching further pages (`None` for all).\n");
    text.push_str("- Errors: the stream ends after its first error; a next link outside the client's base URL is `Error::NextLinkRefused`, not followed.\n");
    if !binding.permissions.is_empty() || binding.clouds.is_some() {
        text.push_str(&format!(
            "- Permissions and national clouds: as for `{}`.\n",
            binding.method
        ));
    }
    text
}
