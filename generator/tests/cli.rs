//! The command line's command tree is generated from the same IR as the client: an operation
//! added to a spec becomes a subcommand (with its target flags and typed body flags), and a
//! flag the command line cannot offer is a clear error, not a broken binary.

use generator::{Generator, GeneratedFile};
use std::path::Path;

fn v1_0_spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/v1.0/presence.yaml");
    std::fs::read_to_string(path).unwrap()
}

/// `spec` with a new action `setFocusTime` on `/users/{user-id}/presence`, whose body has a
/// string, a duration and `extra` named `extra_name`.
fn with_new_operation(spec: &str, extra_name: &str) -> String {
    let new_path = format!(
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
      requestBody:
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
    );
    let anchor = "  /users/{user-id}/presence/clearLocation:\n";
    assert!(spec.contains(anchor));
    spec.replacen(anchor, &format!("{new_path}{anchor}"), 1)
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

#[test]
fn a_new_operation_in_the_spec_is_a_new_subcommand() {
    let before = cli_files(v1_0_spec()).unwrap();
    assert!(!version_file(&before).contains("set-focus-time"));

    let spec = with_new_operation(&v1_0_spec(), "silent");
    let after = cli_files(spec.clone()).unwrap();
    assert_eq!(after, cli_files(spec).unwrap(), "output is not deterministic");
    let text = version_file(&after);
    syn::parse_file(text).expect("the generated commands parse");
    for expected in [
        r#"::clap::Command::new("set-focus-time")"#,
        r#""set-focus-time" => run_set_focus_time(version, matches).await"#,
        r#"support::value_arg("focus-duration""#,
        r#"("focus-duration", "focusDuration", &support::Kind::Duration)"#,
        r#"("silent", "silent", &support::Kind::Bool)"#,
        ".user(support::id(matches, \"user\")?)",
        ".set_focus_time(&body)",
        "POST /users/{user-id}/presence/setFocusTime",
    ] {
        assert!(text.contains(expected), "no {expected:?} in:\n{text}");
    }
    assert!(
        after[0].contents.starts_with("// @generated"),
        "{}",
        after[0].contents
    );
}

#[test]
fn a_body_field_that_takes_a_global_flag_is_reported() {
    let spec = with_new_operation(&v1_0_spec(), "beta");
    let err = cli_files(spec).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("spec/v1.0/presence.yaml"), "{message}");
    assert!(message.contains("set-focus-time"), "{message}");
    assert!(
        message.contains("the body field flag `--beta` is already a global flag"),
        "{message}"
    );
}
