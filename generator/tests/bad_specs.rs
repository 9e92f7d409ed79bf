//! The bad-spec corpus: every `tests/bad_specs/NN-name.yaml` must be rejected with exactly the
//! one-line error stored next to it in `NN-name.expected`, and never panic.
//!
//! To add a case, write the spec, run this test with `BLESS=1` to create the `.expected` file, then
//! read it: it must name the file, the line (and column when YAML gives one) and the JSON pointer
//! of the offending node, and say what is wrong in words a spec author understands.

use generator::{Error, ErrorKind, Generator};
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_specs")
}

fn corpus() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("tests/bad_specs exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
}

/// Runs the whole pipeline on one document, turning a panic into a test failure message.
fn generate(label: &str, source: &str) -> Result<Result<usize, Error>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        Generator::new()
            .spec("v1_0", label, source)
            .generate()
            .map(|files| files.len())
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
fn every_bad_spec_fails_with_its_expected_error() {
    let bless = std::env::var_os("BLESS").is_some();
    let specs = corpus();
    assert!(specs.len() >= 40, "the corpus shrank to {}", specs.len());
    let mut failures = Vec::new();
    for spec in &specs {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let label = format!("bad_specs/{name}");
        let source = fs::read_to_string(spec).unwrap();
        let expected_path = spec.with_extension("expected");
        let actual = match generate(&label, &source) {
            Err(panic) => {
                failures.push(format!("{name}: PANICKED: {panic}"));
                continue;
            }
            Ok(Ok(n)) => {
                failures.push(format!("{name}: was accepted ({n} files generated)"));
                continue;
            }
            Ok(Err(e)) => e.to_string(),
        };
        if bless {
            fs::write(&expected_path, format!("{actual}\n")).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}: no {}", expected_path.display()));
        if actual != expected.trim_end() {
            failures.push(format!(
                "{name}:\n  expected: {}\n  actual:   {actual}",
                expected.trim_end()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} bad specs misbehaved:\n{}",
        failures.len(),
        specs.len(),
        failures.join("\n")
    );
}

#[test]
fn every_expected_error_names_the_file_and_a_line() {
    for spec in corpus() {
        let expected = fs::read_to_string(spec.with_extension("expected")).unwrap();
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let prefix = format!("bad_specs/{name}:");
        assert!(expected.starts_with(&prefix), "{name}: {expected}");
        let line = expected[prefix.len()..].split([':', ' ']).next().unwrap();
        // An empty document has no line to point at, and an alias bomb is the fault of the
        // whole document (the parser reports no position for it).
        if !(name.starts_with("03-") || name.starts_with("47-")) {
            assert!(
                line.parse::<usize>().is_ok(),
                "{name} names no line: {expected}"
            );
        }
        assert_eq!(expected.trim_end().lines().count(), 1, "{name}: one line");
    }
}

/// Wraps a schema in the smallest document that uses it.
fn with_schema(schema_yaml: &str) -> String {
    let indented: String = schema_yaml
        .lines()
        .map(|l| format!("      {l}\n"))
        .collect();
    format!(
        "openapi: 3.0.3\ninfo:\n  title: t\n  version: v1\npaths: {{}}\ncomponents:\n  schemas:\n    thing:\n{indented}"
    )
}

#[test]
fn a_ten_megabyte_description_is_carried_without_trouble() {
    let big = "x".repeat(10 * 1024 * 1024);
    let source = with_schema(&format!("type: object\ndescription: {big}\n"));
    let files = Generator::new()
        .spec("v1_0", "big.yaml", source)
        .generate()
        .expect("a long description is legal");
    let models = files
        .iter()
        .find(|f| f.path.ends_with("models.rs"))
        .unwrap();
    assert!(models.contents.contains(&big[..1000]));
}

#[test]
fn a_ten_megabyte_name_is_refused_with_its_location() {
    let big = "n".repeat(10 * 1024 * 1024);
    // A plain YAML key is limited to 1024 characters; the explicit `? key` form is not.
    let source = with_schema(&format!(
        "type: object\nproperties:\n  ? {big}\n  : type: string\n"
    ));
    let err = Generator::new()
        .spec("v1_0", "big.yaml", source)
        .generate()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
    assert_eq!(err.location.line, Some(10), "{}", &err.to_string()[..200]);
    assert_eq!(err.location.pointer, "/components/schemas/thing/properties");
    assert!(
        err.message.contains("10485760 bytes long"),
        "{}",
        err.message
    );
    assert!(err.to_string().len() < 600, "the message stays readable");
}

#[test]
fn ten_megabytes_of_garbage_is_a_syntax_error() {
    let garbage: String = "{[\"\n".repeat(10 * 1024 * 1024 / 4);
    let err = Generator::new()
        .spec("v1_0", "garbage.yaml", garbage)
        .generate()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Syntax, "{err}");
    assert!(err.location.line.is_some(), "{err}");
}

/// Deep nesting must end in an error, not a stack overflow, on a test thread's small stack.
#[test]
fn deeply_nested_yaml_is_refused_without_overflowing_the_stack() {
    // libyaml scans a whole document before serde_yaml checks depth, and its flow-level
    // bookkeeping is quadratic: 100 000 brackets take about a minute in a debug build, so the
    // test uses 10 000, which is already 80 times the parser's limit.
    let depth = 10_000;
    let flow = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: v1}}\npaths: {{}}\nx-deep: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let err = Generator::new()
        .spec("v1_0", "deep.yaml", flow)
        .generate()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Syntax, "{err}");
    assert!(err.to_string().contains("deep.yaml:4:"), "{err}");
    assert!(err.message.contains("nested"), "{err}");

    let mut block = String::from("x-deep:\n");
    for level in 0..depth.min(2000) {
        block.push_str(&" ".repeat(level + 1));
        block.push_str("a:\n");
    }
    let source = format!("openapi: 3.0.3\ninfo: {{title: t, version: v1}}\npaths: {{}}\n{block}");
    let err = Generator::new()
        .spec("v1_0", "deep.yaml", source)
        .generate()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Syntax, "{err}");
}

#[test]
fn deeply_nested_schemas_are_refused_with_their_location() {
    let depth = 100;
    let mut schema = String::new();
    for level in 0..depth {
        let pad = "  ".repeat(level);
        schema.push_str(&format!("{pad}type: array\n{pad}items:\n"));
    }
    schema.push_str(&format!("{}type: string\n", "  ".repeat(depth)));
    let err = Generator::new()
        .spec("v1_0", "deep.yaml", with_schema(&schema))
        .generate()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported, "{err}");
    assert!(err.message.contains("nests deeper than 64 levels"), "{err}");
    assert!(
        err.location
            .pointer
            .starts_with("/components/schemas/thing/items/items"),
        "{err}"
    );
    assert!(err.location.line.is_some_and(|l| l > 100), "{err}");

    // Two YAML levels per schema level: 40 schema levels pass the YAML parser's 128-level limit
    // but not the generator's 64.
    let mut props = String::new();
    for level in 0..40 {
        let pad = "    ".repeat(level);
        props.push_str(&format!(
            "{pad}type: object\n{pad}properties:\n{pad}  inner:\n"
        ));
    }
    props.push_str(&format!("{}type: string\n", "    ".repeat(40)));
    let err = Generator::new()
        .spec("v1_0", "deep.yaml", with_schema(&props))
        .generate()
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported, "{err}");
    assert!(err.message.contains("nests deeper than 64 levels"), "{err}");
    assert!(err.location.line.is_some_and(|l| l > 90), "{err}");
}
