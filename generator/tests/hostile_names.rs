//! Specs that are legal but hostile to a code generator: recursive types, names that are Rust
//! keywords or not identifiers at all, and names that collide after case conversion. Each must
//! generate the names the naming rules promise, the same way every time. That the output
//! compiles without warnings is checked by the test-output crate (`generator/tests/output/`),
//! which holds it and which CI builds with the rest of the workspace.

use generator::{GeneratedFile, Generator};
use quote::ToTokens;
use std::collections::BTreeMap;
use std::path::Path;

fn generate(name: &str) -> Vec<GeneratedFile> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/good_specs")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap();
    let generate = || {
        Generator::new()
            .spec("v1_0", format!("good_specs/{name}"), source.clone())
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let files = generate();
    assert_eq!(files, generate(), "{name}: output is not deterministic");
    files
}

fn parse(files: &[GeneratedFile], name: &str) -> syn::File {
    let file = files
        .iter()
        .find(|f| f.path.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("no {name}"));
    syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{name} does not parse: {e}"))
}

/// Every struct of a file: name → [(field name, field type, serde attribute)].
fn structs(file: &syn::File) -> BTreeMap<String, Vec<(String, String, String)>> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        if let syn::Item::Struct(s) = item {
            let fields = s
                .fields
                .iter()
                .map(|f| {
                    let serde = f
                        .attrs
                        .iter()
                        .filter(|a| a.path().is_ident("serde"))
                        .map(|a| a.to_token_stream().to_string())
                        .collect::<Vec<_>>()
                        .join(" ");
                    (
                        f.ident.as_ref().unwrap().to_string(),
                        f.ty.to_token_stream().to_string().replace(' ', ""),
                        serde,
                    )
                })
                .collect();
            out.insert(s.ident.to_string(), fields);
        }
    }
    out
}

/// For each `runtime::object_impls!(Name, extras { field: "wire", .. })`: the catch-all field
/// and each field's wire name.
fn object_impls(file: &syn::File) -> BTreeMap<String, (String, BTreeMap<String, String>)> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Macro(m) = item else { continue };
        if m.mac
            .path
            .segments
            .last()
            .is_none_or(|s| s.ident != "object_impls")
        {
            continue;
        }
        let tokens: Vec<proc_macro2::TokenTree> = m.mac.tokens.clone().into_iter().collect();
        let [name, _comma, extras, proc_macro2::TokenTree::Group(list)] = tokens.as_slice() else {
            panic!("unexpected object_impls! shape: {}", m.mac.tokens)
        };
        let entries: Vec<proc_macro2::TokenTree> = list.stream().into_iter().collect();
        let fields = entries
            .split(|t| matches!(t, proc_macro2::TokenTree::Punct(p) if p.as_char() == ','))
            .filter(|e| !e.is_empty())
            .map(|e| match e {
                [field, _colon, wire] => (
                    field.to_string(),
                    wire.to_string().trim_matches('"').to_owned(),
                ),
                other => panic!("unexpected entry {other:?}"),
            })
            .collect();
        out.insert(name.to_string(), (extras.to_string(), fields));
    }
    out
}

/// Every enum of a file: name → variant names.
fn enums(file: &syn::File) -> BTreeMap<String, Vec<String>> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) => Some((
                e.ident.to_string(),
                e.variants.iter().map(|v| v.ident.to_string()).collect(),
            )),
            _ => None,
        })
        .collect()
}

/// Type aliases: name → target.
fn aliases(file: &syn::File) -> BTreeMap<String, String> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Type(t) => Some((
                t.ident.to_string(),
                t.ty.to_token_stream().to_string().replace(' ', ""),
            )),
            _ => None,
        })
        .collect()
}

/// Methods of the `impl Client` block: name → argument names.
fn methods(file: &syn::File) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for item in &file.items {
        if let syn::Item::Impl(imp) = item {
            for it in &imp.items {
                if let syn::ImplItem::Fn(f) = it {
                    let args = f
                        .sig
                        .inputs
                        .iter()
                        .filter_map(|a| match a {
                            syn::FnArg::Typed(t) => Some(t.pat.to_token_stream().to_string()),
                            syn::FnArg::Receiver(_) => None,
                        })
                        .collect();
                    out.insert(f.sig.ident.to_string(), args);
                }
            }
        }
    }
    out
}

fn field<'a>(
    structs: &'a BTreeMap<String, Vec<(String, String, String)>>,
    ty: &str,
    name: &str,
) -> &'a (String, String, String) {
    structs[ty]
        .iter()
        .find(|(n, _, _)| n == name)
        .unwrap_or_else(|| panic!("{ty} has no field {name}: {:?}", structs[ty]))
}

#[test]
fn recursive_types_are_boxed_only_where_needed() {
    let files = generate("recursive.yaml");
    let models = parse(&files, "models.rs");
    let structs = structs(&models);
    let parent = field(&structs, "Folder", "parent");
    assert_eq!(parent.1, "::std::option::Option<::std::boxed::Box<Folder>>");
    // A Vec already has a size: no Box inside it.
    let children = field(&structs, "Folder", "children");
    assert_eq!(children.1, "::std::option::Option<::std::vec::Vec<Folder>>");
    // Mutual recursion Folder → Person → Folder: both edges boxed.
    assert_eq!(
        field(&structs, "Folder", "owner").1,
        "::std::option::Option<::std::boxed::Box<Person>>"
    );
    assert_eq!(
        field(&structs, "Person", "home").1,
        "::std::option::Option<::std::boxed::Box<Folder>>"
    );
    assert_eq!(
        field(&structs, "Person", "manager").1,
        "::std::option::Option<::std::boxed::Box<Person>>"
    );
    // An alias of a recursive struct is fine (only an alias of itself is not).
    assert_eq!(aliases(&models)["FolderAlias"], "Folder");
}

#[test]
fn keywords_and_non_identifiers_become_legal_names() {
    let files = generate("keywords.yaml");
    let models = parse(&files, "models.rs");
    let structs = structs(&models);
    // Schema names: `type` → Type, `ref` → Ref, `self`/`Self` → Self_ and Self2, digits
    // get an `N`, and names the generated code defines itself get a suffix.
    for name in ["Type", "Ref", "Self_", "Self2", "N1099form", "Client2"] {
        assert!(
            structs.contains_key(name),
            "no struct {name}: {:?}",
            structs.keys()
        );
    }
    assert_eq!(aliases(&models)["Result2"], "::std::string::String");
    let expected = [
        ("r#type", "type"),
        ("r#ref", "ref"),
        ("self_", "self"),
        ("self_2", "Self"),
        ("odata_type", "@odata.type"),
        ("x_ms_foo", "x-ms-foo"),
        ("_1st_place", "1stPlace"),
        ("gr_u00f6_u00df_e", "größe"),
        ("r#async", "async"),
        ("crate_", "crate"),
    ];
    for (rust, wire) in expected {
        let (_, _, serde) = field(&structs, "Type", rust);
        assert!(
            serde.contains(&format!("rename = \"{wire}\"")),
            "{rust} must keep its wire name {wire}: {serde}"
        );
    }
    assert_eq!(
        field(&structs, "Self2", "r#match").1,
        "::std::option::Option<bool>"
    );
    let enums = enums(&models);
    assert_eq!(
        enums["TypeKind"],
        [
            "Self_",
            "Self2",
            "Type",
            "Empty",
            "N1",
            "Odata",
            "GrU00f6U00dfE",
            "Other"
        ]
    );

    let client = parse(&files, "client.rs");
    let methods = methods(&client);
    // `/things/{type}/{1st-id}`: an accessor per id, keywords raw, digits prefixed.
    assert_eq!(methods["thing"], ["r#type"]);
    assert_eq!(methods["_1st"], ["_1st_id"]);
    assert_eq!(methods["get"], ["params"]);
    assert!(methods.contains_key("self_"), "{methods:?}");
    let params = structs["GetParams"]
        .iter()
        .map(|f| f.0.as_str())
        .collect::<Vec<_>>();
    assert_eq!(params, ["self_", "select", "r#ref", "gr_u00f6_u00df_e"]);
}

#[test]
fn names_that_collide_after_case_conversion_get_stable_suffixes() {
    let files = generate("collisions.yaml");
    let models = parse(&files, "models.rs");
    let structs = structs(&models);
    // An all-optional struct: the wire names are in its `object_impls!`, not in attributes.
    let impls = object_impls(&models);
    let (extras, wire_names) = &impls["FooBar"];
    let fields: Vec<(&str, &str)> = structs["FooBar"]
        .iter()
        .map(|(n, _, _)| (n.as_str(), wire_names.get(n).map_or("", String::as_str)))
        .collect();
    assert_eq!(
        fields,
        [
            ("foo_bar", "fooBar"),
            ("foo_bar_2", "foo_bar"),
            ("foo_bar_3", "FooBar"),
            ("foo_bar_4", "foo-bar"),
            ("additional_properties", "additional_properties"),
            // The catch-all for unknown properties steps aside, and has no wire name.
            ("additional_properties_2", ""),
        ]
    );
    assert_eq!(extras, "additional_properties_2");
    for name in ["FooBar", "FooBar2", "FooBar3", "Bar"] {
        assert!(
            structs.contains_key(name),
            "no struct {name}: {:?}",
            structs.keys()
        );
    }
    let enums = enums(&models);
    assert_eq!(
        enums["Mode"],
        ["OnLine", "OnLine2", "OnLine3", "Other", "Unrecognized"]
    );
    let params = structs["AGetThingParams"]
        .iter()
        .map(|f| f.0.as_str())
        .collect::<Vec<_>>();
    assert_eq!(params, ["page_size", "page_size_2", "page_size_3"]);
    let client = parse(&files, "client.rs");
    let methods = methods(&client);
    // Named from the paths (`/a`, `/b`), the two getThing operations no longer collide.
    assert!(
        methods.contains_key("a") && methods.contains_key("b"),
        "{methods:?}"
    );
}
