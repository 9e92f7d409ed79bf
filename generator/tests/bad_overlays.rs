//! The bad-overlay corpus: every `tests/bad_overlays/NN-name.yaml`, applied to the committed
//! v1.0 fragment, must be rejected with exactly the one-line error stored next to it in
//! `NN-name.expected`, and never panic.
//!
//! To add a case, write the overlay, run this test with `BLESS=1` to create the `.expected`
//! file, then read it: it must name the overlay file, the action's line and index, its target,
//! and say what is wrong in words an overlay author understands.

use generator::overlay::Overlay;
use generator::slice::{Selection, slice};
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

const V1: &str = include_str!("../../spec/v1.0/presence.yaml");

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_overlays");
    let mut overlays: Vec<PathBuf> = fs::read_dir(dir)
        .expect("tests/bad_overlays exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    overlays.sort();
    overlays
}

/// Parses and applies one overlay; `Ok(Err(message))` is the expected outcome.
fn apply(label: &str, text: &str) -> Result<Result<(), String>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let overlay = Overlay::parse(label, text).map_err(|e| e.to_string())?;
        let selection = Selection::from_patterns("test selection", ["/**"], [] as [&str; 0])
            .map_err(|e| e.to_string())?;
        slice(
            &[("spec/v1.0/presence.yaml", V1)],
            &selection,
            Some(&overlay),
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    }))
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

#[test]
fn every_bad_overlay_fails_with_its_expected_error() {
    let bless = std::env::var_os("BLESS").is_some();
    let overlays = corpus();
    assert!(
        overlays.len() >= 20,
        "the corpus shrank to {}",
        overlays.len()
    );
    let mut failures = Vec::new();
    for path in &overlays {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let label = format!("bad_overlays/{name}");
        let text = fs::read_to_string(path).unwrap();
        let expected_path = path.with_extension("expected");
        let actual = match apply(&label, &text) {
            Err(panic) => {
                failures.push(format!("{name}: PANICKED: {panic}"));
                continue;
            }
            Ok(Ok(())) => {
                failures.push(format!("{name}: was accepted"));
                continue;
            }
            Ok(Err(message)) => message,
        };
        if bless {
            fs::write(&expected_path, format!("{actual}\n")).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}: no .expected file; run with BLESS=1"));
        if actual != expected.trim_end() {
            failures.push(format!(
                "{name}:\n  expected: {}\n  actual:   {actual}",
                expected.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_good_overlay_next_to_them_applies() {
    let text = "overlay: 1.0.0\ninfo: {title: good, version: 1.0.0}\nactions:\n  - target: $.info\n    update: {title: renamed}\n";
    assert_eq!(apply("good.yaml", text), Ok(Ok(())));
}
