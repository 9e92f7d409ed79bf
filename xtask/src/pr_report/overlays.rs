//! Which overlay actions a change added, removed or changed, named by target and description.
//!
//! Actions have no ids. Identical actions (target, description and change) pair up first; of
//! the rest, an action after is paired with one before on the same target ("changed"); what
//! is left over on either side was added or removed.

use generator::overlay::{Action, Change, Overlay};

/// What happened to one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Added,
    Removed,
    Changed,
}

/// One action that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionEdit {
    pub edit: Edit,
    pub target: String,
    /// The description after (before, for a removed action).
    pub description: String,
    /// `update`, `remove` or `copy`.
    pub kind: &'static str,
}

fn kind(action: &Action) -> &'static str {
    match action.change {
        Change::Update(_) => "update",
        Change::Remove => "remove",
        Change::Copy { .. } => "copy",
    }
}

fn edit(edit: Edit, action: &Action) -> ActionEdit {
    ActionEdit {
        edit,
        target: action.target.clone(),
        description: action.description.clone().unwrap_or_default(),
        kind: kind(action),
    }
}

/// The action edits from `old` to `new` (either may be absent: an overlay added or deleted),
/// in the order of the new overlay, then removed ones in the order of the old.
pub fn compare(
    label: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<Vec<ActionEdit>, String> {
    let parse = |text: Option<&str>, when: &str| -> Result<Vec<Action>, String> {
        match text {
            None => Ok(Vec::new()),
            Some(text) => Overlay::parse(label, text)
                .map(|o| o.actions)
                .map_err(|e| format!("{label} ({when}): {e}")),
        }
    };
    let old = parse(old, "before")?;
    let new = parse(new, "after")?;
    let same = |a: &Action, b: &Action| {
        a.target == b.target && a.description == b.description && a.change == b.change
    };
    let mut unmatched_old: Vec<Option<&Action>> = old.iter().map(Some).collect();
    // First the actions that did not change at all, so that an action inserted among several
    // on the same target (`$.paths` has many) does not shift every later pairing.
    let mut unmatched_new: Vec<Option<&Action>> = new
        .iter()
        .map(|action| {
            let twin = unmatched_old
                .iter_mut()
                .find(|slot| slot.is_some_and(|o| same(o, action)))
                .and_then(Option::take);
            twin.is_none().then_some(action)
        })
        .collect();
    let mut edits = Vec::new();
    for action in unmatched_new.iter_mut().filter_map(Option::take) {
        let partner = unmatched_old
            .iter_mut()
            .find(|slot| slot.is_some_and(|o| o.target == action.target))
            .and_then(Option::take);
        edits.push(match partner {
            None => edit(Edit::Added, action),
            Some(_) => edit(Edit::Changed, action),
        });
    }
    edits.extend(
        unmatched_old
            .into_iter()
            .flatten()
            .map(|action| edit(Edit::Removed, action)),
    );
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n";

    fn overlay(actions: &str) -> String {
        format!("{HEAD}{actions}")
    }

    #[test]
    fn pairs_actions_by_target() {
        let old = overlay(
            "- target: $.a\n  description: Keep.\n  remove: true\n\
             - target: $.b\n  description: Old words.\n  remove: true\n\
             - target: $.c\n  description: Gone.\n  remove: true\n",
        );
        let new = overlay(
            "- target: $.a\n  description: Keep.\n  remove: true\n\
             - target: $.b\n  description: New words.\n  remove: true\n\
             - target: $.d\n  description: Fresh.\n  update: {x: 1}\n",
        );
        let edits = compare("o.yaml", Some(&old), Some(&new)).unwrap();
        let summary: Vec<(Edit, &str, &str)> = edits
            .iter()
            .map(|e| (e.edit.clone(), e.target.as_str(), e.kind))
            .collect();
        assert_eq!(
            summary,
            [
                (Edit::Changed, "$.b", "remove"),
                (Edit::Added, "$.d", "update"),
                (Edit::Removed, "$.c", "remove"),
            ]
        );
        assert_eq!(edits[0].description, "New words.");
    }

    #[test]
    fn a_new_overlay_adds_every_action() {
        let new = overlay("- target: $.a\n  description: Why.\n  remove: true\n");
        let edits = compare("o.yaml", None, Some(&new)).unwrap();
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].edit, Edit::Added);
    }

    #[test]
    fn a_broken_overlay_is_named() {
        let err = compare("o.yaml", None, Some("actions: [")).unwrap_err();
        assert!(err.starts_with("o.yaml (after): "), "{err}");
    }
}
