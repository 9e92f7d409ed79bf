//! The command line's command tree is generated from the same IR as the client: an operation
//! added to a spec becomes a subcommand (with its target flags and typed body flags), and a
//! flag the command line cannot offer is a clear error, not a broken binary.

use generator::{GeneratedFile, Generator};
use std::path::Path;

fn v1_0_spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/v1.0/presence.yaml");
    std::fs::read_to_string(path).unwrap()
}

/// The request body of the new action: a string, a duration and a boolean named `extra_name`.
fn focus_body(extra_name: &str) -> String {
    format!(
        r#"      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [reason]
              properties:
                reason:
                  type: string
                  description: Why the time is blocked.
                focusDuration:
                  type: string
                  format: duration
                  description: How long.
                {extra_name}:
                  type: boolean
      responses:
        '204':
          description: Done.
"#
    )
}

/// `spec` with a new action `setFocusTime` bound to `/users/{user-id}/presence` and to
/// `/me/presence`.
fn with_new_operation(spec: &str, extra_name: &str) -> String {
    let body = focus_body(extra_name);
    let user_path = format!(
        r#"  /users/{{user-id}}/presence/setFocusTime:
    post:
      summary: Block time to focus
      description: A made-up action, to show new operations reach the command line.
      operationId: user.presence_setFocusTime
      parameters:
      - name: user-id
        in: path
        required: true
        description: Object ID (a GUID) of the user whose presence is addressed.
        schema:
          type: string
{body}"#
    );
    let me_path = format!(
        r#"  /me/presence/setFocusTime:
    post:
      summary: Block time to focus
      description: A made-up action, to show new operations reach the command line.
      operationId: me.presence_setFocusTime
{body}"#
    );
    let mut spec = spec.to_owned();
    for (anchor, new) in [
        ("  /users/{user-id}/presence/clearLocation:\n", user_path),
        ("  /me/presence/clearLocation:\n", me_path),
    ] {
        assert!(spec.contains(anchor), "no {anchor:?} in the spec");
        spec = spec.replacen(anchor, &format!("{new}{anchor}"), 1);
    }
    spec
}

fn cli_files(spec: String) -> Result<Vec<GeneratedFile>, generator::Error> {
    Generator::new()
        .spec("v1_0", "spec/v1.0/presence.yaml", spec)
        .generate_cli()
}

fn version_file(files: &[GeneratedFile]) -> &str {
    &files
        .iter()
        .find(|f| f.path == Path::new("v1_0.rs"))
        .expect("v1_0.rs")
        .contents
}

/// The text without whitespace, so checks do not depend on where rustfmt breaks lines.
fn squashed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_new_operation_in_the_spec_is_a_new_subcommand() {
    let before = cli_files(v1_0_spec()).unwrap();
    assert!(!version_file(&before).contains("set-focus-time"));

    let spec = with_new_operation(&v1_0_spec(), "silent");
    let after = cli_files(spec.clone()).unwrap();
    assert_eq!(
        after,
        cli_files(spec).unwrap(),
        "output is not deterministic"
    );
    let text = version_file(&after);
    syn::parse_file(text).expect("the generated commands parse");
    let flat = squashed(text);
    for expected in [
        // A top-level command with its target flags, run when its name is given ...
        r#"set_focus_time_targets(set_focus_time_command())"#,
        r#"::clap::Command::new("set-focus-time")"#,
        r#"run_set_focus_time(version,matches,::std::option::Option::None).await"#,
        // ... a flag per body field, checked by kind ...
        r#"support::value_arg("focus-duration","How long. An ISO 8601 duration, e.g. PT1H.",&support::Kind::Duration"#,
        r#"("focus-duration","focusDuration",&support::Kind::Duration)"#,
        r#"("silent","silent",&support::Kind::Bool)"#,
        r#"support::value_arg("reason","Why the time is blocked. Required (here or in --body).",&support::Kind::String"#,
        // ... one target per binding, called through the typed client ...
        r#"support::Target{flags:&["me"],default:true,path:"/me/presence/setFocusTime""#,
        r#"support::Target{flags:&["user"],default:false,path:"/users/{user-id}/presence/setFocusTime""#,
        r#"version.user(support::id(matches,"user")?).presence().set_focus_time(&body)"#,
        r#"version.me().presence().set_focus_time(&body)"#,
        "POST /users/{user-id}/presence/setFocusTime",
        // ... and a member of the `me` group, fixed to the /me binding.
        r#".subcommand(set_focus_time_command().long_about("#,
        r#"run_set_focus_time(version,matches,::std::option::Option::Some(0usize)"#,
    ] {
        assert!(
            flat.contains(&squashed(expected)),
            "no {expected:?} in:\n{text}"
        );
    }
    assert!(
        after[0].contents.starts_with("// @generated"),
        "{}",
        after[0].contents
    );
}

#[test]
fn a_body_field_that_takes_a_global_flag_gets_the_body_prefix() {
    let spec = with_new_operation(&v1_0_spec(), "beta");
    let files = cli_files(spec).unwrap();
    let text = squashed(version_file(&files));
    // The field keeps its wire name; only its flag moves out of the global flag's way.
    assert!(
        text.contains(&squashed(r#"("body-beta", "beta", &support::Kind::Bool)"#)),
        "the field `beta` is not the flag --body-beta"
    );
    assert!(
        !text.contains(&squashed(r#"("beta", "beta","#)),
        "the field still takes the global --beta"
    );
}
