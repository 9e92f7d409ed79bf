//! Microsoft's real documents: slicing `v1.0-CloudCommunications.yml` with the v1.0 overlay
//! must give the committed fragment and so the committed client; a Microsoft-style beta
//! (derived here from the v1.0 document, as Microsoft's beta modules are not at hand) sliced
//! with the beta overlay must give the committed beta fragment.
//!
//! The documents are Microsoft's, so they are not in this repository: the tests read them
//! from `../shared/reference/upstream/` beside the workspace (or `$PRESENCE_UPSTREAM_DIR`) and
//! print that they skipped when the directory is absent.
//!
//! To write the derived documents for `cargo xtask slice --version beta --from ...`, run the
//! tests with `DERIVED_UPSTREAM_OUT=<dir>`.

use generator::Generator;
use generator::overlay::Overlay;
use generator::slice::{Selection, slice};
use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};

const V1_SOURCE: &str = "v1.0-CloudCommunications.yml";
/// Microsoft's ChangeNotifications modules (`/subscriptions`), real for both versions.
const V1_SUBSCRIPTIONS: &str = "v1.0-ChangeNotifications.yml";
const BETA_SUBSCRIPTIONS: &str = "beta-ChangeNotifications.yml";

fn upstream_dir() -> PathBuf {
    std::env::var_os("PRESENCE_UPSTREAM_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/reference/upstream"))
}

/// One of Microsoft's modules beside the v1.0 CloudCommunications one (which was found).
fn upstream_module(name: &str) -> String {
    std::fs::read_to_string(upstream_dir().join(name))
        .unwrap_or_else(|e| panic!("{name} should sit beside {V1_SOURCE}: {e}"))
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Microsoft's v1.0 CloudCommunications module, or `None` (after saying why) when absent.
fn v1_upstream(test: &str) -> Option<String> {
    let path = upstream_dir().join(V1_SOURCE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            println!(
                "{test}: skipped: Microsoft's {V1_SOURCE} is not at {} ({e}); set PRESENCE_UPSTREAM_DIR to its directory",
                path.display()
            );
            None
        }
    }
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace().join(relative)).unwrap()
}

fn overlay(version: &str) -> Overlay {
    let label = format!("spec/{version}/overlay.yaml");
    Overlay::parse(&label, &read(&label)).unwrap()
}

/// The project's selection of `version` (`spec/<version>/slice.yaml`).
fn selection(version: &str) -> Selection {
    let label = format!("spec/{version}/slice.yaml");
    Selection::parse(&label, &read(&label)).unwrap()
}

fn generate(module: &str, label: &str, text: &str) -> Vec<generator::GeneratedFile> {
    Generator::new()
        .spec(module, label, text)
        .generate()
        .unwrap()
}

/// Asserts the two fragments generate the same files, naming the first file that differs.
fn assert_same_client(module: &str, version: &str, sliced: &str) {
    let label = format!("spec/{version}/presence.yaml");
    let ours = generate(module, &label, sliced);
    let committed = generate(module, &label, &read(&label));
    assert_eq!(ours.len(), committed.len());
    for (a, b) in ours.iter().zip(&committed) {
        assert_eq!(a.path, b.path);
        assert!(
            a.contents == b.contents,
            "{} differs between slice + overlay and the committed fragment",
            a.path.display()
        );
    }
}

fn y(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

fn key(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// The presence actions bound under `/communications/presences/{presence-id}` in the v1.0
/// module, which Microsoft's `Users.Actions` module binds under `/users/{user-id}/presence`.
const CLASSIC_ACTIONS: &[&str] = &[
    "clearPresence",
    "clearUserPreferredPresence",
    "setPresence",
    "setStatusMessage",
    "setUserPreferredPresence",
];

/// A Microsoft-style `Users.Actions` module for the same snapshot: the classic actions under
/// `/users/{user-id}/presence/microsoft.graph.<action>`, built the way Microsoft's generator
/// builds the `/communications` ones, with the same components.
fn users_actions(cloud_communications: &Value) -> Value {
    let mut paths = Mapping::new();
    for action in CLASSIC_ACTIONS {
        let from = format!("/communications/presences/{{presence-id}}/microsoft.graph.{action}");
        let mut item = cloud_communications["paths"][from.as_str()].clone();
        let op = item["post"].as_mapping_mut().unwrap();
        op.insert(key("tags"), y("[users.Actions]"));
        op.insert(key("operationId"), key(&format!("user.presence_{action}")));
        op.insert(
            key("parameters"),
            y("[{name: user-id, in: path, description: The unique identifier of user, required: true, style: simple, schema: {type: string}, x-ms-docs-key-type: user}]"),
        );
        paths.insert(
            key(&format!(
                "/users/{{user-id}}/presence/microsoft.graph.{action}"
            )),
            item,
        );
    }
    let mut doc = Mapping::new();
    doc.insert(key("openapi"), cloud_communications["openapi"].clone());
    doc.insert(key("info"), y("{title: Users.Actions, version: v1.0}"));
    doc.insert(key("servers"), cloud_communications["servers"].clone());
    doc.insert(key("paths"), Value::Mapping(paths));
    doc.insert(
        key("components"),
        cloud_communications["components"].clone(),
    );
    Value::Mapping(doc)
}

/// Turns a v1.0 module into its beta counterpart as FACTS.md §2 and §3 describe Microsoft's
/// 2024 beta modules: beta version and server, `outOfOfficeSettings` on presence, and the
/// `/users/{user-id}/presence` operations marked deprecated.
fn to_beta(doc: &Value) -> String {
    let mut doc = doc.clone();
    doc["info"]["version"] = key("v1.0-beta");
    doc["servers"] = y("[{url: 'https://graph.microsoft.com/beta/', description: Core}]");
    if let Some(schemas) = doc["components"]["schemas"].as_mapping_mut()
        && schemas.contains_key("microsoft.graph.presence")
    {
        schemas.insert(
            key("microsoft.graph.outOfOfficeSettings"),
            y("{title: outOfOfficeSettings, type: object, properties: {isOutOfOffice: {type: boolean, description: Whether the user is out of office., nullable: true}, message: {type: string, description: The out-of-office message., nullable: true}}, additionalProperties: {type: object}}"),
        );
        let properties = schemas["microsoft.graph.presence"]["allOf"][1]["properties"]
            .as_mapping_mut()
            .unwrap();
        properties.insert(
            key("outOfOfficeSettings"),
            y("{$ref: '#/components/schemas/microsoft.graph.outOfOfficeSettings'}"),
        );
    }
    for (path, item) in doc["paths"].as_mapping_mut().unwrap() {
        if !path
            .as_str()
            .unwrap()
            .starts_with("/users/{user-id}/presence")
        {
            continue;
        }
        for (_, op) in item.as_mapping_mut().unwrap() {
            if let Some(op) = op.as_mapping_mut() {
                op.insert(key("deprecated"), Value::Bool(true));
                op.insert(
                    key("x-ms-deprecation"),
                    y("{removalDate: '2025-07-02', date: '2024-07-02', version: 2024-07/PrivatePreview:copilotExportAPI}"),
                );
            }
        }
    }
    serde_yaml::to_string(&doc)
        .unwrap()
        .replace("view=graph-rest-1.0", "view=graph-rest-beta")
}

/// The derived beta modules (CloudCommunications, Users.Actions), written out on request.
fn beta_modules(v1: &str) -> [(&'static str, String); 2] {
    let cloud: Value = serde_yaml::from_str(v1).unwrap();
    let modules = [
        ("beta-CloudCommunications.derived.yml", to_beta(&cloud)),
        (
            "beta-Users.Actions.derived.yml",
            to_beta(&users_actions(&cloud)),
        ),
    ];
    if let Some(dir) = std::env::var_os("DERIVED_UPSTREAM_OUT") {
        for (name, text) in &modules {
            std::fs::write(Path::new(&dir).join(name), text).unwrap();
        }
    }
    modules
}

#[test]
fn v1_upstream_with_the_overlay_is_the_committed_fragment() {
    let Some(v1) = v1_upstream("v1_upstream_with_the_overlay_is_the_committed_fragment") else {
        return;
    };
    let subs = upstream_module(V1_SUBSCRIPTIONS);
    let sliced = slice(
        &[(V1_SOURCE, &v1), (V1_SUBSCRIPTIONS, &subs)],
        &selection("v1.0"),
        Some(&overlay("v1.0")),
    )
    .unwrap();
    assert!(sliced.stale.is_empty(), "stale actions: {:?}", sliced.stale);
    assert_same_client("v1_0", "v1.0", &sliced.yaml);
    assert!(
        sliced.yaml == read("spec/v1.0/presence.yaml"),
        "spec/v1.0/presence.yaml is not slice + overlay; rerun cargo xtask slice"
    );
}

#[test]
fn v1_overlay_still_works_once_users_actions_is_sliced_too() {
    let Some(v1) = v1_upstream("v1_overlay_still_works_once_users_actions_is_sliced_too") else {
        return;
    };
    let users = serde_yaml::to_string(&users_actions(&serde_yaml::from_str(&v1).unwrap())).unwrap();
    let sliced = slice(
        &[
            (V1_SOURCE, &v1),
            ("v1.0-Users.Actions.derived.yml", &users),
            (V1_SUBSCRIPTIONS, &upstream_module(V1_SUBSCRIPTIONS)),
        ],
        &selection("v1.0"),
        Some(&overlay("v1.0")),
    )
    .unwrap();
    assert_same_client("v1_0", "v1.0", &sliced.yaml);
}

#[test]
fn an_action_upstream_already_satisfies_is_reported_stale() {
    let Some(v1) = v1_upstream("an_action_upstream_already_satisfies_is_reported_stale") else {
        return;
    };
    // The real overlay plus two actions restating what Microsoft's document says already:
    // the operationId of the communications setPresence and the values of bodyType.
    let label = "spec/v1.0/overlay.yaml";
    let text = format!(
        "{}- target: $.paths['/communications/presences/{{presence-id}}/setPresence'].post\n  description: restates upstream\n  update:\n    operationId: communication.presence_setPresence\n- target: $.components.schemas['microsoft.graph.bodyType']\n  description: restates upstream\n  update:\n    enum: [text, html]\n",
        read(label)
    );
    let overlay = Overlay::parse(label, &text).unwrap();
    let count = overlay.actions.len();
    let subs = upstream_module(V1_SUBSCRIPTIONS);
    let sliced = slice(
        &[(V1_SOURCE, &v1), (V1_SUBSCRIPTIONS, &subs)],
        &selection("v1.0"),
        Some(&overlay),
    )
    .unwrap();
    let stale: Vec<usize> = sliced.stale.iter().map(|s| s.index).collect();
    assert_eq!(stale, [count - 2, count - 1]);
    let message = sliced.stale[0].to_string();
    assert!(message.starts_with(&format!("{label}:")), "{message}");
    assert!(
        message.contains("upstream now says the same: delete this action"),
        "{message}"
    );
    // Stale actions change nothing, so the result is still the committed fragment.
    assert!(sliced.yaml == read("spec/v1.0/presence.yaml"));
}

#[test]
fn beta_overlay_on_microsoft_style_beta_modules_is_the_committed_fragment() {
    let Some(v1) =
        v1_upstream("beta_overlay_on_microsoft_style_beta_modules_is_the_committed_fragment")
    else {
        return;
    };
    let modules = beta_modules(&v1);
    let subs = upstream_module(BETA_SUBSCRIPTIONS);
    let mut sources: Vec<(&str, &str)> = modules.iter().map(|(n, t)| (*n, t.as_str())).collect();
    sources.push((BETA_SUBSCRIPTIONS, &subs));
    let sliced = slice(&sources, &selection("beta"), Some(&overlay("beta"))).unwrap();
    assert!(sliced.stale.is_empty(), "stale actions: {:?}", sliced.stale);
    assert_same_client("beta", "beta", &sliced.yaml);
    assert!(
        sliced.yaml == read("spec/beta/presence.yaml"),
        "spec/beta/presence.yaml is not slice(derived beta) + overlay"
    );
}
