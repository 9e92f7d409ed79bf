//! The write step through the public API: hand-written files are refused by name, `check`
//! writes nothing, a failure while staging leaves the old tree, and a bad spec run the way
//! `cargo xtask codegen` runs it leaves the output byte-for-byte as it was.

use generator::write::{Drift, check, write};
use generator::{ErrorKind, GeneratedFile, Generator};
use std::fs;
use std::path::{Path, PathBuf};

/// A fresh directory under cargo's per-test temporary root.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("write-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every file under `dir` with its bytes, sorted: "byte-for-byte as it was" made checkable.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = fs::read(&path).unwrap();
                out.push((path.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn real_specs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn real_output() -> Vec<GeneratedFile> {
    Generator::new()
        .specs_in(&real_specs(), "spec")
        .unwrap()
        .generate()
        .unwrap()
}

#[test]
fn a_hand_written_file_is_refused_by_name_and_nothing_is_written() {
    let root = scratch("hand-written");
    let files = real_output();
    fs::create_dir_all(root.join("v1_0")).unwrap();
    let hand = root.join("v1_0/models.rs");
    fs::write(&hand, "// my own models, thank you\n").unwrap();
    let before = snapshot(&root);
    let err = write(&root, &files).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io);
    assert_eq!(err.location.file, hand.display().to_string());
    assert!(err.to_string().contains("v1_0/models.rs"), "{err}");
    assert!(err.message.contains("@generated"), "{err}");
    assert_eq!(snapshot(&root), before, "nothing may be written");
}

#[test]
fn check_reports_drift_and_writes_nothing() {
    let root = scratch("check");
    let files = real_output();
    write(&root, &files).unwrap();
    assert!(check(&root, &files).is_empty());
    // Make one file stale, delete one, and leave a generated file nobody produces any more.
    let stale = &files[0].path;
    fs::write(root.join(stale), "// @generated but old\n").unwrap();
    let missing = &files[1].path;
    fs::remove_file(root.join(missing)).unwrap();
    let orphan = files[0].path.with_file_name("gone.rs");
    fs::write(root.join(&orphan), "// @generated long ago\n").unwrap();
    let before = snapshot(&root);
    let drift = check(&root, &files);
    assert_eq!(
        drift,
        vec![
            Drift::Stale(stale.clone()),
            Drift::Missing(missing.clone()),
            Drift::Orphan(orphan)
        ]
    );
    assert_eq!(snapshot(&root), before, "check must not write");
}

#[test]
fn a_failure_while_staging_leaves_the_old_files_and_no_temporaries() {
    let root = scratch("staging");
    let files = real_output();
    write(&root, &files).unwrap();
    let before = snapshot(&root);
    let changed: Vec<GeneratedFile> = files
        .iter()
        .map(|f| GeneratedFile {
            path: f.path.clone(),
            contents: format!("{}\n// changed\n", f.contents),
        })
        .collect();
    // Block the temporary file of the last output with a directory, so staging fails after
    // every other file has already been staged.
    let last = &changed.last().unwrap().path;
    let blocker = root.join(last).with_file_name(format!(
        ".{}.{}.tmp",
        last.file_name().unwrap().to_string_lossy(),
        std::process::id()
    ));
    fs::create_dir_all(blocker.join("inside")).unwrap();
    let err = write(&root, &changed).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Io);
    assert!(err.to_string().contains(".tmp"), "{err}");
    fs::remove_dir_all(&blocker).unwrap();
    assert_eq!(
        snapshot(&root),
        before,
        "old files intact, temporaries removed"
    );
    // The next run succeeds.
    write(&root, &changed).unwrap();
    assert!(check(&root, &changed).is_empty());
}

#[test]
fn a_bad_spec_run_like_the_xtask_leaves_the_output_byte_for_byte() {
    let out = scratch("xtask-out");
    write(&out, &real_output()).unwrap();
    let before = snapshot(&out);
    // A spec tree like the repository's, where beta has been broken.
    let specs = scratch("xtask-spec");
    for version in ["v1.0", "beta"] {
        fs::create_dir_all(specs.join(version)).unwrap();
        let text = fs::read_to_string(real_specs().join(version).join("presence.yaml")).unwrap();
        let text = if version == "beta" {
            text.replace(
                "#/components/schemas/microsoft.graph.presence'",
                "#/components/schemas/nope'",
            )
        } else {
            text
        };
        fs::write(specs.join(version).join("presence.yaml"), text).unwrap();
    }
    // The xtask's sequence: generate everything in memory, then write; an error stops it
    // before any write.
    let result = Generator::new()
        .specs_in(&specs, "spec")
        .and_then(|g| g.generate())
        .and_then(|files| write(&out, &files).map(|_| ()));
    let err = result.unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("spec/beta/presence.yaml:"), "{text}");
    assert!(text.contains("\"#/components/schemas/nope\""), "{text}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn module_names_cannot_steer_the_output_path() {
    for module in ["../escape", "/abs", "type", "", "v1.0", "_", "1x"] {
        let err = Generator::new()
            .spec(
                module,
                "m.yaml",
                "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\n",
            )
            .generate()
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Invalid, "{module}: {err}");
        assert!(err.to_string().starts_with("m.yaml: "), "{err}");
    }
}
