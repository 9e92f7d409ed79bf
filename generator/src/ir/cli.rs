//! The command line's plan: plain data made by `lower::cli` from a version's [`Api`](super::Api),
//! written out by `emit::cli` without a decision of its own (names of commands, flags and the
//! generated functions, help texts and the client crate's path are all chosen when this exists).

use super::{CratePath, Ident, TypeRef};

/// The commands of one API version.
#[derive(Debug, Clone, PartialEq)]
pub struct CliApi {
    /// The version's module and client accessor, e.g. `v1_0`.
    pub module: String,
    pub version: String,
    /// The client crate the commands call (`::msgraph_presence`), a setting of the generator.
    pub client_crate: CratePath,
    /// Sorted by name.
    pub commands: Vec<CliCommand>,
    /// Command groups named after a switch (`me`), sorted by name.
    pub groups: Vec<CliGroup>,
}

/// `me`: the operations with a binding that takes no id under this first segment, each run on
/// that binding (`msgraph-presence me get`).
#[derive(Debug, Clone, PartialEq)]
pub struct CliGroup {
    pub name: String,
    /// The function building the group's clap command (`me_group`).
    pub builder_fn: Ident,
    pub about: String,
    /// Sorted by command name.
    pub members: Vec<CliGroupMember>,
}

/// One operation in a group: the command's name, the binding it runs and its help.
#[derive(Debug, Clone, PartialEq)]
pub struct CliGroupMember {
    /// The name of the operation's command (its alias works in the group too).
    pub command: String,
    /// The command's generated functions, which the group calls.
    pub fns: CommandFns,
    /// Index into the command's `targets`.
    pub target: usize,
    /// The command's help with this binding as the only target.
    pub long_about: String,
}

/// One subcommand: one operation of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct CliCommand {
    pub name: String,
    /// The names of the functions generated for this command.
    pub fns: CommandFns,
    pub alias: Option<String>,
    /// One line for the command list.
    pub about: String,
    /// The whole help: description, targets with their paths and permissions.
    pub long_about: String,
    /// The summary and the description's first paragraph.
    pub description: String,
    /// Flags naming ids and switches picking a binding, sorted by name.
    pub target_flags: Vec<TargetFlag>,
    pub targets: Vec<CliTarget>,
    pub body: Option<CliBody>,
    /// Query and header parameters, when the operation has a parameter struct.
    pub params: Option<CliParams>,
}

/// The generated functions and table of one command, named after it (`set-presence` →
/// `set_presence_command`, `set_presence_targets`, `run_set_presence`, `SET_PRESENCE_TARGETS`).
#[derive(Debug, Clone, PartialEq)]
pub struct CommandFns {
    /// Builds the clap command without its target flags.
    pub builder: Ident,
    /// Adds the target flags to the command (when it has any).
    pub add_targets: Ident,
    /// Runs the command on the binding its flags pick.
    pub runner: Ident,
    /// The constant listing the command's bindings.
    pub targets_table: Ident,
}

/// A flag that names an id (`--user ID`) or, for a switch, a binding without ids (`--me`).
#[derive(Debug, Clone, PartialEq)]
pub struct TargetFlag {
    pub flag: String,
    /// `USER_ID`; `None` for a switch.
    pub value_name: Option<String>,
    pub help: String,
    /// Given on every call (the operation has one binding).
    pub required: bool,
}

/// One binding: the flags that select it and the builder calls that reach it.
#[derive(Debug, Clone, PartialEq)]
pub struct CliTarget {
    /// The flags (ids and switches) that select this binding, sorted.
    pub flags: Vec<String>,
    /// Selected when no target flag is given.
    pub default: bool,
    /// The path template, e.g. `/users/{user-id}/presence`.
    pub path: String,
    /// The HTTP method, path and least privileged permissions, for the help.
    pub call_help: String,
    /// Accessors from the version client, each with the flags of the ids it takes.
    pub chain: Vec<(Ident, Vec<String>)>,
    pub method: Ident,
    /// Flags of the ids the method takes itself (function call segments).
    pub method_args: Vec<String>,
    /// The binding's paging method (`list_stream`), when its answer is a collection with
    /// `@odata.nextLink`: the command then takes `--all` and `--max-items`.
    pub stream: Option<Ident>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CliBody {
    pub ty: TypeRef,
    /// Top-level fields of a JSON object body; empty for other bodies (`--body` only).
    pub fields: Vec<CliField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CliParams {
    /// The parameter struct's name in the version's `models`.
    pub type_name: Ident,
    /// Each field of the struct, with its flag.
    pub fields: Vec<(Ident, CliField)>,
}

/// A flag carrying one value of a body field or parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct CliField {
    pub flag: String,
    pub wire_name: String,
    pub help: String,
    pub kind: FlagKind,
    pub required: bool,
}

/// How a flag's text is checked and turned into JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum FlagKind {
    String,
    Bool,
    Integer,
    Number,
    /// RFC 3339 instant.
    DateTime,
    Date,
    /// ISO 8601 duration (`PT1H`).
    Duration,
    /// An open enum: any value, these are the known ones.
    Enum(Vec<String>),
    /// Any JSON text (objects, maps, free JSON).
    Json,
    /// Repeatable or comma-separated values of a scalar kind.
    List(Box<FlagKind>),
}
