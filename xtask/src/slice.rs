//! `cargo xtask slice`: cuts what `spec/<version>/slice.yaml` selects out of Microsoft's
//! published documents, applies `spec/<version>/overlay.yaml`, writes
//! `spec/<version>/presence.yaml` and records the inputs in `spec/manifest.json`; `--check`
//! redoes the recorded slices and compares.

use crate::parts::{self, PARTS, Target};
use crate::{provenance, specs};
use generator::overlay::{OVERLAY_FILE, Overlay};
use generator::provenance::{GENERATOR_VERSION, OverlayRecord, SliceRecord, Source, sha256_hex};
use generator::slice::{SELECTION_FILE, Selection};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const VERSIONS: &[&str] = &["v1.0", "beta"];

/// Where Microsoft's documents are looked for by `--check`, relative to the workspace root.
const DEFAULT_SOURCES: &str = "../shared/reference/upstream";

/// Slice Microsoft's Graph OpenAPI documents into spec/<version>/presence.yaml.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SliceArgs {
    /// A Microsoft Graph OpenAPI document (e.g. CloudCommunications.yml); repeat for several
    /// modules (e.g. also Users.Actions.yml), whose selected parts are merged
    /// [default: the `sources` of spec/<version>/slice.yaml, looked up in --sources].
    #[arg(long = "from", value_name = "FILE")]
    pub from: Vec<PathBuf>,
    /// API version to slice into (v1.0 or beta); with --check, the only version checked.
    #[arg(long, value_name = "VERSION", value_parser = clap::builder::PossibleValuesParser::new(VERSIONS))]
    pub version: Option<String>,
    /// Write nothing: redo every recorded slice from the sources found in --sources and fail
    /// if a committed fragment differs from it.
    #[arg(long, conflicts_with = "from")]
    pub check: bool,
    /// Slice a part of the version instead of its presence fragment: `directory` is
    /// spec/<version>/directory/{slice,overlay,directory}.yaml; with --check, the only part checked.
    #[arg(long, value_name = "PART", value_parser = clap::builder::PossibleValuesParser::new(PARTS))]
    pub part: Option<String>,
    /// Directory where the sources are looked for by file name, by --check and when --from is
    /// not given [default: ../shared/reference/upstream, relative to the workspace root].
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// Where a source was published, as FILE=TEXT (e.g. "v1.0-CloudCommunications.yml=msgraph-sdk-powershell
    /// openApiDocs/v1.0/CloudCommunications.yml, snapshot 2025-01-27"); recorded in the manifest.
    /// Defaults to what the manifest already says for that file name.
    #[arg(long, value_name = "FILE=TEXT")]
    pub origin: Vec<String>,
}

/// Runs the slice task from the workspace at `root`.
pub fn run(root: &Path, args: &SliceArgs) -> Result<ExitCode, String> {
    if args.check {
        return check(root, args);
    }
    let version = args
        .version
        .as_deref()
        .ok_or("--version v1.0|beta is required (unless --check)")?;
    if !VERSIONS.contains(&version) {
        return Err(format!(
            "--version must be one of {}, not {version:?}",
            VERSIONS.join(", ")
        ));
    }
    let target = Target {
        version,
        part: args.part.as_deref(),
    };
    let from = if args.from.is_empty() {
        let dir = sources_dir(root, args);
        let (_, selection) = load_selection(root, &target.dir())?;
        if selection.sources.is_empty() {
            return Err(format!(
                "spec/{}/{SELECTION_FILE} names no `sources`; list them there or give --from",
                target.dir()
            ));
        }
        selection.sources.iter().map(|s| dir.join(s)).collect()
    } else {
        args.from.clone()
    };
    let mut texts = Vec::new();
    for path in &from {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        texts.push((file_name(path), text));
    }
    let started = Instant::now();
    let outcome = slice_version(root, target, &texts)?;
    let elapsed = started.elapsed();

    let mut manifest = provenance::load(root)?;
    let previous_origins: Vec<Source> = manifest
        .versions
        .values()
        .filter_map(|e| e.slice.as_ref())
        .flat_map(|s| s.sources.clone())
        .collect();
    let mut sources = Vec::new();
    for (name, text) in &texts {
        let origin = origin_of(name, &args.origin)?
            .or_else(|| {
                previous_origins
                    .iter()
                    .find(|s| s.file == *name)
                    .map(|s| s.origin.clone())
            })
            .unwrap_or_else(|| "not recorded (pass --origin FILE=TEXT)".to_owned());
        sources.push(Source {
            file: name.clone(),
            bytes: text.len() as u64,
            sha256: sha256_hex(text.as_bytes()),
            origin,
        });
    }
    specs::write_atomic(&outcome.target, &outcome.sliced.yaml)?;
    let entry = manifest.versions.entry(target.dir()).or_default();
    entry.fragment = outcome.relative.clone();
    entry.slice = Some(SliceRecord {
        sources,
        overlay: outcome.overlay,
        selection: Some(outcome.selection),
        fragment_sha256: sha256_hex(outcome.sliced.yaml.as_bytes()),
        generator_version: GENERATOR_VERSION.to_owned(),
    });
    provenance::save(root, &manifest)?;

    println!(
        "sliced {} in {elapsed:.2?}: {} paths, {} components",
        texts
            .iter()
            .map(|(name, text)| format!("{name} ({} bytes)", text.len()))
            .collect::<Vec<_>>()
            .join(" + "),
        outcome.sliced.paths.len(),
        outcome.sliced.components.len()
    );
    report(&outcome.sliced);
    println!("wrote    spec/{} and spec/manifest.json", outcome.relative);
    if target.part.is_none() {
        println!(
            "next:    cargo xtask diff --base HEAD --version {version}, then cargo xtask codegen"
        );
    } else {
        println!("next:    cargo xtask codegen");
    }
    Ok(ExitCode::SUCCESS)
}

/// What slicing one version produced, not yet written.
struct Outcome {
    target: PathBuf,
    relative: String,
    sliced: generator::slice::Slice,
    overlay: Option<OverlayRecord>,
    selection: OverlayRecord,
}

/// The selection in `spec/<dir>/` (a version, or a version's part), with its text's record; a
/// missing or bad file is an error.
fn load_selection(root: &Path, dir: &str) -> Result<(OverlayRecord, Selection), String> {
    let relative = format!("{dir}/{SELECTION_FILE}");
    let path = root.join("spec").join(&relative);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "reading spec/{relative}: {e}; it lists the patterns of the paths to keep (see spec/README.md)"
        )
    })?;
    let selection = Selection::parse(&format!("spec/{relative}"), &text)
        .map_err(|e| format!("{e}\nnothing written"))?;
    let record = OverlayRecord {
        file: relative,
        sha256: sha256_hex(text.as_bytes()),
    };
    Ok((record, selection))
}

fn sources_dir(root: &Path, args: &SliceArgs) -> PathBuf {
    args.sources
        .clone()
        .unwrap_or_else(|| root.join(DEFAULT_SOURCES))
}

/// Slices `sources` (file name, text) for `what` with its overlay, and makes sure the
/// generator accepts the result. Writes nothing.
fn slice_version(
    root: &Path,
    what: Target<'_>,
    sources: &[(String, String)],
) -> Result<Outcome, String> {
    let spec_dir = root.join("spec");
    let dir = what.dir();
    let target = match what.part {
        Some(part) => parts::fragment(&spec_dir, what.version, part),
        None => specs::fragment(&spec_dir, what.version)
            .map(|f| f.path)
            .unwrap_or_else(|_| spec_dir.join(what.version).join("presence.yaml")),
    };
    let relative = format!(
        "{dir}/{}",
        target.file_name().unwrap_or_default().to_string_lossy()
    );
    let overlay_path = spec_dir.join(&dir).join(OVERLAY_FILE);
    let overlay_label = format!("spec/{dir}/{OVERLAY_FILE}");
    let overlay_text = match std::fs::read_to_string(&overlay_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("reading {}: {e}", overlay_path.display())),
    };
    let overlay = overlay_text
        .as_deref()
        .map(|text| Overlay::parse(&overlay_label, text))
        .transpose()
        .map_err(|e| format!("{e}\nnothing written"))?;
    let (selection_record, selection) = load_selection(root, &dir)?;
    let borrowed: Vec<(&str, &str)> = sources
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let sliced = generator::slice::slice(&borrowed, &selection, overlay.as_ref())
        .map_err(|e| format!("{e}\nnothing written"))?;
    // Refuse to write a fragment the generator cannot read.
    generator::Generator::new()
        .spec(
            what.module(),
            format!("spec/{relative}"),
            sliced.yaml.as_str(),
        )
        .lower()
        .map_err(|e| {
            format!("the slice is not a fragment the generator accepts, nothing written: {e}")
        })?;
    Ok(Outcome {
        target,
        relative,
        sliced,
        overlay: overlay_text.map(|text| OverlayRecord {
            file: format!("{dir}/{OVERLAY_FILE}"),
            sha256: sha256_hex(text.as_bytes()),
        }),
        selection: selection_record,
    })
}

/// `--check`: redo each recorded slice whose sources are at hand and compare byte for byte.
fn check(root: &Path, args: &SliceArgs) -> Result<ExitCode, String> {
    let dir = sources_dir(root, args);
    let manifest = provenance::load(root)?;
    let mut failed = false;
    let targets = VERSIONS.iter().flat_map(|version| {
        std::iter::once(None)
            .chain(PARTS.iter().copied().map(Some))
            .map(move |part| Target { version, part })
    });
    for what in targets {
        if args.version.as_deref().is_some_and(|v| v != what.version)
            || (args.part.is_some() && args.part.as_deref() != what.part)
        {
            continue;
        }
        let version = what.dir();
        let Some(entry) = manifest.versions.get(&version) else {
            // A version's parts are optional: only a missing presence entry is worth a line.
            if what.part.is_none() {
                println!("{version}: not in spec/manifest.json; nothing to check");
            }
            continue;
        };
        let Some(record) = &entry.slice else {
            println!(
                "{version}: spec/{} is not recorded as sliced; nothing to check",
                entry.fragment
            );
            continue;
        };
        let mut sources = Vec::new();
        let mut missing = Vec::new();
        for source in &record.sources {
            let path = dir.join(&source.file);
            match std::fs::read_to_string(&path) {
                Ok(text) if sha256_hex(text.as_bytes()) == source.sha256 => {
                    sources.push((source.file.clone(), text));
                }
                Ok(_) => missing.push(format!(
                    "{} is not the recorded document (sha256 differs)",
                    path.display()
                )),
                Err(_) => missing.push(format!("{} is absent", path.display())),
            }
        }
        if !missing.is_empty() {
            println!(
                "{version}: skipped, the recorded sources are not at hand: {}",
                missing.join("; ")
            );
            continue;
        }
        let outcome = slice_version(root, what, &sources)?;
        let committed = std::fs::read_to_string(&outcome.target).unwrap_or_default();
        report(&outcome.sliced);
        if committed == outcome.sliced.yaml {
            println!(
                "{version}: spec/{} equals the slice of {} with its overlay",
                outcome.relative,
                record
                    .sources
                    .iter()
                    .map(|s| s.file.as_str())
                    .collect::<Vec<_>>()
                    .join(" + ")
            );
        } else {
            failed = true;
            let froms: String = record
                .sources
                .iter()
                .map(|s| format!(" --from {}", dir.join(&s.file).display()))
                .collect();
            eprintln!(
                "{version}: spec/{} differs from slice(sources) + spec/{version}/{OVERLAY_FILE}; rerun: cargo xtask slice --version {}{}{froms}",
                outcome.relative,
                what.version,
                what.part
                    .map(|p| format!(" --part {p}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints the stale overlay actions and the components the overlay left unreferenced.
fn report(sliced: &generator::slice::Slice) {
    for warning in &sliced.warnings {
        println!("{warning}");
    }
    for stale in &sliced.stale {
        println!("warning: {stale}");
    }
    if !sliced.pruned.is_empty() {
        println!(
            "pruned   {} unreferenced component(s): {}",
            sliced.pruned.len(),
            sliced.pruned.join(", ")
        );
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// The `--origin FILE=TEXT` given for `name`, if any.
fn origin_of(name: &str, origins: &[String]) -> Result<Option<String>, String> {
    for origin in origins {
        let (file, text) = origin
            .split_once('=')
            .ok_or_else(|| format!("--origin wants FILE=TEXT, not {origin:?}"))?;
        if file == name {
            return Ok(Some(text.to_owned()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
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
        let findings =
            provenance::check(&root, &crate::codegen::spec_outputs(&root).unwrap()).unwrap();
        assert!(
            findings
                .iter()
                .any(|f| matches!(f, Finding::Unrecorded { .. }))
        );
        provenance::record_codegen(&root, &crate::codegen::spec_outputs(&root).unwrap()).unwrap();
        let findings =
            provenance::check(&root, &crate::codegen::spec_outputs(&root).unwrap()).unwrap();
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
}
