//! The team wallboard's logic, shared by the example (`main.rs`) and its test
//! (`tests/team_wallboard.rs`): a group's members from the directory (paged), everyone's
//! presence through a [`PresenceView`] (650-id batches), then the changes as lines to print.

use futures_util::StreamExt;
use msgraph_presence::Client;
use msgraph_presence::directory_v1_0::models::ListTransitiveMemberAsUserParams;
use msgraph_presence_notifications::receiver::JwkSet;
use msgraph_presence_notifications::{
    Certificate, PresenceSubscriptions, PresenceUpdate, PresenceView, Receiver, UserPresence,
    crypto,
};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::mpsc;

/// The properties the board shows; asking for only these keeps the pages small.
const SELECT: [&str; 3] = ["id", "displayName", "userPrincipalName"];

/// A member of the team, as the directory names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub upn: String,
}

/// What the wallboard needs to receive notifications: the app id the emulator (or Entra)
/// issues validation tokens to, a `clientState`, and the encryption certificate pair (PEM).
pub struct Subscriber<'a> {
    pub app_id: &'a str,
    pub client_state: &'a str,
    pub cert_pem: &'a str,
    pub key_pem: &'a str,
}

/// Every user among the group's members, nested groups included, page after page
/// (`page_size` a page, Graph's 100 when `None`).
pub async fn members(
    client: &Client,
    group_id: &str,
    page_size: Option<i32>,
) -> msgraph_presence::Result<Vec<Member>> {
    let params = ListTransitiveMemberAsUserParams {
        select: Some(SELECT.iter().map(|s| (*s).to_owned()).collect()),
        top: page_size,
        ..Default::default()
    };
    let mut stream = std::pin::pin!(
        client
            .directory_v1_0()
            .group(group_id)
            .transitive_members()
            .user_stream(&params, None)
    );
    let mut out = Vec::new();
    while let Some(user) = stream.next().await {
        let user = user?;
        let Some(id) = user.id else { continue };
        out.push(Member {
            name: user.display_name.unwrap_or_else(|| id.clone()),
            upn: user.user_principal_name.unwrap_or_default(),
            id,
        });
    }
    Ok(out)
}

/// A running wallboard: the members and a view of their presence.
pub struct Wallboard {
    members: Vec<Member>,
    names: HashMap<String, String>,
    view: PresenceView,
}

impl Wallboard {
    /// Lists the group's members, subscribes to their presence (one subscription per 650
    /// users, each through its own signed-in client in `subscribers`), serves the webhook on
    /// 127.0.0.1 and loads everyone's presence before returning.
    pub async fn start(
        client: &Client,
        subscribers: &[Client],
        base_url: &str,
        group_id: &str,
        who: &Subscriber<'_>,
    ) -> Result<Wallboard, Box<dyn std::error::Error + Send + Sync>> {
        let members = members(client, group_id, None).await?;
        if members.is_empty() {
            return Err(format!("group {group_id} has no user members").into());
        }
        let keys: JwkSet = reqwest::get(format!("{base_url}/common/discovery/v2.0/keys"))
            .await?
            .error_for_status()?
            .json()
            .await?;
        let receiver = Receiver::builder()
            .app_id(who.app_id)
            .client_state(who.client_state)
            .certificate("team-wallboard", crypto::private_key_from_pem(who.key_pem)?)
            .keys(keys)
            .build()?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let hook = format!("http://{}/", listener.local_addr()?);
        let router = receiver.router();
        tokio::spawn(async move { axum::serve(listener, router).await });

        let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
        let (first, others) = subscribers
            .split_first()
            .ok_or("at least one subscribing client is needed")?;
        let mut builder = PresenceSubscriptions::builder(
            first,
            &hook,
            Certificate::from_pem("team-wallboard", who.cert_pem)?,
        )
        .client_state(who.client_state)
        .application_id(who.app_id);
        for other in others {
            builder = builder.signed_in_user(other);
        }
        let subscriptions = builder.subscribe(&ids).await?;
        let view = PresenceView::builder(client)
            .pace(Duration::from_millis(5))
            .start(&ids, receiver, subscriptions)
            .await?;
        let names = members
            .iter()
            .map(|m| (m.id.to_ascii_lowercase(), m.name.clone()))
            .collect();
        Ok(Wallboard {
            members,
            names,
            view,
        })
    }

    pub fn members(&self) -> &[Member] {
        &self.members
    }

    /// One line per member, in the directory's order: `name <upn>  availability / activity`.
    pub fn board(&self) -> Vec<String> {
        let snapshot = self.view.snapshot();
        self.members
            .iter()
            .map(|m| {
                let state = snapshot.get(&m.id.to_ascii_lowercase());
                format!("{} <{}>  {}", m.name, m.upn, describe(state))
            })
            .collect()
    }

    /// The changes, as the view applies them (`None` after the first call).
    pub fn take_changes(&mut self) -> Option<mpsc::Receiver<PresenceUpdate>> {
        self.view.take_changes()
    }

    /// A change as a line: `name: old -> new`.
    pub fn line(&self, update: &PresenceUpdate) -> String {
        let name = self
            .names
            .get(&update.user_id.to_ascii_lowercase())
            .map_or(update.user_id.as_str(), String::as_str);
        format!(
            "{name}: {} -> {}",
            describe(update.old.as_ref()),
            describe(Some(&update.new))
        )
    }

    pub async fn shutdown(self) {
        self.view.shutdown().await;
    }
}

fn describe(presence: Option<&UserPresence>) -> String {
    match presence {
        None => "?".to_owned(),
        Some(p) => format!(
            "{} / {}",
            p.availability.as_deref().unwrap_or("?"),
            p.activity.as_deref().unwrap_or("?")
        ),
    }
}
