//! `get-many`: the presence of many users, on the client's batch helper (650 ids a request).
//! Hand-written: it is a convenience over `getPresencesByUserId`, not an operation of the API.

use crate::errors::CliError;
use crate::support::Outcome;
use clap::{Arg, ArgMatches, Command};
use msgraph_presence::Client;
use serde_json::{Map, Value};
use std::io::{IsTerminal, Write};

/// Ids sent per call of the batch helper, so the progress line moves: four requests' worth,
/// the helper's default concurrency.
const IDS_PER_STEP: usize = 650 * 4;

pub fn command() -> Command {
    Command::new("get-many")
        .about("Read the presence of many users, ids from a file (650 per request)")
        .long_about(
            "Read the presence of many users: ids one per line (blank lines and lines starting \
             with # are skipped; `-` reads stdin), sent in getPresencesByUserId requests of at \
             most 650 ids. Prints one presence per input id, in input order; a user Graph did \
             not return is printed as just its id. Shows progress on stderr when it is a \
             terminal.",
        )
        .arg(
            Arg::new("ids-from")
                .long("ids-from")
                .value_name("FILE")
                .required(true)
                .help("File of user ids (object ids or UPNs), one per line; `-` for stdin"),
        )
}

pub async fn run(client: &Client, beta: bool, matches: &ArgMatches) -> Outcome {
    let source = matches
        .get_one::<String>("ids-from")
        .ok_or_else(|| CliError::BadInput("--ids-from is required".into()))?;
    let ids = parse_ids(&read(source)?);
    if ids.is_empty() {
        return Err(CliError::BadInput(format!("{source}: no ids")));
    }
    let progress = std::io::stderr().is_terminal();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_STEP) {
        let presences = if beta {
            values(client.beta().get_presences_for_users(chunk).await)?
        } else {
            values(client.v1_0().get_presences_for_users(chunk).await)?
        };
        for (id, presence) in chunk.iter().zip(presences) {
            out.push(with_id(id, presence));
        }
        if progress {
            let mut err = std::io::stderr();
            let _ = write!(err, "\r{}/{} users", out.len(), ids.len());
            let _ = err.flush();
        }
    }
    if progress {
        eprintln!();
    }
    Ok(Value::Array(out))
}

fn read(source: &str) -> Result<String, CliError> {
    let result = if source == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(source)
    };
    result.map_err(|e| CliError::BadInput(format!("--ids-from {source}: {e}")))
}

/// One id per line; blank lines and `#` comments skipped.
fn parse_ids(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn values<T: serde::Serialize>(
    result: msgraph_presence::Result<Vec<Option<T>>>,
) -> Result<Vec<Value>, CliError> {
    let presences = result.map_err(CliError::Api)?;
    presences
        .iter()
        .map(|p| serde_json::to_value(p).map_err(|e| CliError::Other(e.to_string())))
        .collect()
}

/// The presence, or `{"id": ...}` for a user Graph did not return.
fn with_id(id: &str, presence: Value) -> Value {
    match presence {
        Value::Object(map) => Value::Object(map),
        _ => {
            let mut map = Map::new();
            map.insert("id".into(), Value::String(id.to_owned()));
            Value::Object(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_skip_blanks_and_comments() {
        assert_eq!(parse_ids("a\n\n # x\n# y\n b \r\n"), ["a", "b"]);
    }
}
