//! The command tree against the spec's operations: every binding of every operation of both
//! versions is reachable, by its target flags and, under `/me`, from the `me` group; and every
//! generated command is an operation. Walks the client's operation descriptors (generated from
//! the same IR) and the clap tree side by side, without running anything.

use crate::generated;
use crate::support::{self, Target};
use clap::Command;
use msgraph_presence::runtime::OperationInfo;
use std::collections::BTreeSet;

/// `getPresence` and `get-presence` alike.
fn squash(name: &str) -> String {
    name.replace('-', "").to_ascii_lowercase()
}

struct Version {
    beta: bool,
    operations: &'static [&'static OperationInfo],
    targets: fn(&str) -> &'static [Target],
    group_members: fn(&str) -> &'static [(&'static str, usize)],
    /// The directory part: commands of the same tree.
    directory: Part,
}

/// The directory part of a version: its operations and command tables.
struct Part {
    operations: &'static [&'static OperationInfo],
    targets: fn(&str) -> &'static [Target],
    group_members: fn(&str) -> &'static [(&'static str, usize)],
}

const VERSIONS: [Version; 2] = [
    Version {
        beta: false,
        operations: msgraph_presence::v1_0::operations::ALL,
        targets: generated::v1_0::targets,
        group_members: generated::v1_0::group_members,
        directory: Part {
            operations: msgraph_presence::directory_v1_0::operations::ALL,
            targets: generated::directory_v1_0::targets,
            group_members: generated::directory_v1_0::group_members,
        },
    },
    Version {
        beta: true,
        operations: msgraph_presence::beta::operations::ALL,
        targets: generated::beta::targets,
        group_members: generated::beta::group_members,
        directory: Part {
            operations: msgraph_presence::directory_beta::operations::ALL,
            targets: generated::directory_beta::targets,
            group_members: generated::directory_beta::group_members,
        },
    },
];

/// `msgraph-presence [--beta] words...`, parsed; the innermost subcommand's matches.
fn parse(root: &Command, beta: bool, words: &[String]) -> (String, clap::ArgMatches) {
    let mut argv = vec!["msgraph-presence".to_owned()];
    if beta {
        argv.push("--beta".to_owned());
    }
    argv.extend(words.iter().cloned());
    let mut matches = root
        .clone()
        .try_get_matches_from(&argv)
        .unwrap_or_else(|e| panic!("{argv:?} does not parse: {e}"));
    let mut name = String::new();
    while let Some((sub, inner)) = matches.subcommand() {
        name = sub.to_owned();
        let inner = inner.clone();
        matches = inner;
    }
    (name, matches)
}

#[test]
fn every_binding_of_every_operation_is_reachable() {
    for version in VERSIONS {
        let root = crate::command(version.beta);
        let mut covered = BTreeSet::new();
        let me_members = (version.group_members)("me");
        let presence = version.operations.iter().map(|op| (op, version.targets));
        let directory =
            (version.directory.operations.iter()).map(|op| (op, version.directory.targets));
        // The directory has no `/me` bindings, so no `me` group of its own.
        assert!((version.directory.group_members)("me").is_empty());
        for (op, targets) in presence.chain(directory) {
            let command = root
                .get_subcommands()
                .find(|c| squash(c.get_name()) == squash(op.name))
                .unwrap_or_else(|| panic!("beta={}: no command for {}", version.beta, op.name));
            let name = command.get_name().to_owned();
            covered.insert(name.clone());
            let table = targets(&name);
            assert_eq!(table.len(), op.bindings.len(), "{name}");
            for binding in op.bindings {
                let target = table
                    .iter()
                    .find(|t| t.path == binding.path)
                    .unwrap_or_else(|| panic!("{name} has no target {}", binding.path));
                // The target's flags, as a user types them.
                let mut words = vec![name.clone()];
                for flag in target.flags {
                    let arg = command
                        .get_arguments()
                        .find(|a| a.get_id() == *flag)
                        .unwrap_or_else(|| panic!("{name} has no --{flag}"));
                    words.push(format!("--{flag}"));
                    if arg.get_action().takes_values() {
                        words.push("an-id".to_owned());
                    }
                }
                let (parsed, matches) = parse(&root, version.beta, &words);
                assert_eq!(parsed, name);
                let chosen = support::target(&matches, table).unwrap();
                assert_eq!(table[chosen].path, binding.path, "{words:?}");

                // Bindings under /me are also `me <command>`, on that binding.
                if binding.path.starts_with("/me/") {
                    let words = vec!["me".to_owned(), name.clone()];
                    let (parsed, _) = parse(&root, version.beta, &words);
                    assert_eq!(parsed, name);
                    let member = me_members
                        .iter()
                        .find(|(command, _)| *command == name)
                        .unwrap_or_else(|| panic!("`me` has no {name}"));
                    assert_eq!(table[member.1].path, binding.path);
                }
            }
        }
        // Nothing else: every other command is an operation, and the `me` group holds only
        // bindings under /me.
        for command in root.get_subcommands() {
            let name = command.get_name();
            if name != "me" && !crate::is_hand_written(name) {
                assert!(covered.contains(name), "{name} is not an operation");
            }
        }
        assert!(!me_members.is_empty());
        for (command, target) in me_members {
            let path = (version.targets)(command)[*target].path;
            assert!(path.starts_with("/me/"), "me {command} calls {path}");
        }
    }
}

#[test]
fn the_tree_is_well_formed() {
    // clap's own checks (duplicate flags, bad defaults, ...) run on `debug_assert`.
    for beta in [false, true] {
        crate::command(beta).debug_assert();
    }
}
