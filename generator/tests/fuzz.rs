//! Property tests of load → lower → emit → format on arbitrary and mutated specs: the generator
//! never panics, and whatever it emits parses as Rust.
//!
//! The suite runs 64 cases per property by default; set `PROPTEST_CASES` for more. The long run
//! is an ignored test:
//!
//! ```text
//! PROPTEST_CASES=10000 cargo test -p presence-generator --test fuzz -- --ignored --nocapture
//! ```

use generator::Generator;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

/// Documents mutated by the fuzzer: the real fragments and the hostile-but-legal specs.
static SEEDS: LazyLock<Vec<Value>> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        "../spec/v1.0/presence.yaml",
        "../spec/beta/presence.yaml",
        "tests/good_specs/keywords.yaml",
        "tests/good_specs/collisions.yaml",
        "tests/good_specs/recursive.yaml",
    ]
    .iter()
    .map(|p| serde_yaml::from_str(&std::fs::read_to_string(root.join(p)).unwrap()).unwrap())
    .collect()
});

/// Strings the mutations write as keys and values: keywords, Graph-isms, OpenAPI words,
/// references good and bad, unicode and junk.
const WORDS: &[&str] = &[
    "type",
    "ref",
    "self",
    "Self",
    "super",
    "crate",
    "async",
    "r#type",
    "_",
    "__",
    "",
    " ",
    "@odata.type",
    "x-ms-foo",
    "1stPlace",
    "9",
    "größe",
    "名前",
    "🦀",
    "a/b",
    "~0~1",
    "{id}",
    "$ref",
    "#/components/schemas/microsoft.graph.presence",
    "#/components/schemas/nope",
    "#/components/schemas/",
    "#",
    "other.yaml#/x",
    "http://example.com/x",
    "#/components/responses/error",
    "#/components/parameters/nope",
    "object",
    "string",
    "array",
    "integer",
    "number",
    "boolean",
    "null",
    "file",
    "date-time",
    "duration",
    "int32",
    "enum",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "nullable",
    "required",
    "additionalProperties",
    "discriminator",
    "operationId",
    "parameters",
    "in",
    "path",
    "query",
    "header",
    "cookie",
    "requestBody",
    "content",
    "application/json",
    "multipart/form-data",
    "text/plain",
    "responses",
    "200",
    "2XX",
    "default",
    "204",
    "404",
    "/me/presence",
    "/users/{user-id}/presence",
    "/a/{b}/{b}",
    "/x/../y",
    "/p?q",
    "Client",
    "Target",
    "Result",
    "new",
    "runtime",
    "additional_properties",
    "x-graph-permissions",
    "x-graph-clouds",
    "delegatedWork",
    "least",
    "higher",
    "global",
    "mars",
    "3.0.3",
    "3.1.0",
    "2.0",
];

/// One change to a document.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the node (a key of a mapping or an item of a sequence).
    Delete(Index),
    /// Copy the node under another key of its mapping (or append it to its sequence).
    Duplicate(Index, Index),
    /// Rename the node's key.
    RenameKey(Index, Index),
    /// Replace the node with a scalar or an empty collection.
    Replace(Index, Scalar),
    /// Replace the node with a copy of another node of the document.
    Transplant(Index, Index),
    /// Change a name the generator turns into Rust (a schema, property or path key, an
    /// operationId, parameter name, `$ref` or enum value), keeping the document's shape so the
    /// change reaches lowering instead of failing the typed parse.
    Rename(Index, Scalar),
}

#[derive(Debug, Clone)]
enum Scalar {
    Word(Index),
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    EmptyMap,
    EmptyList,
}

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        4 => any::<Index>().prop_map(Scalar::Word),
        2 => "\\PC{0,12}".prop_map(Scalar::Text),
        1 => any::<i64>().prop_map(Scalar::Int),
        1 => any::<f64>().prop_map(Scalar::Float),
        1 => any::<bool>().prop_map(Scalar::Bool),
        1 => Just(Scalar::Null),
        1 => Just(Scalar::EmptyMap),
        1 => Just(Scalar::EmptyList),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::Delete),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::RenameKey(a, b)),
        6 => (any::<Index>(), scalar()).prop_map(|(a, s)| Mutation::Rename(a, s)),
        3 => (any::<Index>(), scalar()).prop_map(|(a, s)| Mutation::Replace(a, s)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Transplant(a, b)),
    ]
}

/// Mappings whose keys are names: the key is what a [`Mutation::Rename`] changes.
const NAME_MAPS: &[&str] = &["schemas", "properties", "paths", "parameters", "responses"];
/// Keys whose string values are names.
const NAME_VALUES: &[&str] = &["operationId", "name", "$ref"];

/// Whether the node at `path` is a name: a key in a [`NAME_MAPS`] mapping, the value of a
/// [`NAME_VALUES`] key, or an enum value.
fn is_name_site(path: &[Step]) -> bool {
    fn key(step: Option<&Step>) -> Option<&str> {
        match step {
            Some(Step::Key(Value::String(k))) => Some(k.as_str()),
            _ => None,
        }
    }
    let n = path.len();
    let parent = if n >= 2 { key(path.get(n - 2)) } else { None };
    match path.last() {
        Some(Step::Key(Value::String(k))) => {
            NAME_VALUES.contains(&k.as_str()) || parent.is_some_and(|p| NAME_MAPS.contains(&p))
        }
        Some(Step::Item(_)) => parent == Some("enum"),
        _ => false,
    }
}

/// One step from a node to a child.
#[derive(Debug, Clone)]
enum Step {
    Key(Value),
    Item(usize),
}

/// Paths to every node below the root, found without recursion.
fn node_paths(root: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<Step>, &Value)> = vec![(Vec::new(), root)];
    while let Some((path, node)) = stack.pop() {
        match node {
            Value::Mapping(map) => {
                for (k, v) in map {
                    let mut p = path.clone();
                    p.push(Step::Key(k.clone()));
                    out.push(p.clone());
                    stack.push((p, v));
                }
            }
            Value::Sequence(items) => {
                for (i, v) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Step::Item(i));
                    out.push(p.clone());
                    stack.push((p, v));
                }
            }
            _ => {}
        }
    }
    out
}

fn node_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut node = root;
    for step in path {
        node = match (step, node) {
            (Step::Key(k), Value::Mapping(m)) => m.get_mut(k)?,
            (Step::Item(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn node<'a>(root: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut node = root;
    for step in path {
        node = match (step, node) {
            (Step::Key(k), Value::Mapping(m)) => m.get(k)?,
            (Step::Item(i), Value::Sequence(s)) => s.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn word(index: &Index) -> &'static str {
    WORDS[index.index(WORDS.len())]
}

fn scalar_value(s: &Scalar) -> Value {
    match s {
        Scalar::Word(i) => Value::String(word(i).to_owned()),
        Scalar::Text(t) => Value::String(t.clone()),
        Scalar::Int(n) => Value::from(*n),
        Scalar::Float(f) => Value::from(*f),
        Scalar::Bool(b) => Value::Bool(*b),
        Scalar::Null => Value::Null,
        Scalar::EmptyMap => Value::Mapping(Mapping::new()),
        Scalar::EmptyList => Value::Sequence(Vec::new()),
    }
}

fn apply(doc: &mut Value, m: &Mutation) {
    let paths = node_paths(doc);
    if paths.is_empty() {
        return;
    }
    let pick = |i: &Index| paths[i.index(paths.len())].clone();
    match m {
        Mutation::Delete(i) => {
            let path = pick(i);
            let (last, parent) = path.split_last().unwrap();
            match (last, node_mut(doc, parent)) {
                (Step::Key(k), Some(Value::Mapping(map))) => {
                    map.shift_remove(k);
                }
                (Step::Item(n), Some(Value::Sequence(items))) if *n < items.len() => {
                    items.remove(*n);
                }
                _ => {}
            }
        }
        Mutation::Duplicate(i, w) | Mutation::RenameKey(i, w) => {
            let path = pick(i);
            let (last, parent) = path.split_last().unwrap();
            let Some(value) = node(doc, &path).cloned() else {
                return;
            };
            let rename = matches!(m, Mutation::RenameKey(..));
            match (last, node_mut(doc, parent)) {
                (Step::Key(k), Some(Value::Mapping(map))) => {
                    let new_key = Value::String(word(w).to_owned());
                    if rename {
                        map.shift_remove(k);
                    }
                    map.insert(new_key, value);
                }
                (Step::Item(_), Some(Value::Sequence(items))) => items.push(value),
                _ => {}
            }
        }
        Mutation::Replace(i, s) => {
            if let Some(n) = node_mut(doc, &pick(i)) {
                *n = scalar_value(s);
            }
        }
        Mutation::Rename(i, s) => {
            let sites: Vec<&Vec<Step>> = paths.iter().filter(|p| is_name_site(p)).collect();
            if sites.is_empty() {
                return;
            }
            let path = sites[i.index(sites.len())].clone();
            let name = match scalar_value(s) {
                Value::String(text) => text,
                other => serde_yaml::to_string(&other)
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            };
            let (last, parent) = path.split_last().unwrap();
            match (last, node_mut(doc, parent)) {
                // Keys of schemas, properties and paths: rename in place, keeping order.
                (Step::Key(k), Some(Value::Mapping(map))) if matches!(parent.last(), Some(Step::Key(Value::String(p))) if NAME_MAPS.contains(&p.as_str())) =>
                {
                    let entries: Vec<(Value, Value)> = std::mem::take(map).into_iter().collect();
                    for (key, value) in entries {
                        let key = if &key == k {
                            Value::String(name.clone())
                        } else {
                            key
                        };
                        map.insert(key, value);
                    }
                }
                _ => {
                    if let Some(n) = node_mut(doc, &path) {
                        *n = Value::String(name);
                    }
                }
            }
        }
        Mutation::Transplant(i, j) => {
            let Some(donor) = node(doc, &pick(j)).cloned() else {
                return;
            };
            if let Some(n) = node_mut(doc, &pick(i)) {
                *n = donor;
            }
        }
    }
}

/// Outcome counts of one property, printed at the end so a run documents what it covered.
#[derive(Default, Debug)]
struct Tally {
    generated: usize,
    errors: BTreeMap<String, usize>,
}

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The property: no panic (a panic fails the case and proptest shrinks it), and every Rust file
/// of a successful run parses.
fn run_pipeline(label: &str, source: String, tally: &Mutex<Tally>) -> Result<(), TestCaseError> {
    match Generator::new().spec("v1_0", label, source).generate() {
        Ok(files) => {
            for file in &files {
                if file.path.extension().is_some_and(|e| e == "rs") {
                    syn::parse_file(&file.contents).map_err(|e| {
                        TestCaseError::fail(format!("{} does not parse: {e}", file.path.display()))
                    })?;
                }
            }
            tally.lock().unwrap().generated += 1;
        }
        Err(e) => {
            // Every error must be a located, single-line message.
            let text = e.to_string();
            prop_assert!(text.starts_with(label), "unlabelled error: {text}");
            prop_assert!(!text.contains('\n') || e.message.contains('\n'), "{text}");
            // An error about a node names its line.
            prop_assert!(
                e.location.pointer.is_empty() || e.location.line.is_some(),
                "no line: {text}"
            );
            *tally
                .lock()
                .unwrap()
                .errors
                .entry(format!("{:?}", e.kind))
                .or_default() += 1;
        }
    }
    Ok(())
}

fn fuzz_mutations(case_count: u32) {
    let tally = Mutex::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases: case_count,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        0..SEEDS.len(),
        prop::collection::vec(mutation(), 1..8),
        any::<bool>(),
    );
    runner
        .run(&strategy, |(seed, mutations, as_json)| {
            let mut doc = SEEDS[seed].clone();
            for m in &mutations {
                apply(&mut doc, m);
            }
            // Half the documents go in as JSON, which errors must locate just as well.
            let json = as_json
                .then(|| serde_json::to_string_pretty(&doc).ok())
                .flatten();
            let source = json.unwrap_or_else(|| serde_yaml::to_string(&doc).unwrap());
            run_pipeline("mutated.yaml", source, &tally)
        })
        .unwrap();
    println!(
        "mutated specs: {case_count} cases, {:?}",
        tally.lock().unwrap()
    );
}

fn fuzz_text(case_count: u32) {
    let tally = Mutex::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases: case_count,
        failure_persistence: None,
        ..Config::default()
    });
    // Raw text: arbitrary strings, and lines built from YAML and OpenAPI fragments.
    let fragment = prop_oneof![
        any::<Index>().prop_map(|i| word(&i).to_owned()),
        Just(": ".to_owned()),
        Just("\n".to_owned()),
        Just("\n  ".to_owned()),
        Just("- ".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n".to_owned()),
    ];
    let strategy = prop_oneof![
        any::<String>(),
        prop::collection::vec(fragment, 0..60).prop_map(|parts| parts.concat()),
    ];
    runner
        .run(&strategy, |text| run_pipeline("text.yaml", text, &tally))
        .unwrap();
    println!(
        "arbitrary text: {case_count} cases, {:?}",
        tally.lock().unwrap()
    );
}

#[test]
fn mutated_specs_never_panic_and_always_parse() {
    fuzz_mutations(cases(64));
}

#[test]
fn arbitrary_text_never_panics() {
    fuzz_text(cases(64));
}

/// The long run: `PROPTEST_CASES=10000 cargo test -p presence-generator --test fuzz -- --ignored`.
#[test]
#[ignore = "long run; see the module docs"]
fn long_run() {
    fuzz_mutations(cases(10_000));
    fuzz_text(cases(10_000));
}
