//! Every ruling or source id the code cites in a comment (`R12`, `RICH`, `LC`, ...) must have a
//! section in `docs/rulings.md`, and every source tag must be listed in its Sources table, so a
//! reader can always look a citation up inside the repository.
//!
//! The ids come from an external reference that is not part of the repository; this test keeps
//! the in-repository summary complete as the code grows new citations.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Source tags a comment may cite, besides the numbered rulings (`R1`, `R2`, ...). The
/// one-letter keys of the reference (`C`, `T`) are left out: they cannot be told apart from
/// ordinary code.
const SOURCE_TAGS: &[&str] = &[
    "PRES",
    "PRES-OLD",
    "BLOG-2024",
    "BLOG-2020",
    "OVW",
    "WH",
    "RICH",
    "LC",
    "SUB1",
    "SUBB",
    "CREATE1",
    "UPD1",
    "UPDB",
    "DEL1",
    "LIST1",
    "GET1",
    "REAUTH1",
    "REAUTHB",
    "CN1",
    "CNB",
    "CNC",
    "ENC",
    "RD",
    "THR",
    "THR-OLD",
    "Y1",
    "Yb",
    "GH-409a",
    "GH-409b",
    "GH-MULTI",
    "GH-EXP",
    "GH-RENEW",
    "SAMPLE-NODE",
];

/// The folders whose `.rs` files are searched, relative to the workspace root.
const SEARCHED: &[&str] = &["notifications", "emulator", "runtime", "cli/src"];

/// This file names every tag on purpose (the list above, the scanner's own examples).
const THIS_FILE: &str = "notifications/tests/rulings_cited.rs";

fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The ids cited in one line, in order. An id counts only as a whole word: not preceded or
/// followed by a letter, digit or `_` (so `R12` is found in `(R12)` and `R15-R18`, but not in
/// `HR12` or `R120`).
fn citations(line: &str) -> Vec<String> {
    let bytes = line.as_bytes();
    // Longest first, so `PRES-OLD` is not read as `PRES`.
    let mut tags: Vec<&str> = SOURCE_TAGS.to_vec();
    tags.sort_by_key(|tag| std::cmp::Reverse(tag.len()));
    let ends_word = |end: usize| end == bytes.len() || !is_word_byte(bytes[end]);
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if i > 0 && is_word_byte(bytes[i - 1]) {
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        if let Some(tag) = tags
            .iter()
            .find(|tag| rest.starts_with(tag.as_bytes()) && ends_word(i + tag.len()))
        {
            found.push((*tag).to_owned());
            i += tag.len();
            continue;
        }
        if rest.first() == Some(&b'R') {
            let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if (1..=2).contains(&digits) && ends_word(i + 1 + digits) {
                found.push(line[i..=i + digits].to_owned());
                i += 1 + digits;
                continue;
            }
        }
        i += 1;
    }
    found
}

fn workspace_root() -> PathBuf {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    Path::new(&manifest).join("..")
}

/// The `.rs` files under `dir`, sorted, skipping build output and generated code.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && name != "generated" && !name.starts_with('.') {
                rust_files(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// Every id cited in the searched code, with the first `file:line` citing it.
fn cited_ids(root: &Path) -> BTreeMap<String, String> {
    let mut files = Vec::new();
    for dir in SEARCHED {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(
        files.len() > 20,
        "found only {} .rs files under {root:?}: is the workspace root right?",
        files.len()
    );
    let mut cited = BTreeMap::new();
    for path in files {
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if relative == THIS_FILE {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if text
            .lines()
            .next()
            .is_some_and(|l| l.contains("@generated"))
        {
            continue;
        }
        for (number, line) in text.lines().enumerate() {
            for id in citations(line) {
                cited
                    .entry(id)
                    .or_insert_with(|| format!("{relative}:{}", number + 1));
            }
        }
    }
    cited
}

fn rulings_doc(root: &Path) -> String {
    let path = root.join("docs/rulings.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The id each `## ` heading starts with (`## R12. clientState` → `R12`), in order.
fn heading_ids(doc: &str) -> Vec<String> {
    doc.lines()
        .filter_map(|line| line.strip_prefix("## "))
        .map(|title| {
            title
                .split(|c: char| c == '.' || c.is_whitespace())
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

/// The keys in the first column of the table under `## Sources`.
fn listed_sources(doc: &str) -> BTreeSet<String> {
    doc.lines()
        .skip_while(|line| line.trim() != "## Sources")
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|line| line.strip_prefix('|'))
        .filter_map(|row| row.split('|').next())
        .map(|cell| cell.trim().trim_matches('`').to_owned())
        .filter(|key| !key.is_empty() && !key.starts_with('-'))
        .collect()
}

#[test]
fn the_scanner_finds_whole_ids_only() {
    assert_eq!(citations("renews (R12)"), ["R12"]);
    assert_eq!(citations("R12, then R4."), ["R12", "R4"]);
    assert_eq!(
        citations("R120x and HR12 and R12x and R123"),
        Vec::<String>::new()
    );
    assert_eq!(
        citations("rulings R15-R18, R1..R22"),
        ["R15", "R18", "R1", "R22"]
    );
    assert_eq!(
        citations("(RICH; LC) as LIST1 says"),
        ["RICH", "LC", "LIST1"]
    );
    assert_eq!(citations("PRES-OLD, then PRES"), ["PRES-OLD", "PRES"]);
    assert_eq!(
        citations("LC_ALL CREATE10 xWH RICHER"),
        Vec::<String>::new()
    );
}

#[test]
fn headings_and_sources_are_read_from_the_doc() {
    let doc = "# T\n## R12. clientState\n## RICH. Rich\n## Sources\n| Tag | Page |\n|---|---|\n| WH | https://x |\n| `LC` | y |\n## After\n| NOT | z |\n";
    assert_eq!(heading_ids(doc), ["R12", "RICH", "Sources", "After"]);
    assert_eq!(
        listed_sources(doc),
        BTreeSet::from(["Tag".to_owned(), "WH".to_owned(), "LC".to_owned()])
    );
}

#[test]
fn every_cited_id_has_a_section_in_docs_rulings() {
    let root = workspace_root();
    let cited = cited_ids(&root);
    assert!(
        cited.contains_key("R5"),
        "the scanner found no R5, which the manager cites: {cited:?}"
    );
    let doc = rulings_doc(&root);
    let headings = heading_ids(&doc);
    let missing: Vec<String> = cited
        .iter()
        .filter(|(id, _)| !headings.contains(id))
        .map(|(id, at)| format!("{id} (cited at {at})"))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/rulings.md has no `## <id>. ...` section for:\n  {}",
        missing.join("\n  ")
    );
    let mut seen = BTreeSet::new();
    let repeated: Vec<&String> = headings.iter().filter(|id| !seen.insert(*id)).collect();
    assert!(
        repeated.is_empty(),
        "sections repeated in docs/rulings.md: {repeated:?}"
    );
}

#[test]
fn every_source_tag_used_is_listed_under_sources() {
    let root = workspace_root();
    let doc = rulings_doc(&root);
    let listed = listed_sources(&doc);
    let mut used: BTreeMap<String, String> = cited_ids(&root)
        .into_iter()
        .filter(|(id, _)| SOURCE_TAGS.contains(&id.as_str()))
        .collect();
    for (number, line) in doc.lines().enumerate() {
        for id in citations(line) {
            if SOURCE_TAGS.contains(&id.as_str()) {
                used.entry(id)
                    .or_insert_with(|| format!("docs/rulings.md:{}", number + 1));
            }
        }
    }
    let missing: Vec<String> = used
        .iter()
        .filter(|(id, _)| !listed.contains(*id))
        .map(|(id, at)| format!("{id} (used at {at})"))
        .collect();
    assert!(
        missing.is_empty(),
        "the Sources table of docs/rulings.md does not list:\n  {}",
        missing.join("\n  ")
    );
}
