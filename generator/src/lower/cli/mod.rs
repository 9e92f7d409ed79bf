//! The command line's plan: every decision about the generated `msgraph-presence` commands
//! (subcommand and flag names, which flags pick which binding, how a flag's value is checked,
//! help texts), taken from the IR so `emit::cli` only writes it out.
//!
//! The rule, the same for every operation of a version:
//! - one subcommand per operation, named after the operation in kebab case (`set-presence`),
//!   with the bindings' method name as an alias when it differs and no other operation uses it,
//!   or when this operation has strictly the most bindings of those that do (`get-presence`,
//!   bound three times, is also `get`; `get-subscription`, bound once, is not): the operation
//!   reached from most places keeps the short name, and a tie gives it to none;
//! - the binding is picked by the ids given: every accessor that takes an id becomes a flag
//!   named after the accessor (`user(id)` is `--user ID`, `communications().presence(id)` is
//!   `--presence ID`); a binding that takes no id (`/me/...`) gets a switch named after its first
//!   segment (`--me`) and is the default when it is the only one;
//! - every top-level field of a JSON request body is a flag named after its wire name in kebab
//!   case (`sessionId` is `--session-id`), typed from the field's schema (durations and instants
//!   are checked, enums accept any value and list the known ones in the help); `--body JSON`
//!   gives the whole body (flags override its fields), so nested objects are reachable too;
//! - query and header parameters are flags named after their wire names;
//! - each switch is also a command group (`me`): its subcommands are the operations with a
//!   binding under that segment, without target flags (`me get` is `get --me`).

mod fields;
mod help;
mod targets;

use crate::error::{Error, ErrorKind, Result};
use crate::ir::cli::{CliApi, CliCommand, CliGroup, CliGroupMember, CommandFns};
use crate::ir::{Api, CratePath, Ident, TypeDef};
use fields::{plan_body, plan_params};
use heck::ToKebabCase;
use help::{about, description, group_long_about, long_about};
use std::collections::{BTreeMap, BTreeSet};
use targets::{parents, plan_targets};

/// Flags the hand-written part of the command line defines on every command, so no generated
/// flag may take them.
pub const GLOBAL_FLAGS: [&str; 8] = [
    "help", "version", "beta", "cloud", "base-url", "output", "auth", "body",
];

/// Subcommands the hand-written part defines itself.
pub const HAND_WRITTEN_COMMANDS: [&str; 2] = ["get-many", "help"];

/// For each binding method name (kebab case), the one operation that may take it as its alias:
/// the only operation using it, or the one with strictly the most bindings among those that do.
fn alias_owners(api: &Api) -> BTreeMap<String, usize> {
    let mut users: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, op) in api.operations.iter().enumerate() {
        for b in &op.bindings {
            let entry = users.entry(b.method.name.to_kebab_case()).or_default();
            if !entry.contains(&i) {
                entry.push(i);
            }
        }
    }
    users
        .into_iter()
        .filter_map(|(method, ops)| {
            let most = ops
                .iter()
                .map(|&i| api.operations[i].bindings.len())
                .max()?;
            match ops
                .iter()
                .filter(|&&i| api.operations[i].bindings.len() == most)
                .collect::<Vec<_>>()
                .as_slice()
            {
                [only] => Some((method, **only)),
                _ => None,
            }
        })
        .collect()
}

/// Documents of one API version share a command tree (the presence commands and the
/// directory's sit side by side), so an alias another document of that version already uses
/// as a command name or an alias is dropped; the document added first keeps it (`get` stays
/// `get-presence`'s, not `get-user`'s).
pub fn share_aliases(plans: &mut [CliApi]) {
    for later in 1..plans.len() {
        let (earlier, rest) = plans.split_at_mut(later);
        let plan = &mut rest[0];
        let taken: BTreeSet<&str> = earlier
            .iter()
            .filter(|p| p.version == plan.version)
            .flat_map(|p| p.commands.iter())
            .flat_map(|c| std::iter::once(c.name.as_str()).chain(c.alias.as_deref()))
            .collect();
        for command in &mut plan.commands {
            if command.alias.as_deref().is_some_and(|a| taken.contains(a)) {
                command.alias = None;
            }
        }
    }
}

/// Plans the commands of `api`.
pub fn plan(api: &Api, client_crate: &CratePath) -> Result<CliApi> {
    let types: BTreeMap<&str, &TypeDef> = api
        .types
        .iter()
        .map(|t| (t.name.name.as_str(), t))
        .collect();
    let parents = parents(api);
    let alias_owners = alias_owners(api);
    let names: BTreeSet<String> = api
        .operations
        .iter()
        .map(|op| op.method_name.to_kebab_case())
        .collect();
    let mut commands = Vec::new();
    for (index, op) in api.operations.iter().enumerate() {
        let name = op.method_name.to_kebab_case();
        let pointer = format!("operation {} ({})", op.action, name);
        if HAND_WRITTEN_COMMANDS.contains(&name.as_str()) {
            return Err(cli_error(
                &pointer,
                format!("the subcommand `{name}` is the command line's own"),
            ));
        }
        let methods: BTreeSet<String> = op
            .bindings
            .iter()
            .map(|b| b.method.name.to_kebab_case())
            .collect();
        let alias = match methods.into_iter().collect::<Vec<_>>().as_slice() {
            [m] if *m != name
                && alias_owners.get(m) == Some(&index)
                && !names.contains(m)
                && !HAND_WRITTEN_COMMANDS.contains(&m.as_str()) =>
            {
                Some(m.clone())
            }
            _ => None,
        };
        let (target_flags, targets) = plan_targets(api, op, &parents, &pointer)?;
        let body = plan_body(op, &types, &pointer)?;
        let params = plan_params(op, &types);
        let mut command = CliCommand {
            fns: command_fns(&name),
            about: about(op),
            long_about: long_about(&description(op), &targets),
            description: description(op),
            name,
            alias,
            target_flags,
            targets,
            body,
            params,
        };
        rename_taken_flags(&mut command);
        check_flags(&command, &pointer)?;
        commands.push(command);
    }
    commands.sort_by(|a, b| a.name.cmp(&b.name));
    let groups = plan_groups(&commands, &api.version)?;
    Ok(CliApi {
        module: api.module.clone(),
        version: api.version.clone(),
        client_crate: client_crate.clone(),
        commands,
        groups,
    })
}

/// One group per switch (`--me`); its members are the commands with a target that takes no id
/// under the switch's segment, including operations bound only there.
fn plan_groups(commands: &[CliCommand], version: &str) -> Result<Vec<CliGroup>> {
    let switches: BTreeSet<&str> = commands
        .iter()
        .flat_map(|c| &c.target_flags)
        .filter(|f| f.value_name.is_none())
        .map(|f| f.flag.as_str())
        .collect();
    let mut groups = Vec::new();
    for switch in switches {
        let pointer = format!("command group `{switch}`");
        let taken = commands
            .iter()
            .any(|c| c.name == switch || c.alias.as_deref() == Some(switch));
        if taken || HAND_WRITTEN_COMMANDS.contains(&switch) {
            return Err(cli_error(
                &pointer,
                format!("`{switch}` is already a command"),
            ));
        }
        let members = commands
            .iter()
            .filter_map(|c| {
                let target = c.targets.iter().position(|t| {
                    t.method_args.is_empty()
                        && t.chain.iter().all(|(_, ids)| ids.is_empty())
                        && t.chain
                            .first()
                            .is_some_and(|(a, _)| a.name.to_kebab_case() == switch)
                })?;
                Some(CliGroupMember {
                    command: c.name.clone(),
                    fns: c.fns.clone(),
                    target,
                    long_about: group_long_about(c, &c.targets[target]),
                })
            })
            .collect();
        groups.push(CliGroup {
            name: switch.to_owned(),
            builder_fn: Ident::plain(format!("{}_group", snake(switch))),
            about: format!("The {version} commands on /{switch}, without target flags"),
            members,
        });
    }
    Ok(groups)
}

/// The functions generated for the command `name` (kebab case, so never a keyword once
/// suffixed or prefixed).
fn command_fns(name: &str) -> CommandFns {
    let snake = snake(name);
    CommandFns {
        builder: Ident::plain(format!("{snake}_command")),
        add_targets: Ident::plain(format!("{snake}_targets")),
        runner: Ident::plain(format!("run_{snake}")),
        targets_table: Ident::plain(format!("{}_TARGETS", snake.to_ascii_uppercase())),
    }
}

/// A command or group name as part of a Rust identifier (`set-presence` → `set_presence`).
fn snake(name: &str) -> String {
    name.replace('-', "_")
}

pub(super) fn cli_error(pointer: &str, message: String) -> Error {
    Error::new(
        ErrorKind::Invalid,
        "",
        format!("command line for {pointer}: {message}"),
    )
}

/// A body field or parameter whose flag a global or target flag already has gets the prefix
/// `body-` or `param-` (Microsoft's callRecord bodies have a `version` field; `--version` is
/// clap's): the wire name stays, only the flag moves. What still collides after that is an
/// error of [`check_flags`].
fn rename_taken_flags(command: &mut CliCommand) {
    let mut taken: BTreeSet<String> = GLOBAL_FLAGS.iter().map(|f| (*f).to_owned()).collect();
    taken.extend(command.target_flags.iter().map(|f| f.flag.clone()));
    let body_fields = command.body.iter_mut().flat_map(|b| b.fields.iter_mut());
    let param_fields = command
        .params
        .iter_mut()
        .flat_map(|p| p.fields.iter_mut().map(|(_, f)| f));
    for (prefix, field) in body_fields
        .map(|f| ("body", f))
        .chain(param_fields.map(|f| ("param", f)))
    {
        if taken.contains(&field.flag) {
            field.flag = format!("{prefix}-{}", field.flag);
        }
        taken.insert(field.flag.clone());
    }
}

/// Every flag of a command must be unique and not one the hand-written part owns.
fn check_flags(command: &CliCommand, pointer: &str) -> Result<()> {
    let mut seen: BTreeMap<&str, &str> = GLOBAL_FLAGS.iter().map(|f| (*f, "global")).collect();
    let fields = command
        .body
        .iter()
        .flat_map(|b| b.fields.iter().map(|f| (f.flag.as_str(), "body field")))
        .chain(
            command
                .params
                .iter()
                .flat_map(|p| p.fields.iter().map(|(_, f)| (f.flag.as_str(), "parameter"))),
        );
    let ids = command
        .target_flags
        .iter()
        .map(|f| (f.flag.as_str(), "target"));
    for (flag, what) in ids.chain(fields) {
        if let Some(other) = seen.insert(flag, what) {
            return Err(cli_error(
                pointer,
                format!("the {what} flag `--{flag}` is already a {other} flag"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The v1.0 fragment: `get` is the method of three `get_presence` bindings and of the one
    /// `get_subscription` binding; `list` only of `list_subscription`.
    fn v1_api() -> Api {
        // Tests run in the package directory, so the workspace's spec is one level up.
        let source = std::fs::read_to_string("../spec/v1.0/presence.yaml").unwrap();
        let mut apis = crate::Generator::new()
            .spec("v1_0", "spec/v1.0/presence.yaml", source)
            .lower()
            .unwrap()
            .into_apis();
        apis.remove(0)
    }

    #[test]
    fn a_shared_method_name_goes_to_the_operation_bound_most_often() {
        let api = v1_api();
        let owners = alias_owners(&api);
        let owner = |method: &str| {
            owners
                .get(method)
                .map(|&i| api.operations[i].method_name.as_str())
        };
        assert_eq!(owner("get"), Some("get_presence"));
        assert_eq!(owner("list"), Some("list_subscription"));
        let plan = plan(&api, &CratePath::parse("::msgraph_presence").unwrap()).unwrap();
        let alias = |name: &str| {
            plan.commands
                .iter()
                .find(|c| c.name == name)
                .unwrap()
                .alias
                .clone()
        };
        assert_eq!(alias("get-presence").as_deref(), Some("get"));
        assert_eq!(alias("get-subscription"), None);
        assert_eq!(alias("list-subscription").as_deref(), Some("list"));
    }

    #[test]
    fn documents_of_one_version_share_aliases_first_come_first_served() {
        let crate_path = CratePath::parse("::msgraph_presence").unwrap();
        let source = std::fs::read_to_string("../spec/v1.0/directory/directory.yaml").unwrap();
        let directory = crate::Generator::new()
            .spec(
                "directory_v1_0",
                "spec/v1.0/directory/directory.yaml",
                source,
            )
            .lower()
            .unwrap()
            .into_apis()
            .remove(0);
        let alias_of = |plan: &CliApi, name: &str| {
            let command = plan.commands.iter().find(|c| c.name == name).unwrap();
            command.alias.clone()
        };
        let alone = plan(&directory, &crate_path).unwrap();
        assert_eq!(alias_of(&alone, "get-user").as_deref(), Some("get"));
        let mut plans = vec![plan(&v1_api(), &crate_path).unwrap(), alone];
        share_aliases(&mut plans);
        // `get` and `list` stay presence's; the directory's commands keep their names only.
        assert_eq!(alias_of(&plans[0], "get-presence").as_deref(), Some("get"));
        assert_eq!(alias_of(&plans[1], "get-user"), None);
        assert_eq!(alias_of(&plans[1], "list-user"), None);
    }
}
