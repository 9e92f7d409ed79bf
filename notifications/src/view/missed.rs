//! Who to read again when a `missed` lifecycle notification arrives (§6.4).
//!
//! The view acts on `missed` itself rather than waiting for the manager's
//! [`SubscriptionEvent::Missed`](crate::manager::SubscriptionEvent::Missed): the manager
//! ignores a repeat of the same event for the same subscription within a minute (its F5
//! cooldown, which guards Graph calls against floods), but every `missed` stands for a change
//! that is lost, and only a read brings it back. A read costs little here: pending users are
//! coalesced into one `getPresencesByUserId` per pace, so a flood of `missed` costs at most
//! one read per pace.

use super::state::key;
use crate::manager::ManagedSubscription;

/// The users of `subscription_id`, or everyone when the id is not (or not yet) one of
/// `held`: a subscription being created again has no id, and a `missed` from a subscription
/// made before a restart names an id this process never saw. Reading everyone is the safe
/// answer; guessing "nobody" would leave a user wrong until their next change.
pub(super) fn users_to_read(
    held: &[ManagedSubscription],
    subscription_id: &str,
    everyone: &[String],
) -> Vec<String> {
    let id = subscription_id.trim();
    match held.iter().find(|s| !s.id.is_empty() && s.id == id) {
        Some(subscription) => subscription.user_ids.iter().map(|u| key(u)).collect(),
        None => everyone.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscription(id: &str, users: &[&str]) -> ManagedSubscription {
        ManagedSubscription {
            id: id.into(),
            resource: String::new(),
            user_ids: users.iter().map(|u| (*u).to_owned()).collect(),
            client_state: String::new(),
            expires: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_known_subscription_reads_its_users_and_an_unknown_one_everyone() {
        let held = [subscription("s1", &["U1", "u2"]), subscription("", &["u3"])];
        let everyone: Vec<String> = ["u1", "u2", "u3"].map(String::from).to_vec();
        assert_eq!(users_to_read(&held, "s1", &everyone), ["u1", "u2"]);
        assert_eq!(users_to_read(&held, "s9", &everyone), everyone);
        // A subscription waiting to be created again has no id: "" must not match it.
        assert_eq!(users_to_read(&held, "", &everyone), everyone);
    }
}
