//! `cargo xtask slice` on small documents: selections, --check, provenance.

use super::*;
use generator::provenance::Finding;

/// A scratch copy of the repository's fragments under the system temp directory, with a
/// small v1.0 overlay, and an "upstream" document beside it: the committed v1.0 fragment
/// with its action paths spelled the Microsoft way plus an unrelated path.
fn scratch(name: &str) -> (PathBuf, PathBuf) {
    let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let repo = crate::workspace::root().unwrap();
    for version in VERSIONS {
        let dir = root.join("spec").join(version);
        std::fs::create_dir_all(&dir).unwrap();
        for file in ["presence.yaml", SELECTION_FILE] {
            std::fs::copy(repo.join("spec").join(version).join(file), dir.join(file)).unwrap();
        }
    }
    std::fs::write(
        root.join("spec/v1.0").join(OVERLAY_FILE),
        "overlay: 1.0.0\ninfo: {title: test, version: 1.0.0}\nactions:\n  - target: $.info\n    description: a new title\n    update: {title: Sliced in a test}\n  - target: $.info\n    description: already so upstream\n    update: {version: v1.0}\n",
    )
    .unwrap();
    let fragment = std::fs::read_to_string(root.join("spec/v1.0/presence.yaml")).unwrap();
    let upstream = fragment
        .replace("/presence/set", "/presence/microsoft.graph.set")
        .replacen(
            "paths:\n",
            "paths:\n  /me/messages:\n    get:\n      responses:\n        '200':\n          description: OK\n",
            1,
        );
    let sources = root.join("upstream");
    std::fs::create_dir_all(&sources).unwrap();
    std::fs::write(sources.join("CloudCommunications.yml"), upstream).unwrap();
    (root, sources)
}

fn args(sources: &Path) -> SliceArgs {
    SliceArgs {
        from: vec![sources.join("CloudCommunications.yml")],
        version: Some("v1.0".into()),
        origin: vec!["CloudCommunications.yml=a test".into()],
        ..SliceArgs::default()
    }
}

fn check_args(sources: &Path) -> SliceArgs {
    SliceArgs {
        check: true,
        sources: Some(sources.to_path_buf()),
        ..SliceArgs::default()
    }
}

#[test]
fn origins_are_file_equals_text() {
    let origins = vec!["a.yml=from A".to_owned(), "b.yml=x=y".to_owned()];
    assert_eq!(origin_of("b.yml", &origins), Ok(Some("x=y".to_owned())));
    assert_eq!(origin_of("c.yml", &origins), Ok(None));
    assert!(
        origin_of("a.yml", &["nonsense".to_owned()])
            .unwrap_err()
            .contains("FILE=TEXT")
    );
}

#[test]
fn slice_records_its_inputs_and_check_redoes_it() {
    let (root, sources) = scratch("slice");
    assert_eq!(run(&root, &args(&sources)).unwrap(), ExitCode::SUCCESS);
    let written = std::fs::read_to_string(root.join("spec/v1.0/presence.yaml")).unwrap();
    assert!(!written.contains("/me/messages"));
    assert!(!written.contains("microsoft.graph.setPresence"));
    assert!(written.contains("title: Sliced in a test"));
    let manifest = provenance::load(&root).unwrap();
    let record = manifest.versions["v1.0"].slice.clone().unwrap();
    let upstream = std::fs::read(sources.join("CloudCommunications.yml")).unwrap();
    assert_eq!(record.sources.len(), 1);
    assert_eq!(record.sources[0].file, "CloudCommunications.yml");
    assert_eq!(record.sources[0].bytes, upstream.len() as u64);
    assert_eq!(record.sources[0].sha256, sha256_hex(&upstream));
    assert_eq!(record.sources[0].origin, "a test");
    assert_eq!(record.fragment_sha256, sha256_hex(written.as_bytes()));
    let overlay = std::fs::read(root.join("spec/v1.0/overlay.yaml")).unwrap();
    assert_eq!(record.overlay.unwrap().sha256, sha256_hex(&overlay));

    // Slicing again changes nothing, and keeps the recorded origin.
    let again = SliceArgs {
        origin: vec![],
        ..args(&sources)
    };
    run(&root, &again).unwrap();
    assert_eq!(provenance::load(&root).unwrap(), manifest);

    // --check redoes it from the sources directory.
    assert_eq!(
        run(&root, &check_args(&sources)).unwrap(),
        ExitCode::SUCCESS
    );
    // Without the sources it skips and passes.
    let elsewhere = root.join("nowhere");
    assert_eq!(
        run(&root, &check_args(&elsewhere)).unwrap(),
        ExitCode::SUCCESS
    );
    // A hand edit of the fragment fails the check.
    std::fs::write(
        root.join("spec/v1.0/presence.yaml"),
        format!("{written}# edited\n"),
    )
    .unwrap();
    assert_eq!(
        run(&root, &check_args(&sources)).unwrap(),
        ExitCode::FAILURE
    );

    // codegen's provenance still tells a changed spec apart, and notes the edit.
    let findings = provenance::check(&root, &crate::codegen::spec_outputs(&root).unwrap()).unwrap();
    assert!(
        findings
            .iter()
            .any(|f| matches!(f, Finding::Unrecorded { .. }))
    );
    provenance::record_codegen(&root, &crate::codegen::spec_outputs(&root).unwrap()).unwrap();
    let findings = provenance::check(&root, &crate::codegen::spec_outputs(&root).unwrap()).unwrap();
    assert!(
        findings
            .iter()
            .all(|f| matches!(f, Finding::EditedSinceSlice { .. })),
        "{findings:?}"
    );
    assert!(!findings.is_empty());
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_part_is_sliced_into_its_own_directory_and_checked_beside_the_version() {
    let (root, sources) = scratch("part");
    let dir = root.join("spec/v1.0/directory");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(SELECTION_FILE),
        "sources: [Users.yml]\ninclude:\n  - /users/{x}#GET\n  - /groups/{x}/members/microsoft.graph.user\n",
    )
    .unwrap();
    let ok = "      responses:\n        '200':\n          description: OK\n";
    let users = format!(
        "openapi: 3.0.1\ninfo: {{title: Users, version: v1.0}}\npaths:\n  /users/{{user-id}}:\n    get:\n      operationId: user_GetUser\n      parameters:\n        - {{name: user-id, in: path, required: true, schema: {{type: string}}}}\n{ok}    patch:\n      operationId: user_UpdateUser\n      parameters:\n        - {{name: user-id, in: path, required: true, schema: {{type: string}}}}\n{ok}  /groups/{{group-id}}/members/microsoft.graph.user:\n    get:\n      operationId: group_ListMemberAsUser\n      parameters:\n        - {{name: group-id, in: path, required: true, schema: {{type: string}}}}\n{ok}components:\n  schemas:\n    microsoft.graph.user: {{type: object}}\n"
    );
    std::fs::write(sources.join("Users.yml"), users).unwrap();
    let presence_before = std::fs::read(root.join("spec/v1.0/presence.yaml")).unwrap();
    let part = SliceArgs {
        version: Some("v1.0".into()),
        part: Some("directory".into()),
        sources: Some(sources.clone()),
        ..SliceArgs::default()
    };
    assert_eq!(run(&root, &part).unwrap(), ExitCode::SUCCESS);
    let written = std::fs::read_to_string(dir.join("directory.yaml")).unwrap();
    // The cast keeps its namespace; the PATCH is not selected.
    assert!(
        written.contains("/groups/{group-id}/members/microsoft.graph.user:"),
        "{written}"
    );
    assert!(!written.contains("patch:"), "{written}");
    assert_eq!(
        std::fs::read(root.join("spec/v1.0/presence.yaml")).unwrap(),
        presence_before
    );
    let manifest = provenance::load(&root).unwrap();
    let entry = &manifest.versions["v1.0/directory"];
    assert_eq!(entry.fragment, "v1.0/directory/directory.yaml");
    assert_eq!(entry.slice.as_ref().unwrap().sources[0].file, "Users.yml");
    assert!(
        !manifest.versions.contains_key("v1.0"),
        "the presence entry is not touched"
    );

    // --check redoes the part; a hand edit of it fails.
    assert_eq!(
        run(&root, &check_args(&sources)).unwrap(),
        ExitCode::SUCCESS
    );
    std::fs::write(dir.join("directory.yaml"), format!("{written}# edited\n")).unwrap();
    assert_eq!(
        run(&root, &check_args(&sources)).unwrap(),
        ExitCode::FAILURE
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_bad_overlay_or_source_leaves_spec_untouched() {
    let (root, sources) = scratch("bad");
    let snapshot = |root: &Path| {
        (
            std::fs::read(root.join("spec/v1.0/presence.yaml")).unwrap(),
            std::fs::read(root.join("spec/manifest.json")).ok(),
        )
    };
    let before = snapshot(&root);
    std::fs::write(
        root.join("spec/v1.0").join(OVERLAY_FILE),
        "overlay: 1.0.0\ninfo: {title: test, version: 1.0.0}\nactions:\n  - target: $.paths['/nowhere']\n    remove: true\n",
    )
    .unwrap();
    let err = run(&root, &args(&sources)).unwrap_err();
    assert!(
        err.contains("spec/v1.0/overlay.yaml:4 (at /actions/0)"),
        "{err}"
    );
    assert!(err.contains("matches nothing"), "{err}");
    assert!(err.ends_with("nothing written"), "{err}");
    assert_eq!(snapshot(&root), before);

    // An overlay that breaks what the generator needs is refused before writing too.
    std::fs::write(
        root.join("spec/v1.0").join(OVERLAY_FILE),
        "overlay: 1.0.0\ninfo: {title: test, version: 1.0.0}\nactions:\n  - target: $.paths.*.*.parameters\n    remove: true\n",
    )
    .unwrap();
    let err = run(&root, &args(&sources)).unwrap_err();
    assert!(
        err.starts_with("the slice is not a fragment the generator accepts, nothing written"),
        "{err}"
    );
    assert!(err.contains("path parameter"), "{err}");
    assert_eq!(snapshot(&root), before);

    // Every overlay of the generator's bad-overlay corpus is refused the same way.
    let corpus = crate::workspace::root()
        .unwrap()
        .join("generator/tests/bad_overlays");
    let mut bad: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    bad.sort();
    assert!(bad.len() >= 20);
    for overlay in &bad {
        std::fs::copy(overlay, root.join("spec/v1.0").join(OVERLAY_FILE)).unwrap();
        let err = run(&root, &args(&sources)).unwrap_err();
        assert!(
            err.contains("spec/v1.0/overlay.yaml"),
            "{}: {err}",
            overlay.display()
        );
        assert!(
            err.contains("nothing written"),
            "{}: {err}",
            overlay.display()
        );
        assert_eq!(snapshot(&root), before, "{}", overlay.display());
    }

    let missing = SliceArgs {
        from: vec![root.join("no-such-file.yaml")],
        ..args(&sources)
    };
    assert!(
        run(&root, &missing)
            .unwrap_err()
            .contains("no-such-file.yaml")
    );
    let no_version = SliceArgs {
        version: None,
        ..args(&sources)
    };
    assert!(run(&root, &no_version).unwrap_err().contains("--version"));
    assert_eq!(snapshot(&root), before);
    std::fs::remove_dir_all(&root).unwrap();
}
