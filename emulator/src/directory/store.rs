//! What the emulated directory holds: users (object id, UPN, mail, names) and groups whose
//! members are users or other groups. Reads resolve a user by id or UPN and flatten nested
//! membership; nothing here knows about HTTP.

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// A user of the emulated directory, as seeded (library, `--directory FILE`, or
/// `POST /_emulator/directory/users`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryUser {
    /// Object id: what presence calls and subscriptions take.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub display_name: String,
    /// Sign-in name; `GET /users/{upn}` finds the user by it (ignoring ASCII case).
    pub user_principal_name: String,
    /// Primary SMTP address, if the user has a mailbox.
    #[serde(default)]
    pub mail: Option<String>,
    /// Job title, if any.
    #[serde(default)]
    pub job_title: Option<String>,
}

impl DirectoryUser {
    /// A user with the given id, display name and UPN; `mail` is the UPN.
    pub fn new(
        id: impl Into<String>,
        display_name: impl Into<String>,
        upn: impl Into<String>,
    ) -> Self {
        let upn = upn.into();
        DirectoryUser {
            id: id.into(),
            display_name: display_name.into(),
            mail: Some(upn.clone()),
            user_principal_name: upn,
            job_title: None,
        }
    }

    /// The user as Graph writes it (the default properties of `GET /users`).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        let (given, surname) = match self.display_name.split_once(' ') {
            Some((given, surname)) => (Some(given), Some(surname)),
            None => (None, None),
        };
        serde_json::json!({
            "@odata.type": "#microsoft.graph.user",
            "id": self.id,
            "displayName": self.display_name,
            "userPrincipalName": self.user_principal_name,
            "mail": self.mail,
            "givenName": given,
            "surname": surname,
            "jobTitle": self.job_title,
            "businessPhones": [],
        })
    }
}

/// A member of a group: a user or another group, by object id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "camelCase")]
pub enum GroupMember {
    /// A user's object id.
    User(String),
    /// A nested group's object id.
    Group(String),
}

/// A group of the emulated directory.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryGroup {
    /// Object id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub display_name: String,
    /// Direct members, in the order they are listed.
    #[serde(default)]
    pub members: Vec<GroupMember>,
}

/// Users and groups, by object id.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    users: BTreeMap<String, DirectoryUser>,
    groups: BTreeMap<String, DirectoryGroup>,
}

impl Directory {
    /// Adds or replaces a user (by id).
    pub fn put_user(&mut self, user: DirectoryUser) {
        self.users.insert(user.id.clone(), user);
    }

    /// Adds or replaces a group (by id).
    pub fn put_group(&mut self, group: DirectoryGroup) {
        self.groups.insert(group.id.clone(), group);
    }

    /// Forgets every user and group.
    pub fn clear(&mut self) {
        self.users.clear();
        self.groups.clear();
    }

    /// Every user, ordered by object id (the emulator's stable default order).
    pub fn users(&self) -> Vec<&DirectoryUser> {
        self.users.values().collect()
    }

    /// The user whose object id is `key`, or whose UPN is `key` ignoring ASCII case.
    pub fn user(&self, key: &str) -> Option<&DirectoryUser> {
        self.users.get(key).or_else(|| {
            self.users
                .values()
                .find(|u| u.user_principal_name.eq_ignore_ascii_case(key))
        })
    }

    pub fn group(&self, id: &str) -> Option<&DirectoryGroup> {
        self.groups.get(id)
    }

    /// The users among the group's direct members, in member order (ids no user has are
    /// skipped, as Graph does not list deleted objects).
    pub fn direct_users(&self, group: &DirectoryGroup) -> Vec<&DirectoryUser> {
        group
            .members
            .iter()
            .filter_map(|m| match m {
                GroupMember::User(id) => self.users.get(id),
                GroupMember::Group(_) => None,
            })
            .collect()
    }

    /// The users among the group's members with nested groups flattened, each once, in the
    /// order a depth-first walk meets them. A group reached twice (or a cycle) is walked once.
    pub fn transitive_users(&self, group: &DirectoryGroup) -> Vec<&DirectoryUser> {
        let mut seen_users = BTreeSet::new();
        let mut seen_groups = BTreeSet::from([group.id.as_str()]);
        let mut out = Vec::new();
        let mut stack = vec![group];
        while let Some(current) = stack.pop() {
            let mut nested = Vec::new();
            for member in &current.members {
                match member {
                    GroupMember::User(id) => {
                        if let Some(user) = self.users.get(id)
                            && seen_users.insert(id.as_str())
                        {
                            out.push(user);
                        }
                    }
                    GroupMember::Group(id) => {
                        if let Some(inner) = self.groups.get(id)
                            && seen_groups.insert(id.as_str())
                        {
                            nested.push(inner);
                        }
                    }
                }
            }
            // Reversed, so the first nested group is walked first.
            stack.extend(nested.into_iter().rev());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> DirectoryUser {
        DirectoryUser::new(id, format!("User {id}"), format!("{id}@contoso.test"))
    }

    fn sample() -> Directory {
        let mut d = Directory::default();
        for id in ["a", "b", "c", "d"] {
            d.put_user(user(id));
        }
        d.put_group(DirectoryGroup {
            id: "outer".into(),
            display_name: "Outer".into(),
            members: vec![
                GroupMember::User("a".into()),
                GroupMember::Group("inner".into()),
                GroupMember::User("gone".into()),
            ],
        });
        d.put_group(DirectoryGroup {
            id: "inner".into(),
            display_name: "Inner".into(),
            members: vec![
                GroupMember::User("b".into()),
                GroupMember::User("a".into()),
                // A cycle back to the outer group must not loop.
                GroupMember::Group("outer".into()),
                GroupMember::User("c".into()),
            ],
        });
        d
    }

    #[test]
    fn direct_members_skip_groups_and_unknown_ids() {
        let d = sample();
        let ids: Vec<&str> = d
            .direct_users(d.group("outer").unwrap())
            .iter()
            .map(|u| u.id.as_str())
            .collect();
        assert_eq!(ids, ["a"]);
    }

    #[test]
    fn transitive_members_are_flattened_once_and_survive_cycles() {
        let d = sample();
        let ids: Vec<&str> = d
            .transitive_users(d.group("outer").unwrap())
            .iter()
            .map(|u| u.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }

    #[test]
    fn a_user_is_found_by_id_or_upn_ignoring_case() {
        let d = sample();
        assert_eq!(d.user("b").unwrap().id, "b");
        assert_eq!(d.user("B@Contoso.TEST").unwrap().id, "b");
        assert!(d.user("nobody").is_none());
    }
}
