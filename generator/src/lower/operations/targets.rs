//! The `Target` enum: one variant per way of naming the resource an action is bound to.

use super::names::GRAPH_NAMESPACE;
use super::paths::template_params;
use crate::ir::TargetVariant;
use crate::lower::naming::{self, NameSet};

#[derive(Default)]
pub(super) struct Targets {
    pub(super) variants: Vec<TargetVariant>,
    names: NameSet,
}

impl Targets {
    /// The variant for a binding: named after its last path parameter (`{user-id}` → `User`),
    /// or its first segment when it has none (`/me/...` → `Me`); reused across operations when
    /// name and fields agree.
    pub(super) fn variant_for(
        &mut self,
        path: &str,
        fields: &[String],
        taken_in_op: &[String],
    ) -> String {
        let candidates = [
            short_target_name(path),
            naming::pascal(&literal_words(path)),
        ];
        for candidate in &candidates {
            if taken_in_op.contains(candidate) {
                continue;
            }
            match self.variants.iter().find(|v| &v.name == candidate) {
                Some(existing) if existing.fields.len() == fields.len() => {
                    return candidate.clone();
                }
                Some(_) => continue,
                None => {
                    self.names.reserve(candidate);
                    self.variants.push(TargetVariant {
                        name: candidate.clone(),
                        fields: fields.to_vec(),
                        example_path: path.to_owned(),
                    });
                    return candidate.clone();
                }
            }
        }
        let name = self.names.claim(candidates[1].clone());
        self.variants.push(TargetVariant {
            name: name.clone(),
            fields: fields.to_vec(),
            example_path: path.to_owned(),
        });
        name
    }
}

pub(super) fn short_target_name(path: &str) -> String {
    let params = template_params(path).unwrap_or_default();
    match params.last() {
        Some(last) => {
            let lower = last.to_ascii_lowercase();
            let stem = lower.trim_end_matches("-id").trim_end_matches("_id");
            let stem = if stem == "id" || stem.is_empty() {
                // `{id}`: name it after the collection before it (`users` → `User`).
                let before = &path[..path.find(&format!("{{{last}}}")).unwrap_or(0)];
                before
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("item")
                    .trim_end_matches('s')
                    .to_owned()
            } else if last.ends_with("Id") && last.len() > 2 {
                last[..last.len() - 2].to_owned()
            } else {
                stem.to_owned()
            };
            naming::pascal(&stem)
        }
        None => naming::pascal(
            path.trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("root"),
        ),
    }
}

pub(super) fn literal_words(path: &str) -> String {
    path.split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .map(|s| s.trim_start_matches(GRAPH_NAMESPACE))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names_follow_the_last_parameter() {
        assert_eq!(short_target_name("/me/presence/setPresence"), "Me");
        assert_eq!(short_target_name("/users/{user-id}/presence"), "User");
        assert_eq!(
            short_target_name("/communications/presences/{presence-id}"),
            "Presence"
        );
        assert_eq!(short_target_name("/users/{id}/presence"), "User");
        assert_eq!(short_target_name("/users/{usersId}/presence"), "Users");
    }
}
