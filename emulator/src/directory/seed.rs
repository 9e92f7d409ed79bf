//! Seeding the directory from the library: users, groups, a demo team, and a seed file (the
//! binary's `--directory FILE`).

use super::store::{DirectoryGroup, DirectoryUser, GroupMember};
use crate::server::Emulator;
use serde::Deserialize;
use std::sync::PoisonError;

/// A directory seed file: `{"users": [...], "groups": [...]}` in the shapes of
/// `POST /_emulator/directory/users` and `/groups`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DirectorySeed {
    /// Users to add.
    #[serde(default)]
    pub users: Vec<DirectoryUser>,
    /// Groups to add.
    #[serde(default)]
    pub groups: Vec<DirectoryGroup>,
}

impl DirectorySeed {
    /// Reads a seed from JSON text.
    ///
    /// # Errors
    ///
    /// The text is not a seed.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// A demo team: group `group_id` ("Demo team") with `direct` users as direct members and a
    /// nested group ("Demo team, remote") with `nested` more, all with UPN and mail under
    /// `contoso.test`. User ids are GUID-shaped and stable (`00000000-0000-4000-a000-<n>`).
    pub fn demo_team(group_id: &str, direct: usize, nested: usize) -> Self {
        let user = |n: usize| {
            let first = ["Ann", "Bo", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana"][n % 8];
            DirectoryUser::new(
                format!("00000000-0000-4000-a000-{n:012}"),
                format!("{first} Demo{n}"),
                format!("{}.demo{n}@contoso.test", first.to_ascii_lowercase()),
            )
        };
        let users: Vec<DirectoryUser> = (1..=direct + nested).map(user).collect();
        let nested_id = format!("{group_id}-remote");
        let mut members: Vec<GroupMember> = users[..direct]
            .iter()
            .map(|u| GroupMember::User(u.id.clone()))
            .collect();
        members.push(GroupMember::Group(nested_id.clone()));
        DirectorySeed {
            groups: vec![
                DirectoryGroup {
                    id: group_id.to_owned(),
                    display_name: "Demo team".into(),
                    members,
                },
                DirectoryGroup {
                    id: nested_id,
                    display_name: "Demo team, remote".into(),
                    members: users[direct..]
                        .iter()
                        .map(|u| GroupMember::User(u.id.clone()))
                        .collect(),
                },
            ],
            users,
        }
    }
}

impl Emulator {
    /// Adds (or replaces, by id) a directory user. Presence is separate: the user reads
    /// `PresenceUnknown` until [`Emulator::add_user`] or a presence write names them.
    pub fn add_directory_user(&self, user: DirectoryUser) {
        self.directory().put_user(user);
    }

    /// Adds (or replaces, by id) a directory group.
    pub fn add_group(&self, group: DirectoryGroup) {
        self.directory().put_group(group);
    }

    /// Adds every user and group of `seed`; its users also become known to presence
    /// (`Offline/Offline`), as real directory users are.
    pub fn seed_directory(&self, seed: DirectorySeed) {
        for user in &seed.users {
            self.add_user(&user.id);
        }
        let mut directory = self.directory();
        seed.users.into_iter().for_each(|u| directory.put_user(u));
        seed.groups.into_iter().for_each(|g| directory.put_group(g));
    }

    /// Forgets every directory user and group (presence state stays).
    pub fn clear_directory(&self) {
        self.directory().clear();
    }

    fn directory(&self) -> std::sync::MutexGuard<'_, super::store::Directory> {
        self.shared()
            .directory
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
