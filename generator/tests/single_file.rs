//! The single-file form `generator::build` writes into `OUT_DIR` is the same code as the
//! committed multi-file module in `generated/src/<version>/`, module docs included.
//!
//! The committed files are folded here independently of the generator (read from disk, `mod x;`
//! resolved to `x.rs`), then compared item by item (each printed afresh at the same depth), so only layout and
//! `//` comments may differ.

use quote::ToTokens;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn parse_file(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap();
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The item printed on its own at the top level: the nesting depth changes where prettyplease
/// breaks lines, and a broken parameter list gets a trailing comma (a different token), so both
/// sides are printed afresh at the same depth before they are compared.
fn tokens(item: &impl ToTokens) -> String {
    let item: syn::Item = syn::parse2(item.to_token_stream()).unwrap();
    let mut file: syn::File = syn::parse_quote!();
    file.items.push(item);
    prettyplease::unparse(&file)
}

/// The string of a `#[doc = "..."]`, `None` for other attributes.
fn doc_string(attr: &syn::Attribute) -> Option<String> {
    match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// The committed module `generated/src/<module>/`, as its items with every `mod x;` given the
/// attributes and items of `x.rs`.
fn committed_items(dir: &Path) -> Vec<String> {
    let root = parse_file(&dir.join("mod.rs"));
    root.items
        .into_iter()
        .map(|item| match item {
            syn::Item::Mod(mut m) if m.content.is_none() => {
                let file = parse_file(&dir.join(format!("{}.rs", m.ident)));
                m.attrs.extend(file.attrs);
                m.content = Some((Default::default(), file.items));
                m.semi = None;
                tokens(&m)
            }
            other => tokens(&other),
        })
        .collect()
}

fn single_file(module: &str, label: &str) -> String {
    let root = workspace();
    let spec = std::fs::read_to_string(root.join(label)).unwrap();
    let files = generator::Generator::new()
        .spec(module, label, spec)
        .generate()
        .unwrap();
    generator::build::single_file(module, &files, &generator::header(label)).unwrap()
}

fn assert_same_code(module: &str, label: &str) {
    let dir = workspace().join("generated/src").join(module);
    let single = single_file(module, label);
    let parsed = syn::parse_file(&single).unwrap();
    let [syn::Item::Mod(wrapper)] = parsed.items.as_slice() else {
        panic!(
            "{module}: expected one `pub mod {module}`, found {}",
            parsed.items.len()
        );
    };
    assert_eq!(wrapper.ident, module);
    assert!(matches!(wrapper.vis, syn::Visibility::Public(_)));

    // Module docs: the README the multi-file mod.rs includes is the wrapper's doc, verbatim.
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let docs: Vec<String> = wrapper.attrs.iter().filter_map(doc_string).collect();
    assert_eq!(
        docs,
        [readme],
        "{module}: module docs differ from README.md"
    );
    assert!(
        wrapper
            .attrs
            .iter()
            .all(|a| matches!(a.style, syn::AttrStyle::Inner(_))),
        "{module}: the README must be an inner doc of the module"
    );

    let (_, items) = wrapper.content.as_ref().expect("inline module");
    let ours: Vec<String> = items.iter().map(tokens).collect();
    let committed = committed_items(&dir);
    assert_eq!(ours.len(), committed.len(), "{module}: item count");
    for (i, (a, b)) in ours.iter().zip(&committed).enumerate() {
        let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        let from = at.saturating_sub(80);
        assert!(
            a == b,
            "{module}: item {i} differs at byte {at}:\n  single file: {}\n  committed:   {}",
            a.get(from..(at + 120).min(a.len())).unwrap_or(a),
            b.get(from..(at + 120).min(b.len())).unwrap_or(b)
        );
    }
    // The folded submodules keep their own `//!` docs.
    let inner_docs = items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) => Some(m.attrs.iter().filter_map(doc_string).count()),
            _ => None,
        })
        .collect::<Vec<_>>();
    assert!(
        inner_docs.len() >= 3 && inner_docs.iter().all(|n| *n > 0),
        "{module}: {inner_docs:?}"
    );
}

#[test]
fn v1_0_single_file_is_the_committed_module() {
    assert_same_code("v1_0", "spec/v1.0/presence.yaml");
}

#[test]
fn beta_single_file_is_the_committed_module() {
    assert_same_code("beta", "spec/beta/presence.yaml");
}

#[test]
fn a_changed_item_is_caught() {
    // The comparison can fail: the same check on a spec with one description changed.
    let root = workspace();
    let spec = std::fs::read_to_string(root.join("spec/v1.0/presence.yaml"))
        .unwrap()
        .replacen("Service-defined error code.", "Some other words.", 1);
    let files = generator::Generator::new()
        .spec("v1_0", "spec/v1.0/presence.yaml", spec)
        .generate()
        .unwrap();
    let single = generator::build::single_file("v1_0", &files, &generator::header("x")).unwrap();
    let parsed = syn::parse_file(&single).unwrap();
    let syn::Item::Mod(wrapper) = &parsed.items[0] else {
        panic!("no module")
    };
    let ours: Vec<String> = wrapper
        .content
        .as_ref()
        .unwrap()
        .1
        .iter()
        .map(tokens)
        .collect();
    assert_ne!(ours, committed_items(&root.join("generated/src/v1_0")));
}

#[test]
fn write_to_out_dir_writes_the_single_file() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-out");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let spec = workspace().join("spec/v1.0/presence.yaml");
    let path = generator::build::module(&spec)
        .name("v1_0")
        .out_dir(&out)
        .write_to_out_dir()
        .unwrap();
    assert_eq!(path, out.join("v1_0.rs"));
    let written = std::fs::read_to_string(&path).unwrap();
    let label = spec.display().to_string();
    assert_eq!(written, single_file_with_label("v1_0", &spec, &label));
}

fn single_file_with_label(module: &str, spec: &Path, label: &str) -> String {
    let files = generator::Generator::new()
        .spec(module, label, std::fs::read_to_string(spec).unwrap())
        .generate()
        .unwrap();
    generator::build::single_file(module, &files, &generator::header(label)).unwrap()
}

#[test]
fn a_bad_spec_is_an_error_with_file_and_line() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-bad");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = dir.join("bad.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.1\ninfo:\n  title: t\n  version: '1'\npaths:\n  /x: [\n",
    )
    .unwrap();
    let failed = generator::build::module(&spec)
        .out_dir(&dir)
        .write_to_out_dir()
        .unwrap_err();
    let line = &generator::build::cargo_error_lines(&failed.error)[0];
    assert!(
        line.starts_with(&format!("cargo::error={}:", spec.display())),
        "{line}"
    );
    assert!(failed.error.location.line.is_some(), "{line}");
    assert!(!dir.join("bad.rs").exists());
}

#[test]
fn an_overlay_is_applied_and_a_bad_one_is_located() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-overlay");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = workspace().join("spec/v1.0/presence.yaml");
    let overlay = dir.join("overlay.yaml");
    std::fs::write(
        &overlay,
        "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n- target: $.paths['/me/presence'].get\n  description: Drop one binding.\n  remove: true\n",
    )
    .unwrap();
    let output = generator::build::module(&spec)
        .name("v1_0")
        .overlay(&overlay)
        .render()
        .unwrap();
    assert_eq!(output.inputs, [spec.clone(), overlay.clone()]);
    assert!(!output.contents.contains("ME_PRESENCE_GET:"));
    assert!(output.contents.contains("USER_PRESENCE_GET:"));

    std::fs::write(
        &overlay,
        "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n- target: $.nowhere\n  description: Matches nothing.\n  remove: true\n",
    )
    .unwrap();
    let error = generator::build::module(&spec)
        .overlay(&overlay)
        .render()
        .unwrap_err();
    assert_eq!(error.location.file, overlay.display().to_string());
    assert_eq!(error.location.line, Some(6), "{error}");
}

#[test]
fn a_selection_keeps_only_what_it_matches() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-select");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let spec = workspace().join("spec/v1.0/presence.yaml");
    let output = generator::build::module(&spec)
        .name("v1_0")
        .include("/users/{x}/presence/**")
        .exclude("/users/{x}/presence/setPresence")
        .render()
        .unwrap();
    assert!(output.contents.contains("USER_PRESENCE_GET:"));
    assert!(!output.contents.contains("ME_PRESENCE_GET:"));
    assert!(!output.contents.contains("USER_PRESENCE_SET_PRESENCE:"));
    assert!(output.contents.contains("USER_PRESENCE_CLEAR_PRESENCE:"));

    // The same from a selection file, which is an input cargo watches.
    let select = dir.join("slice.yaml");
    std::fs::write(&select, "include:\n  - /subscriptions/**#GET\n").unwrap();
    let output = generator::build::module(&spec)
        .name("v1_0")
        .select(&select)
        .render()
        .unwrap();
    assert_eq!(output.inputs, [spec.clone(), select.clone()]);
    assert!(!output.contents.contains("USER_PRESENCE_GET:"));
    assert!(output.contents.contains("SUBSCRIPTION_GET:"));
    assert!(output.contents.contains("SUBSCRIPTIONS_LIST:"));
    assert!(!output.contents.contains("SUBSCRIPTIONS_CREATE:"));

    // A pattern that matches nothing names the file and line.
    std::fs::write(
        &select,
        "include:\n  - /subscriptions/**\n  - /subscription\n",
    )
    .unwrap();
    let error = generator::build::module(&spec)
        .select(&select)
        .render()
        .unwrap_err();
    assert_eq!(error.location.file, select.display().to_string());
    assert_eq!(error.location.line, Some(3), "{error}");
}
