//! The help texts of commands and groups: summary, description, and each target's path and
//! least privileged permissions.

use crate::ir::cli::{CliCommand, CliTarget};
use crate::ir::{Binding, Operation};

pub(super) fn first_paragraph(docs: &str) -> String {
    docs.trim()
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn about(op: &Operation) -> String {
    op.summary
        .as_deref()
        .or(op.description.as_deref())
        .map(first_paragraph)
        .unwrap_or_else(|| format!("Calls {}.", op.action))
}

pub(super) fn long_about(description: &str, targets: &[CliTarget]) -> String {
    let mut text = description.to_owned();
    text.push_str("\n\nTargets (pick one with the flags shown):");
    for target in targets {
        let flags = if target.flags.is_empty() {
            "(no flag)".to_owned()
        } else {
            target
                .flags
                .iter()
                .map(|f| format!("--{f}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let default = if target.default && targets.len() > 1 {
            " [default]"
        } else {
            ""
        };
        text.push_str(&format!("\n  {flags}{default}: {}", target.call_help));
    }
    text
}

/// The summary, then the description's first paragraph when it says more.
pub(super) fn description(op: &Operation) -> String {
    let mut text = about(op);
    if let Some(description) = &op.description {
        let description = first_paragraph(description);
        if description != text {
            text.push_str("\n\n");
            text.push_str(&description);
        }
    }
    text
}

/// `POST /me/presence/setPresence`, then the least privileged permissions on the next line.
pub(super) fn call_help(op: &Operation, binding: &Binding) -> String {
    let mut text = format!("{} {}", op.http_method.as_str(), binding.path);
    let permissions: Vec<String> = binding
        .permissions
        .iter()
        .map(|p| format!("{} {}", p.kind.label(), p.least))
        .collect();
    if !permissions.is_empty() {
        text.push_str(&format!(
            "\n      least privileged: {}",
            permissions.join("; ")
        ));
    }
    text
}

/// A command's help inside a group: the description, then the one binding it runs.
pub(super) fn group_long_about(command: &CliCommand, target: &CliTarget) -> String {
    format!("{}\n\nCalls {}", command.description, target.call_help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_paragraph_joins_lines() {
        assert_eq!(first_paragraph(" a\nb \n\nc"), "a b");
        assert_eq!(first_paragraph(""), "");
    }
}
