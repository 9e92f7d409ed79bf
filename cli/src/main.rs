//! `msgraph-presence`: every operation of the Microsoft Graph presence API on the command line.
//!
//! The command tree (`generated/`) is written by `cargo xtask codegen` from the same IR as the
//! client, so a new operation in `spec/` is a new subcommand. This file and the modules beside
//! it are written by hand: global flags, auth, output, errors and `get-many`.

mod auth;
mod errors;
mod escape;
#[rustfmt::skip]
mod generated;
mod many;
mod output;
mod signin;
mod support;
#[cfg(test)]
mod tree_tests;
mod watch;

use clap::{Arg, ArgAction, ArgMatches, Command};
use errors::CliError;
use msgraph_presence::{Client, Cloud};
use std::ffi::OsString;
use std::io::IsTerminal;
use std::process::ExitCode;

/// The help heading of the flags every command takes, so a command's own flags stand apart.
const GLOBAL: &str = "Global options";

const CLOUDS: [&str; 4] = ["global", "us-gov-l4", "us-gov-l5", "china"];

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = auth::join_token_env(std::env::args_os().collect());
    let beta = wants_beta(&args);
    let matches = command(beta).get_matches_from(args);
    match run(&matches, beta).await {
        Ok(text) => {
            if !text.is_empty() {
                println!("{text}");
            }
            ExitCode::from(errors::status::OK)
        }
        Err(e) => {
            eprintln!("{}", e.report());
            e.exit_code()
        }
    }
}

/// The commands written by hand beside the generated tree (not operations of the API).
#[cfg(test)]
fn is_hand_written(name: &str) -> bool {
    name == "get-many" || name == "watch" || signin::is_command(name)
}

/// `--beta` anywhere before `--` picks the beta command tree, which is built before parsing.
fn wants_beta(args: &[OsString]) -> bool {
    args.iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--beta")
}

fn command(beta: bool) -> Command {
    let mut version_commands = if beta {
        generated::beta::commands()
    } else {
        generated::v1_0::commands()
    };
    // The directory part's commands (get-user, list-user, list-member-as-user, ...) sit beside
    // the presence ones; the names do not overlap.
    version_commands.extend(if beta {
        generated::directory_beta::commands()
    } else {
        generated::directory_v1_0::commands()
    });
    Command::new("msgraph-presence")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Microsoft Graph presence from the command line (v1.0, or beta with --beta)")
        .long_about(
            "Microsoft Graph presence from the command line: one subcommand per operation of \
             the v1.0 API (of the beta API with --beta), generated from the same OpenAPI \
             documents as the Rust client. `msgraph-presence me get` reads your own presence, \
             `get --user ID` someone else's; `msgraph-presence --beta --help` lists the beta \
             commands.",
        )
        .after_help(errors::EXIT_STATUS_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("beta")
                .help_heading(GLOBAL)
                .long("beta")
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Call the beta API (its own commands; may change without notice)"),
        )
        .arg(
            Arg::new("cloud")
                .help_heading(GLOBAL)
                .long("cloud")
                .global(true)
                .value_parser(CLOUDS)
                .default_value("global")
                .help("National cloud: its Graph endpoint and token scope"),
        )
        .arg(
            Arg::new("base-url")
                .help_heading(GLOBAL)
                .long("base-url")
                .global(true)
                .value_name("URL")
                .help("Send requests here instead of the cloud's endpoint (e.g. the emulator)"),
        )
        .arg(
            Arg::new("output")
                .help_heading(GLOBAL)
                .long("output")
                .short('o')
                .global(true)
                .value_parser(["json", "table"])
                .default_value("json")
                .help("json (pretty on a terminal, one line otherwise) or a compact table"),
        )
        .arg(
            Arg::new("auth")
                .help_heading(GLOBAL)
                .long("auth")
                .global(true)
                .value_name("METHOD")
                .help(auth::AUTH_HELP),
        )
        .args(signin::global_args())
        .subcommands(version_commands)
        .subcommand(many::command())
        .subcommands(signin::commands())
        .subcommand(watch::command())
}

async fn run(matches: &ArgMatches, beta: bool) -> Result<String, CliError> {
    let Some((name, sub)) = matches.subcommand() else {
        return Err(CliError::BadInput("no command given; see --help".into()));
    };
    if signin::is_command(name) {
        let value = signin::run(name, sub, cloud_of(sub)).await?;
        return Ok(output::render(
            &value,
            format_of(sub),
            std::io::stdout().is_terminal(),
        ));
    }
    let client = client(sub)?;
    let outcome = if name == "get-many" {
        many::run(&client, beta, sub).await
    } else if name == "watch" {
        let authority = signin::authority(sub, cloud_of(sub));
        watch::run(&client, sub, &authority, format_of(sub)).await
    } else {
        let run = if beta {
            match generated::beta::run(&client, name, sub).await {
                None => generated::directory_beta::run(&client, name, sub).await,
                found => found,
            }
        } else {
            match generated::v1_0::run(&client, name, sub).await {
                None => generated::directory_v1_0::run(&client, name, sub).await,
                found => found,
            }
        };
        run.unwrap_or_else(|| Err(CliError::BadInput(format!("unknown command {name}"))))
    };
    let value = outcome?;
    Ok(output::render(
        &value,
        format_of(sub),
        std::io::stdout().is_terminal(),
    ))
}

fn format_of(matches: &ArgMatches) -> output::Format {
    match matches.get_one::<String>("output").map(String::as_str) {
        Some("table") => output::Format::Table,
        _ => output::Format::Json,
    }
}

fn cloud_of(matches: &ArgMatches) -> Cloud {
    match matches.get_one::<String>("cloud").map(String::as_str) {
        Some("us-gov-l4") => Cloud::UsGovL4,
        Some("us-gov-l5") => Cloud::UsGovL5,
        Some("china") => Cloud::China,
        _ => Cloud::Global,
    }
}

fn client(matches: &ArgMatches) -> Result<Client, CliError> {
    let cloud = cloud_of(matches);
    let method = auth::parse(matches.get_one::<String>("auth").map(String::as_str))?;
    let mut builder = Client::builder().cloud(cloud);
    if let Some(url) = matches.get_one::<String>("base-url") {
        builder = builder.base_url(url);
    }
    auth::apply(builder, &method, cloud, matches)?
        .build()
        .map_err(CliError::Api)
}
