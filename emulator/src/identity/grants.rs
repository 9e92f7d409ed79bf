//! What the emulated identity platform remembers: pending device codes, authorization codes,
//! live refresh tokens, and the switches tests flip (approve, decline, revoke, expire, require
//! interaction). Times come from the emulator's clock so weeks pass in a test instantly.

use super::super::clock::Clock;
use super::super::subscriptions::identity::DEFAULT_TENANT_ID;
use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use std::collections::{HashMap, HashSet};

/// Access tokens live an hour, like the real platform's usual 60–90 minutes.
pub(crate) const ACCESS_LIFETIME: SignedDuration = SignedDuration::from_hours(1);
/// Refresh tokens: 90 days, sliding (each use issues a new one with a fresh lifetime).
pub(crate) const REFRESH_LIFETIME: SignedDuration = SignedDuration::from_hours(90 * 24);
/// Device codes: 15 minutes.
pub(crate) const DEVICE_CODE_LIFETIME: SignedDuration = SignedDuration::from_mins(15);
/// The most device codes, authorization codes or refresh tokens kept at once (each kind): a
/// client asking for codes in a loop cannot grow the emulator's memory without bound.
pub const MAX_GRANTS: usize = 10_000;

/// Makes room for one more entry in `map` at `now`: expired entries go first, then, while the
/// map is full, the one expiring soonest.
pub(crate) fn make_room<V>(
    map: &mut HashMap<String, V>,
    now: Timestamp,
    expires: impl Fn(&V) -> Timestamp,
) {
    map.retain(|_, v| expires(v) > now);
    while map.len() >= MAX_GRANTS {
        let Some(soonest) = map
            .iter()
            .min_by_key(|(_, v)| expires(v))
            .map(|(k, _)| k.clone())
        else {
            break;
        };
        map.remove(&soonest);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved(String),
    Declined,
}

#[derive(Debug, Clone)]
pub(crate) struct DeviceGrant {
    pub user_code: String,
    pub client_id: String,
    pub scope: String,
    pub expires: Timestamp,
    pub status: DeviceStatus,
}

#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub scope: String,
    pub user: String,
    pub expires: Timestamp,
}

#[derive(Debug, Clone)]
pub(crate) struct RefreshGrant {
    pub client_id: String,
    pub user: String,
    pub scope: String,
    pub expires: Timestamp,
}

/// The platform's memory; one per emulator.
#[derive(Debug)]
pub(crate) struct Grants {
    pub clock: Clock,
    pub default_user: String,
    pub devices: HashMap<String, DeviceGrant>,
    pub codes: HashMap<String, AuthCode>,
    pub refresh: HashMap<String, RefreshGrant>,
    /// Users whose next refresh answers `interaction_required`.
    pub needs_interaction: HashSet<String>,
    /// Polls still to answer `slow_down`.
    pub slow_downs: u32,
    /// The polling interval announced with each device code.
    pub interval: u64,
    /// `/authorize` answers `access_denied` instead of a code while set.
    pub decline_authorize: bool,
    /// Refresh-token grants answered with a token, for tests that count renewals.
    pub refreshes: u64,
}

impl Grants {
    pub fn new(clock: Clock, default_user: String) -> Self {
        Grants {
            clock,
            default_user,
            devices: HashMap::new(),
            codes: HashMap::new(),
            refresh: HashMap::new(),
            needs_interaction: HashSet::new(),
            slow_downs: 0,
            interval: 5,
            decline_authorize: false,
            refreshes: 0,
        }
    }

    /// A delegated token answer for `user`: JWT-shaped tokens whose claims the Graph side
    /// reads (`scp` makes it delegated), and a new refresh token that replaces any old one.
    pub fn issue_delegated(
        &mut self,
        client_id: &str,
        user: &str,
        scope: &str,
    ) -> serde_json::Value {
        let now = self.clock.now();
        let refresh_token = format!("rt-{}", uuid::Uuid::new_v4().simple());
        make_room(&mut self.refresh, now, |g| g.expires);
        self.refresh.insert(
            refresh_token.clone(),
            RefreshGrant {
                client_id: client_id.to_owned(),
                user: user.to_owned(),
                scope: scope.to_owned(),
                expires: now + REFRESH_LIFETIME,
            },
        );
        let exp = (now + ACCESS_LIFETIME).as_second();
        let access = jwt(&serde_json::json!({
            "aud": "https://graph.microsoft.com",
            "azp": client_id,
            "oid": user,
            "tid": DEFAULT_TENANT_ID,
            "scp": "Presence.Read.All Presence.ReadWrite User.Read",
            "exp": exp,
            "jti": uuid::Uuid::new_v4().to_string(),
        }));
        let id_token = jwt(&serde_json::json!({
            "aud": client_id,
            "oid": user,
            "tid": DEFAULT_TENANT_ID,
            "preferred_username": user,
        }));
        serde_json::json!({
            "token_type": "Bearer",
            "scope": scope,
            "expires_in": ACCESS_LIFETIME.as_secs(),
            "access_token": access,
            "refresh_token": refresh_token,
            "id_token": id_token,
        })
    }

    /// An app-only answer (client credentials): `roles` and no `scp`, so the Graph side
    /// refuses it on presence subscriptions (R6), as the real service does.
    pub fn issue_app_only(&self, client_id: &str) -> serde_json::Value {
        let exp = (self.clock.now() + ACCESS_LIFETIME).as_second();
        let access = jwt(&serde_json::json!({
            "aud": "https://graph.microsoft.com",
            "appid": client_id,
            "tid": DEFAULT_TENANT_ID,
            "roles": ["Presence.Read.All"],
            "exp": exp,
        }));
        serde_json::json!({
            "token_type": "Bearer",
            "expires_in": ACCESS_LIFETIME.as_secs(),
            "access_token": access,
        })
    }
}

/// `header.payload.signature` with an empty header and a dummy signature: the emulator reads
/// claims, it does not verify signatures.
fn jwt(claims: &serde_json::Value) -> String {
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("e30.{payload}.x")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_map_drops_the_expired_then_the_soonest_to_expire() {
        let now = Timestamp::from_second(1_000_000).unwrap();
        let mut map: HashMap<String, Timestamp> = HashMap::new();
        map.insert("expired".into(), now - SignedDuration::from_secs(1));
        make_room(&mut map, now, |t| *t);
        assert!(map.is_empty());
        for n in 0..MAX_GRANTS {
            map.insert(
                format!("g{n}"),
                now + SignedDuration::from_secs(n as i64 + 1),
            );
        }
        make_room(&mut map, now, |t| *t);
        assert_eq!(map.len(), MAX_GRANTS - 1);
        assert!(!map.contains_key("g0"), "the soonest to expire goes");
        assert!(map.contains_key("g1"));
    }
}
