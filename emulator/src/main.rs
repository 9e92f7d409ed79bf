//! `presence-emulator`: the presence emulator as a standalone process, for tools and SDKs in
//! any language.
//!
//! Binds 127.0.0.1 on `--port N` (default: an ephemeral port), prints its base URL as the first
//! line of stdout, serves `/v1.0/...` and `/beta/...` with any bearer token, and stops cleanly
//! on SIGINT, SIGTERM or when stdin closes. Its clock follows the wall clock; move it with
//! `POST /_emulator/clock/advance {"by":"PT5M"}`.

use presence_emulator::{Clock, DEFAULT_SIGNED_IN_USER, Emulator};
use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "\
usage: presence-emulator [--port N] [--user ID] [--manual-clock]

  --port N        port on 127.0.0.1 (default: an ephemeral port)
  --user ID       the signed-in user /me stands for
  --manual-clock  freeze the clock; it then moves only via POST /_emulator/clock/advance

Prints the base URL (http://127.0.0.1:PORT) as the first line of stdout.
Stops on SIGINT, SIGTERM or when stdin closes.";

/// The command line, parsed.
#[derive(Debug)]
struct Options {
    port: u16,
    user: String,
    manual_clock: bool,
}

fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        port: 0,
        user: DEFAULT_SIGNED_IN_USER.to_owned(),
        manual_clock: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => {
                let value = args.next().ok_or("--port needs a value")?;
                options.port = value
                    .parse()
                    .map_err(|_| format!("--port: '{value}' is not a port number (0-65535)"))?;
            }
            "--user" => {
                options.user = args.next().ok_or("--user needs a value")?;
            }
            "--manual-clock" => options.manual_clock = true,
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(Some(options))
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("presence-emulator: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
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
    // Listen for signals before announcing the URL: a caller may stop us right after reading it.
    let stop = StopSignals::install()?;
    let emulator = Emulator::builder()
        .port(options.port)
        .signed_in_user(options.user)
        .clock(clock)
        .start()
        .await?;
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
    use super::parse;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_options_and_rejects_bad_ones() {
        let options = parse(args(&["--port", "8123", "--user", "u1", "--manual-clock"]))
            .unwrap()
            .unwrap();
        assert_eq!((options.port, options.user.as_str()), (8123, "u1"));
        assert!(options.manual_clock);
        assert!(parse(args(&["--help"])).unwrap().is_none());
        assert!(
            parse(args(&["--port", "99999"]))
                .unwrap_err()
                .contains("99999")
        );
        assert!(parse(args(&["--port"])).is_err());
        assert!(parse(args(&["--colour"])).unwrap_err().contains("--colour"));
    }
}
