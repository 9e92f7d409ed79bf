//! `watch`: live presence of given users, printed until Ctrl-C. Hand-written over the
//! notifications crate's `PresenceView`: subscriptions kept alive, a webhook receiver on
//! `--listen`, everyone read first, then one line per change (old -> new).
//!
//! The users come from `--user`; `users()` is the one place that turns flags into ids, so a
//! `--group ID` (members read through the directory) plugs in there.

use crate::errors::CliError;
use crate::escape::escape;
use crate::output::Format;
use crate::support::Outcome;
use clap::{Arg, ArgAction, ArgMatches, Command};
use msgraph_presence::Client;
use msgraph_presence_notifications::receiver::KeySource;
use msgraph_presence_notifications::{
    Certificate, PresenceSubscriptions, PresenceUpdate, PresenceView, Receiver, UserPresence,
    ViewEnd, crypto,
};
use serde_json::{Value, json};

/// The label of the encryption certificate in subscriptions and in the receiver.
const CERT_ID: &str = "msgraph-presence-watch";

pub fn command() -> Command {
    Command::new("watch")
        .about("Print the presence changes of users as they happen, until Ctrl-C")
        .long_about(
            "Print the presence of users, then every change as it happens (old -> new), until \
             Ctrl-C: subscribes (rich notifications, renewed), serves the webhook on --listen, \
             and keeps a view that applies only newer changes and reads users again after \
             missed notifications. Graph must reach --notification-url (public HTTPS) and that \
             URL must lead to --listen; the emulator delivers to --listen directly. With \
             --output json, one JSON object per line.",
        )
        .arg(
            Arg::new("user")
                .long("user")
                .value_name("ID")
                .action(ArgAction::Append)
                .value_delimiter(',')
                .required_unless_present("group")
                .help("A user to watch (object id); repeat or separate with commas"),
        )
        .arg(Arg::new("group").long("group").value_name("ID").help(
            "Watch a group's users: its direct and nested members that are users, \
                     read from the directory (GroupMember.Read.All) before subscribing",
        ))
        .arg(
            Arg::new("notification-url")
                .long("notification-url")
                .value_name("URL")
                .help("The public HTTPS URL Graph posts to [default: http://LISTEN/]"),
        )
        .arg(
            Arg::new("listen")
                .long("listen")
                .value_name("ADDR")
                .default_value("127.0.0.1:0")
                .help("Local address the webhook receiver listens on"),
        )
        .arg(
            Arg::new("cert")
                .long("cert")
                .value_name("PEM")
                .required(true)
                .help("Encryption certificate (PEM) Graph encrypts the rich notifications for"),
        )
        .arg(
            Arg::new("key")
                .long("key")
                .value_name("PEM")
                .required(true)
                .help("The certificate's private key (PEM, PKCS#8 or PKCS#1)"),
        )
        .arg(
            Arg::new("app-id")
                .long("app-id")
                .value_name("ID")
                .help("Application id the validation tokens are issued to [default: --client-id]"),
        )
}

/// The ids to watch: the `--user` ids, then the user members of `--group` (direct and
/// nested, paged), each once, in that order.
async fn users(client: &Client, matches: &ArgMatches) -> Result<Vec<String>, CliError> {
    let mut users: Vec<String> = matches
        .get_many::<String>("user")
        .into_iter()
        .flatten()
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .collect();
    if let Some(group) = matches.get_one::<String>("group") {
        let members = group_users(client, group).await?;
        if members.is_empty() {
            return Err(CliError::BadInput(format!(
                "--group {}: the group has no user members",
                escape(group)
            )));
        }
        users.extend(members);
    }
    let mut seen = std::collections::HashSet::new();
    users.retain(|id| seen.insert(id.clone()));
    if users.is_empty() {
        return Err(CliError::BadInput("--user: no user ids".into()));
    }
    Ok(users)
}

/// The object ids of the group's users, direct and nested (`transitiveMembers` cast to user).
async fn group_users(client: &Client, group: &str) -> Result<Vec<String>, CliError> {
    use futures_util::StreamExt as _;
    use msgraph_presence::directory_v1_0::models::ListTransitiveMemberAsUserParams;
    let params = ListTransitiveMemberAsUserParams {
        select: Some(vec!["id".to_owned()]),
        top: Some(999),
        ..Default::default()
    };
    let mut members = std::pin::pin!(
        client
            .directory_v1_0()
            .group(group)
            .transitive_members()
            .user_stream(&params, None)
    );
    let mut ids = Vec::new();
    while let Some(user) = members.next().await {
        ids.extend(user.map_err(CliError::Api)?.id);
    }
    Ok(ids)
}

fn read(flag: &str, matches: &ArgMatches) -> Result<String, CliError> {
    let path = matches
        .get_one::<String>(flag)
        .ok_or_else(|| CliError::BadInput(format!("--{flag} is required")))?;
    std::fs::read_to_string(path).map_err(|e| CliError::BadInput(format!("--{flag} {path}: {e}")))
}

/// Where the validation tokens' signing keys come from: the authority's OpenID configuration
/// (Microsoft's identity hosts, or the emulator on loopback), fetched at start, refreshed daily
/// and when Microsoft rolls its keys (an unknown `kid`).
fn signing_keys(authority: &str) -> KeySource {
    KeySource::openid_configuration(format!(
        "{}/common/v2.0/.well-known/openid-configuration",
        authority.trim_end_matches('/')
    ))
}

pub async fn run(
    client: &Client,
    matches: &ArgMatches,
    authority: &str,
    format: Format,
) -> Outcome {
    let users = users(client, matches).await?;
    let app_id = matches
        .get_one::<String>("app-id")
        .or_else(|| matches.get_one::<String>("client-id"))
        .cloned()
        .or_else(|| std::env::var("MSGRAPH_PRESENCE_CLIENT_ID").ok())
        .ok_or_else(|| {
            CliError::BadInput(
                "--app-id (or --client-id) is required: the app that subscribes".into(),
            )
        })?;
    let certificate = Certificate::from_pem(CERT_ID, &read("cert", matches)?)
        .map_err(|e| CliError::BadInput(format!("--cert: {e}")))?;
    let key = crypto::private_key_from_pem(&read("key", matches)?)
        .map_err(|e| CliError::BadInput(format!("--key: {e}")))?;
    // Random (256 bits from the OS), so a forged notification cannot guess it (R12).
    let client_state = msgraph_presence_notifications::ClientStates::random_value();
    let receiver = Receiver::builder()
        .app_id(&app_id)
        .client_state(&client_state)
        .certificate(CERT_ID, key)
        .key_source(signing_keys(authority))
        .build()
        .map_err(|e| CliError::Other(format!("webhook receiver: {e}")))?;
    receiver
        .refresh_keys()
        .await
        .map_err(|e| CliError::Other(format!("webhook receiver's signing keys: {e}")))?;

    let listen = matches
        .get_one::<String>("listen")
        .map_or("127.0.0.1:0", String::as_str);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| CliError::BadInput(format!("--listen {listen}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::Other(e.to_string()))?;
    let router = receiver.router();
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            eprintln!("webhook receiver stopped: {error}");
        }
    });
    let url = matches
        .get_one::<String>("notification-url")
        .cloned()
        .unwrap_or_else(|| format!("http://{local}/"));
    eprintln!("listening on {local}; notifications to {url}");

    let subscriptions = PresenceSubscriptions::builder(client, &url, certificate)
        .client_state(&client_state)
        .application_id(&app_id)
        .subscribe(&users)
        .await
        .map_err(|e| match e {
            msgraph_presence_notifications::ManagerError::Graph { source, .. } => {
                CliError::Api(*source)
            }
            other => CliError::Other(other.to_string()),
        })?;
    let mut view = PresenceView::builder(client)
        .start(&users, receiver, subscriptions)
        .await
        .map_err(|e| CliError::Other(e.to_string()))?;
    let mut changes = view
        .take_changes()
        .ok_or_else(|| CliError::Other("internal: no change stream".into()))?;
    let snapshot = view.snapshot();
    for user in &users {
        let now = snapshot.get(&user.to_ascii_lowercase());
        println!("{}", line(user, None, now, format));
    }
    loop {
        tokio::select! {
            change = changes.recv() => match change {
                Some(PresenceUpdate { user_id, old, new }) => {
                    println!("{}", line(&user_id, old.as_ref().map(Some), Some(&new), format));
                }
                None => break,
            },
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    let ended = view.ended();
    view.shutdown().await;
    match ended {
        Some(ViewEnd::SignInAgain { error }) => Err(CliError::Auth(format!(
            "{error}; {}",
            crate::signin::SIGN_IN_ADVICE
        ))),
        Some(other) => Err(CliError::Other(other.to_string())),
        None => Ok(Value::Null),
    }
}

fn presence_json(p: Option<&UserPresence>) -> Value {
    match p {
        Some(p) => json!({ "availability": p.availability, "activity": p.activity }),
        None => Value::Null,
    }
}

fn presence_text(p: Option<&UserPresence>) -> String {
    match p {
        Some(p) => escape(&format!(
            "{}/{}",
            p.availability.as_deref().unwrap_or("?"),
            p.activity.as_deref().unwrap_or("?")
        )),
        None => "?".into(),
    }
}

/// One output line: the initial state (`old` is `None`) or a change (`old` is `Some`).
fn line(
    user: &str,
    old: Option<Option<&UserPresence>>,
    new: Option<&UserPresence>,
    format: Format,
) -> String {
    let at = jiff::Timestamp::now().to_string();
    match (format, old) {
        (Format::Json, None) => {
            json!({ "at": at, "user": user, "initial": true, "new": presence_json(new) })
                .to_string()
        }
        (Format::Json, Some(old)) => json!({
            "at": at, "user": user, "old": presence_json(old), "new": presence_json(new),
        })
        .to_string(),
        (Format::Table, None) => format!("{at}  {}  {}", escape(user), presence_text(new)),
        (Format::Table, Some(old)) => format!(
            "{at}  {}  {} -> {}",
            escape(user),
            presence_text(old),
            presence_text(new)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_show_old_and_new() {
        let busy = UserPresence {
            availability: Some("Busy".into()),
            activity: Some("InACall".into()),
            sequence_number: None,
        };
        let away = UserPresence {
            availability: Some("Away".into()),
            activity: Some("Away".into()),
            sequence_number: None,
        };
        let change: Value =
            serde_json::from_str(&line("u1", Some(Some(&busy)), Some(&away), Format::Json))
                .unwrap();
        assert_eq!(change["old"]["availability"], "Busy");
        assert_eq!(change["new"]["activity"], "Away");
        let table = line("u1", Some(Some(&busy)), Some(&away), Format::Table);
        assert!(table.ends_with("u1  Busy/InACall -> Away/Away"), "{table}");
        let first: Value =
            serde_json::from_str(&line("u1", None, Some(&busy), Format::Json)).unwrap();
        assert_eq!(first["initial"], true);
    }
}
