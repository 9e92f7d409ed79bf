//! The committed overlays follow the project's conventions (spec/README.md): they parse, and
//! every action says why it exists.

use generator::overlay::Overlay;
use std::path::Path;

fn overlay(version: &str) -> Overlay {
    let label = format!("spec/{version}/overlay.yaml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(&label),
    )
    .unwrap();
    Overlay::parse(&label, &text).unwrap()
}

#[test]
fn every_action_says_why() {
    for version in ["v1.0", "beta"] {
        let overlay = overlay(version);
        let silent: Vec<String> = overlay
            .actions
            .iter()
            .filter(|a| {
                a.description
                    .as_deref()
                    .is_none_or(|d| d.split_whitespace().count() < 5)
            })
            .map(|a| format!("{}:{} {}", overlay.label, a.line.unwrap_or(0), a.target))
            .collect();
        assert!(silent.is_empty(), "actions without a reason: {silent:?}");
        assert!(overlay.actions.iter().all(|a| a.line.is_some()));
    }
}
