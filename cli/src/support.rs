//! What the generated commands (`crate::generated`) call: flag builders, value checks, the
//! choice of binding from the flags given, request bodies assembled from flags, and the typed
//! result turned into JSON. Hand-written so the generated files stay a plain list of commands.

use crate::errors::CliError;
use clap::parser::ValueSource;
use clap::{Arg, ArgAction, ArgMatches};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// What running a command gives: the response as JSON (`null` for no content), or the error.
pub type Outcome = Result<Value, CliError>;

/// How a flag's text is checked and turned into JSON.
// Every kind a spec can produce; today's presence specs use only some of them.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Bool,
    Integer,
    Number,
    /// RFC 3339 instant.
    DateTime,
    Date,
    /// ISO 8601 duration (`PT1H`).
    Duration,
    /// An open enum: the known values are listed in the help, any value is accepted.
    Enum(&'static [&'static str]),
    /// JSON text.
    Json,
    /// Repeatable or comma-separated values of a scalar kind.
    List(&'static Kind),
}

/// One body field: (flag, wire name, kind).
pub type BodyField = (&'static str, &'static str, &'static Kind);

/// The flags that select one binding of an operation.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    pub flags: &'static [&'static str],
    /// Chosen when no target flag is given.
    pub default: bool,
    /// The path template it calls, e.g. `/users/{user-id}/presence`.
    pub path: &'static str,
}

/// `--user USER_ID`: an id in the path.
pub fn id_arg(
    flag: &'static str,
    value_name: &'static str,
    help: &'static str,
    required: bool,
) -> Arg {
    Arg::new(flag)
        .long(flag)
        .value_name(value_name)
        .help(help)
        .required(required)
        .help_heading("Target")
}

/// `--me`: picks a binding that takes no id.
pub fn switch_arg(flag: &'static str, help: &'static str) -> Arg {
    Arg::new(flag)
        .long(flag)
        .help(help)
        .action(ArgAction::SetTrue)
        .help_heading("Target")
}

/// A body field or parameter, checked as `kind` says while the command line is parsed, so a
/// bad value is a usage error (exit status 2) naming the flag.
pub fn value_arg(flag: &'static str, help: &'static str, kind: &'static Kind) -> Arg {
    let kind = *kind;
    let arg = Arg::new(flag)
        .long(flag)
        .help(help)
        .value_name(value_name(kind))
        .value_parser(move |text: &str| check(kind, text));
    match kind {
        Kind::List(_) => arg.action(ArgAction::Append).value_delimiter(','),
        _ => arg,
    }
}

/// `--body JSON`: the whole request body (`@file` reads a file); flags override its fields.
pub fn body_arg() -> Arg {
    Arg::new("body").long("body").value_name("JSON").help(
        "The whole request body as JSON, or @FILE to read it from a file; the field flags \
             override its fields. Reaches nested fields no flag covers.",
    )
}

fn value_name(kind: Kind) -> &'static str {
    match kind {
        Kind::String => "TEXT",
        Kind::Bool => "BOOL",
        Kind::Integer => "INTEGER",
        Kind::Number => "NUMBER",
        Kind::DateTime => "DATETIME",
        Kind::Date => "DATE",
        Kind::Duration => "DURATION",
        Kind::Enum(_) => "VALUE",
        Kind::Json => "JSON",
        Kind::List(inner) => value_name(*inner),
    }
}

/// Checks one value and returns its JSON form.
pub fn check(kind: Kind, text: &str) -> Result<Value, String> {
    match kind {
        // Enums are open: Graph adds values over time, and the service is the judge.
        Kind::String | Kind::Enum(_) => Ok(Value::String(text.to_owned())),
        Kind::Bool => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err("expected `true` or `false`".to_owned()),
        },
        Kind::Integer => text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|e| format!("expected a whole number: {e}")),
        Kind::Number => text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| "expected a finite number".to_owned()),
        Kind::DateTime => text
            .parse::<jiff::Timestamp>()
            .map(|t| Value::String(t.to_string()))
            .map_err(|e| format!("expected an RFC 3339 instant such as 2026-01-01T09:00:00Z: {e}")),
        Kind::Date => text
            .parse::<jiff::civil::Date>()
            .map(|d| Value::String(d.to_string()))
            .map_err(|e| format!("expected a date such as 2026-01-01: {e}")),
        Kind::Duration => duration(text).map(Value::String),
        Kind::Json => serde_json::from_str(text).map_err(|e| format!("expected JSON: {e}")),
        Kind::List(inner) => check(*inner, text),
    }
}

/// An ISO 8601 duration (`PT1H`, `P1DT2H`), written back the way the client sends it.
pub fn duration(text: &str) -> Result<String, String> {
    let iso = text
        .strip_prefix('-')
        .unwrap_or(text)
        .starts_with(['P', 'p']);
    let parsed = iso
        .then(|| text.parse::<msgraph_presence::runtime::Duration>().ok())
        .flatten();
    parsed
        .map(|d| d.to_string())
        .ok_or_else(|| "expected an ISO 8601 duration such as PT1H or PT30M".to_owned())
}

/// Whether the user typed `flag` (a default or absent flag is not "given").
fn given(matches: &ArgMatches, flag: &str) -> bool {
    matches!(matches.value_source(flag), Some(ValueSource::CommandLine))
}

/// The binding a command group fixed (`me get`), else the one the flags pick.
pub fn pick(
    matches: &ArgMatches,
    targets: &[Target],
    fixed: Option<usize>,
) -> Result<usize, CliError> {
    match fixed {
        Some(index) => Ok(index),
        None => target(matches, targets),
    }
}

/// A command group (`me`) given without one of its commands.
pub fn no_command(group: &str) -> CliError {
    CliError::BadInput(format!("`{group}` needs a command; see `{group} --help`"))
}

/// The binding whose flags are exactly the target flags given.
pub fn target(matches: &ArgMatches, targets: &[Target]) -> Result<usize, CliError> {
    let mut all: Vec<&str> = targets
        .iter()
        .flat_map(|t| t.flags.iter().copied())
        .collect();
    all.sort_unstable();
    all.dedup();
    let chosen: Vec<&str> = all.into_iter().filter(|f| given(matches, f)).collect();
    let found = targets.iter().position(|t| {
        let mut flags = t.flags.to_vec();
        flags.sort_unstable();
        flags == chosen || (chosen.is_empty() && t.default)
    });
    found.ok_or_else(|| {
        let choices: Vec<String> = targets
            .iter()
            .map(|t| {
                let flags = t
                    .flags
                    .iter()
                    .map(|f| format!("--{f}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                if flags.is_empty() {
                    format!("no flag ({})", t.path)
                } else {
                    format!("{flags} ({})", t.path)
                }
            })
            .collect();
        let given = if chosen.is_empty() {
            "no target flag".to_owned()
        } else {
            chosen
                .iter()
                .map(|f| format!("--{f}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        CliError::BadInput(format!(
            "{given} does not name a target; give one of: {}",
            choices.join(" | ")
        ))
    })
}

/// What `target` cannot return; kept as an error rather than a panic.
pub fn no_such_target(index: usize) -> CliError {
    CliError::Other(format!("internal: no target number {index}"))
}

/// The value of an id flag.
pub fn id<'a>(matches: &'a ArgMatches, flag: &str) -> Result<&'a str, CliError> {
    matches
        .get_one::<String>(flag)
        .map(String::as_str)
        .ok_or_else(|| CliError::BadInput(format!("--{flag} is required for this target")))
}

/// The request body: `--body` (or `{}`), then every field flag given, decoded into the typed
/// request so a missing or mistyped field is reported before anything is sent.
pub fn body<T: DeserializeOwned>(
    matches: &ArgMatches,
    fields: &[BodyField],
) -> Result<T, CliError> {
    let mut value = match matches.get_one::<String>("body") {
        Some(text) => read_body(text)?,
        None => Value::Object(Map::new()),
    };
    for (flag, wire, kind) in fields {
        let Some(given) = flag_value(matches, flag, kind) else {
            continue;
        };
        let Value::Object(map) = &mut value else {
            return Err(CliError::BadInput(format!(
                "--{flag} needs --body to be a JSON object"
            )));
        };
        map.insert((*wire).to_owned(), given);
    }
    decode(value, fields)
}

fn read_body(text: &str) -> Result<Value, CliError> {
    let (what, text) = match text.strip_prefix('@') {
        Some(path) => (
            path.to_owned(),
            std::fs::read_to_string(path)
                .map_err(|e| CliError::BadInput(format!("--body @{path}: {e}")))?,
        ),
        None => ("--body".to_owned(), text.to_owned()),
    };
    serde_json::from_str(&text).map_err(|e| CliError::BadInput(format!("{what}: not JSON: {e}")))
}

fn decode<T: DeserializeOwned>(value: Value, fields: &[BodyField]) -> Result<T, CliError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // Name the flag when the problem is a top-level field, e.g. a missing `sessionId`.
        let hint = fields
            .iter()
            .find(|(_, wire, _)| inner.contains(&format!("`{wire}`")) || path == *wire)
            .map(|(flag, _, _)| format!(" (give --{flag})"))
            .unwrap_or_default();
        CliError::BadInput(format!("request body at `{path}`: {inner}{hint}"))
    })
}

/// The JSON value of a flag the user gave, if any.
fn flag_value(matches: &ArgMatches, flag: &str, kind: &Kind) -> Option<Value> {
    if !given(matches, flag) {
        return None;
    }
    match kind {
        Kind::List(_) => Some(Value::Array(
            matches.get_many::<Value>(flag)?.cloned().collect(),
        )),
        _ => matches.get_one::<Value>(flag).cloned(),
    }
}

/// An optional query or header parameter (today's presence specs have none).
#[allow(dead_code)]
pub fn param<T: DeserializeOwned>(
    matches: &ArgMatches,
    flag: &str,
    kind: &Kind,
) -> Result<Option<T>, CliError> {
    flag_value(matches, flag, kind)
        .map(|v| {
            serde_json::from_value(v).map_err(|e| CliError::BadInput(format!("--{flag}: {e}")))
        })
        .transpose()
}

/// A required query or header parameter.
#[allow(dead_code)]
pub fn required_param<T: DeserializeOwned>(
    matches: &ArgMatches,
    flag: &str,
    kind: &Kind,
) -> Result<T, CliError> {
    param(matches, flag, kind)?.ok_or_else(|| CliError::BadInput(format!("--{flag} is required")))
}

/// The typed result as JSON, or the error classified for its exit status.
pub fn finish<T: Serialize>(result: msgraph_presence::Result<T>) -> Outcome {
    let value = result.map_err(CliError::Api)?;
    serde_json::to_value(&value).map_err(|e| CliError::Other(format!("encoding the answer: {e}")))
}

/// `--all` and `--max-items N`, on commands whose answer is a paged collection.
pub fn paging_args() -> [Arg; 2] {
    [
        Arg::new("all")
            .long("all")
            .help("Follow @odata.nextLink through every page; print the items as one JSON array")
            .action(ArgAction::SetTrue)
            .help_heading("Paging"),
        Arg::new("max-items")
            .long("max-items")
            .value_name("N")
            .help("Like --all, but stop after N items (fetching no further page)")
            .value_parser(clap::value_parser!(usize))
            .help_heading("Paging"),
    ]
}

/// `None`: one page, as the service sends it. `Some(cap)`: every page, up to `cap` items.
pub fn paging(matches: &ArgMatches) -> Option<Option<usize>> {
    match matches.get_one::<usize>("max-items") {
        Some(cap) => Some(Some(*cap)),
        None => matches.get_flag("all").then_some(None),
    }
}

/// The items of a paged collection, as one JSON array; the first error ends the command.
pub async fn finish_stream<T: Serialize>(
    items: impl futures_util::Stream<Item = msgraph_presence::Result<T>>,
) -> Outcome {
    use futures_util::StreamExt as _;
    let mut items = std::pin::pin!(items);
    let mut out = Vec::new();
    while let Some(item) = items.next().await {
        let item = item.map_err(CliError::Api)?;
        out.push(
            serde_json::to_value(&item)
                .map_err(|e| CliError::Other(format!("encoding the answer: {e}")))?,
        );
    }
    Ok(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGETS: &[Target] = &[
        Target {
            flags: &["me"],
            default: true,
            path: "/me/presence",
        },
        Target {
            flags: &["user"],
            default: false,
            path: "/users/{user-id}/presence",
        },
    ];

    fn matches(args: &[&str]) -> ArgMatches {
        clap::Command::new("get")
            .arg(switch_arg("me", "me"))
            .arg(id_arg("user", "USER_ID", "user", false))
            .try_get_matches_from(std::iter::once("get").chain(args.iter().copied()))
            .unwrap()
    }

    #[test]
    fn the_flags_given_pick_the_binding() {
        assert_eq!(target(&matches(&[]), TARGETS).unwrap(), 0);
        assert_eq!(target(&matches(&["--me"]), TARGETS).unwrap(), 0);
        assert_eq!(target(&matches(&["--user", "u1"]), TARGETS).unwrap(), 1);
        // A group fixes the binding whatever the flags say.
        assert_eq!(pick(&matches(&[]), TARGETS, Some(1)).unwrap(), 1);
        let err = target(&matches(&["--me", "--user", "u1"]), TARGETS).unwrap_err();
        assert_eq!(
            err.report(),
            "error: --me --user does not name a target; give one of: --me (/me/presence) | \
             --user (/users/{user-id}/presence)"
        );
    }

    #[test]
    fn durations_must_be_iso_8601() {
        assert_eq!(duration("PT1H").as_deref(), Ok("PT1H"));
        assert_eq!(duration("pt30m").as_deref(), Ok("PT30M"));
        assert!(duration("1h").is_err());
        assert!(duration("an hour").is_err());
        assert!(duration("").is_err());
    }

    #[test]
    fn open_enums_accept_any_value() {
        let kind = Kind::Enum(&["Available", "Busy"]);
        assert_eq!(check(kind, "Lunch"), Ok(Value::String("Lunch".into())));
    }

    #[test]
    fn scalars_become_json() {
        assert_eq!(check(Kind::Bool, "true"), Ok(Value::Bool(true)));
        assert!(check(Kind::Bool, "yes").is_err());
        assert_eq!(check(Kind::Integer, "42"), Ok(Value::from(42)));
        assert!(check(Kind::DateTime, "tomorrow").is_err());
        assert_eq!(
            check(Kind::Json, r#"{"a":1}"#),
            Ok(serde_json::json!({"a": 1}))
        );
    }
}
