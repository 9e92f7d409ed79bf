//! The command line's errors, what they print and the exit status of each class.

use crate::escape::escape;
use msgraph_presence::Error;
use std::fmt::Write as _;
use std::process::ExitCode;

/// Exit statuses, one per class of failure (also in `--help`, see [`EXIT_STATUS_HELP`]).
pub mod status {
    /// The call succeeded.
    pub const OK: u8 = 0;
    /// Anything not classified below (transport failures, 5xx after retries, ...).
    pub const OTHER: u8 = 1;
    /// Bad input: a usage error, a value that does not parse, a body the service rejected (400).
    pub const BAD_INPUT: u8 = 2;
    /// No token, or the service refused it (401, 403).
    pub const AUTH: u8 = 3;
    /// The user, presence or session does not exist (404).
    pub const NOT_FOUND: u8 = 4;
    /// Still throttled (429) after the retries.
    pub const THROTTLED: u8 = 5;
}

/// The exit statuses, for the top-level help.
pub const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  success
  1  other failure (connection, 5xx after retries, ...)
  2  bad input (usage, a value that does not parse, HTTP 400)
  3  authentication or authorization (no token, HTTP 401/403)
  4  not found (HTTP 404)
  5  throttled (HTTP 429 after retries)";

/// A failed command.
#[derive(Debug)]
pub enum CliError {
    /// The command line or a value in it is unusable; nothing was sent.
    BadInput(String),
    /// No token could be had.
    Auth(String),
    /// The call failed.
    Api(Error),
    Other(String),
}

impl CliError {
    /// The exit status of this class of failure.
    pub fn status(&self) -> u8 {
        match self {
            CliError::BadInput(_) => status::BAD_INPUT,
            CliError::Auth(_) => status::AUTH,
            CliError::Other(_) => status::OTHER,
            CliError::Api(e) => match e {
                Error::InvalidInput(_) => status::BAD_INPUT,
                Error::Auth(_) | Error::SignInAgain(_) => status::AUTH,
                _ => match e.status() {
                    Some(400) => status::BAD_INPUT,
                    Some(401 | 403) => status::AUTH,
                    Some(404) => status::NOT_FOUND,
                    Some(429) => status::THROTTLED,
                    _ => status::OTHER,
                },
            },
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.status())
    }

    /// What goes to stderr: the message, then the OData code and message and both request ids
    /// when the service answered, one per line so scripts can grep them.
    pub fn report(&self) -> String {
        let mut out = String::new();
        match self {
            CliError::BadInput(m) => {
                let _ = write!(out, "error: {}", escape(m));
            }
            CliError::Auth(m) => {
                let _ = write!(out, "error: authentication: {}", escape(m));
            }
            CliError::Other(m) => {
                let _ = write!(out, "error: {}", escape(m));
            }
            // Service text (OData code and message, ids) is escaped piece by piece: the
            // report's own line breaks stay, the service's cannot forge more.
            CliError::Api(e) => {
                let _ = write!(out, "error: {}", escape(&e.to_string()));
                if e.is_sign_in_again() {
                    let _ = write!(out, "\n  {}", crate::signin::SIGN_IN_ADVICE);
                }
                if let Some(odata) = e.odata() {
                    let _ = write!(
                        out,
                        "\n  code: {}\n  message: {}",
                        escape(&odata.code),
                        escape(&odata.message)
                    );
                }
                if let Some(status) = e.status() {
                    let _ = write!(out, "\n  status: {status}");
                }
                if let Some(id) = e.request_id() {
                    let _ = write!(out, "\n  request-id: {}", escape(id));
                }
                if let Some(id) = e.client_request_id() {
                    let _ = write!(out, "\n  client-request-id: {}", escape(id));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_have_distinct_statuses() {
        let all = [
            status::OK,
            status::OTHER,
            status::BAD_INPUT,
            status::AUTH,
            status::NOT_FOUND,
            status::THROTTLED,
        ];
        let mut unique = all.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), all.len());
        assert_eq!(CliError::BadInput("x".into()).status(), status::BAD_INPUT);
        assert_eq!(
            CliError::Api(Error::Auth("x".into())).status(),
            status::AUTH
        );
    }
}
