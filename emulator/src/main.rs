//! `presence-emulator`: the presence emulator as a standalone process, for tools and SDKs in
//! any language.
//!
//! Binds 127.0.0.1 on `--port N` (default: an ephemeral port), prints its base URL as the first
//! line of stdout, serves `/v1.0/...` and `/beta/...` with any bearer token, and stops cleanly
//! on SIGINT, SIGTERM or when stdin closes. Its clock follows the wall clock; move it with
//! `POST /_emulator/clock/advance {"by":"PT5M"}`. `--demo-directory ID` seeds a demo team (12
//! users, one nested group) and `--directory FILE` a directory seed file.

use clap::Parser;
use presence_emulator::{Clock, DEFAULT_SIGNED_IN_USER, DirectorySeed, Emulator};
use std::io::{Read, Write};
use std::process::ExitCode;

/// The presence emulator as a process: prints its base URL (http://127.0.0.1:PORT) as the
/// first line of stdout, and stops on SIGINT, SIGTERM or when stdin closes.
#[derive(Debug, Parser)]
#[command(name = "presence-emulator", version)]
struct Options {
    /// Port on 127.0.0.1 (0: an ephemeral port the system picks).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The signed-in user `/me` stands for.
    #[arg(long, value_name = "ID", default_value = DEFAULT_SIGNED_IN_USER)]
    user: String,
    /// Freeze the clock; it then moves only via `POST /_emulator/clock/advance`.
    #[arg(long)]
    manual_clock: bool,
    /// Seed the directory from a JSON file: {"users": [...], "groups": [...]} (the shapes of
    /// `POST /_emulator/directory/users` and `/groups`).
    #[arg(long, value_name = "FILE")]
    directory: Option<std::path::PathBuf>,
    /// Seed a demo team: group ID with 8 direct members and a nested group of 4 more.
    #[arg(long, value_name = "GROUP_ID")]
    demo_directory: Option<String>,
    /// A host name requests may name in `Host` besides 127.0.0.1, localhost and [::1] (e.g.
    /// behind a proxy); repeatable. Any other gets 421.
    #[arg(long = "allowed-host", value_name = "NAME")]
    allowed_hosts: Vec<String>,
}

fn main() -> ExitCode {
    // clap prints `--help`/`--version` and exits 0, and exits 2 with a usage line on a bad
    // argument, as the other binaries of the workspace do.
    let options = Options::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("presence-emulator: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("presence-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> std::io::Result<()> {
    let clock = if options.manual_clock {
        Clock::manual_now()
    } else {
        Clock::system()
    };
    // Read the seed before binding: a bad file fails without a server to stop.
    let seed = match &options.directory {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| std::io::Error::other(format!("reading {}: {e}", path.display())))?;
            Some(DirectorySeed::from_json(&text).map_err(|e| {
                std::io::Error::other(format!("{} is not a directory seed: {e}", path.display()))
            })?)
        }
        None => None,
    };
    // Listen for signals before announcing the URL: a caller may stop us right after reading it.
    let stop = StopSignals::install()?;
    let emulator = options
        .allowed_hosts
        .into_iter()
        .fold(Emulator::builder(), |builder, host| {
            builder.allowed_host(host)
        })
        .port(options.port)
        .signed_in_user(options.user)
        .clock(clock)
        .start()
        .await?;
    if let Some(seed) = seed {
        emulator.seed_directory(seed);
    }
    if let Some(group) = &options.demo_directory {
        emulator.seed_directory(DirectorySeed::demo_team(group, 8, 4));
    }
    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{}", emulator.base_url())?;
        stdout.flush()?;
    }
    let reason = stop.wait().await;
    eprintln!("presence-emulator: {reason}, stopping");
    emulator.shutdown().await
}

/// The three ways to stop the process: SIGINT, SIGTERM, end of stdin.
struct StopSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    stdin_closed: tokio::sync::oneshot::Receiver<()>,
}

impl StopSignals {
    fn install() -> std::io::Result<Self> {
        // A plain thread, not tokio's stdin: its blocking read could not be cancelled and would
        // hold up the runtime's shutdown after a signal.
        let (closed, stdin_closed) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let mut sink = [0u8; 1024];
            let mut stdin = std::io::stdin().lock();
            while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
            let _ = closed.send(());
        });
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(StopSignals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
                stdin_closed,
            })
        }
        #[cfg(not(unix))]
        Ok(StopSignals { stdin_closed })
    }

    /// Waits for the first of them and says which it was.
    async fn wait(mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => "SIGINT received",
                _ = self.terminate.recv() => "SIGTERM received",
                _ = &mut self.stdin_closed => "stdin closed",
            }
        }
        #[cfg(not(unix))]
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => "Ctrl-C received",
                _ = &mut self.stdin_closed => "stdin closed",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Options;
    use clap::error::ErrorKind;
    use clap::{CommandFactory, Parser};

    #[test]
    fn parses_options_and_rejects_bad_ones() {
        Options::command().debug_assert();
        let options =
            Options::try_parse_from(["e", "--port", "8123", "--user", "u1", "--manual-clock"])
                .unwrap();
        assert_eq!((options.port, options.user.as_str()), (8123, "u1"));
        assert!(options.manual_clock);
        let defaults = Options::try_parse_from(["e"]).unwrap();
        assert_eq!(defaults.port, 0);
        assert_eq!(defaults.user, super::DEFAULT_SIGNED_IN_USER);
        assert_eq!(
            Options::try_parse_from(["e", "--help"]).unwrap_err().kind(),
            ErrorKind::DisplayHelp
        );
        let bad_port = Options::try_parse_from(["e", "--port", "99999"]).unwrap_err();
        assert_eq!(bad_port.kind(), ErrorKind::ValueValidation);
        assert!(bad_port.to_string().contains("99999"));
        assert!(Options::try_parse_from(["e", "--port"]).is_err());
        let unknown = Options::try_parse_from(["e", "--colour"]).unwrap_err();
        assert_eq!(unknown.kind(), ErrorKind::UnknownArgument);
        assert_eq!(unknown.exit_code(), 2);
    }
}
