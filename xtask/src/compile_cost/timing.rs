//! Timing `cargo build` of one crate: wall clock, and the CPU time of the processes it ran.
//!
//! Wall clock is what a user waits for, and what the recorded figures are; it moves with the
//! machine's load. CPU time (user + system of cargo and the rustc it waited for) moves much
//! less with load, so on a shared machine it is the steadier figure to compare.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// Medians of the timed builds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    pub wall: Duration,
    /// `None` where the platform does not say (the figure comes from Linux's `/proc`).
    pub cpu: Option<Duration>,
}

/// One warm-up build (so the dependencies are built), then `runs` timed rebuilds of the crate
/// alone: each marks `crate_root` as modified first. `CARGO_INCREMENTAL=0` throughout.
pub fn time_builds(
    root: &Path,
    args: &[&str],
    crate_root: &Path,
    runs: usize,
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<Timing, String> {
    let build = || -> Result<(Duration, Option<Duration>), String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let cpu_before = children_cpu();
        let start = Instant::now();
        let output = Command::new(cargo)
            .current_dir(root)
            .args(args)
            .arg("--quiet")
            .env("CARGO_INCREMENTAL", "0")
            .envs(env.iter().copied())
            .output()
            .map_err(|e| format!("running cargo: {e}"))?;
        let wall = start.elapsed();
        if !output.status.success() {
            return Err(format!(
                "cargo {} failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let cpu = children_cpu()
            .zip(cpu_before)
            .map(|(after, before)| after.saturating_sub(before));
        Ok((wall, cpu))
    };
    eprintln!(
        "compile cost: cargo {} (warm-up, then {runs} runs)",
        args.join(" ")
    );
    build()?;
    let mut walls = Vec::with_capacity(runs);
    let mut cpus = Vec::with_capacity(runs);
    for _ in 0..runs {
        touch(crate_root)?;
        let (wall, cpu) = build()?;
        walls.push(wall);
        cpus.extend(cpu);
    }
    Ok(Timing {
        wall: median(&mut walls).ok_or_else(|| "no runs".to_owned())?,
        cpu: if cpus.len() == runs {
            median(&mut cpus)
        } else {
            None
        },
    })
}

/// Marks `path` as modified now, so cargo rebuilds its crate.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("touching {}: {e}", path.display()))
}

pub fn median(values: &mut [Duration]) -> Option<Duration> {
    values.sort();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

/// User + system time of this process's waited-for children (and theirs), from
/// `/proc/self/stat`.
fn children_cpu() -> Option<Duration> {
    parse_children_cpu(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// Fields 16 and 17 of `/proc/<pid>/stat` (`cutime`, `cstime`), in clock ticks of 1/100 s
/// (`USER_HZ`, 100 on every Linux this runs on). The command name (field 2) may hold spaces
/// and parentheses, so fields are counted after its closing parenthesis.
fn parse_children_cpu(stat: &str) -> Option<Duration> {
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3, so field n is at index n - 3.
    let ticks = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(Duration::from_millis((ticks(16)? + ticks(17)?) * 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let ms = Duration::from_millis;
        assert_eq!(median(&mut [ms(5), ms(1), ms(3)]), Some(ms(3)));
        assert_eq!(median(&mut [ms(4), ms(1), ms(2), ms(9)]), Some(ms(3)));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn children_cpu_is_read_after_the_command_name() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
        // utime stime cutime cstime ...
        let stat = "42 (a) b (c)) S 1 2 3 4 5 6 7 8 9 10 11 12 250 31 20 0 1 0";
        assert_eq!(parse_children_cpu(stat), Some(Duration::from_millis(2810)));
        assert_eq!(parse_children_cpu("42 (x) S 1 2"), None);
        assert_eq!(parse_children_cpu("no parenthesis"), None);
    }

    #[test]
    fn this_process_can_read_its_children_time() {
        if cfg!(target_os = "linux") {
            assert!(children_cpu().is_some());
        }
    }
}
