//! Generator speed: the pipeline's two halves through its public API (`Generator::lower`: load
//! and lower; `LoweredSpec::client_files`: emit and format) and end to end for both fragments,
//! and scaling over synthetic documents 10×, 100× and 1000× the v1.0 fragment, against the bare
//! `serde_yaml` + `openapiv3` parse of the same text.
//!
//! `cargo bench -p presence-generator --bench generation` runs it under divan. With
//! `PRESENCE_BENCH_REPORT=1` set it instead takes a few quick medians and prints them as
//! tab-separated `report` lines, which `cargo xtask bench` turns into one table.

use divan::Bencher;
mod support;

use generator::{Generator, Lowered};
use std::hint::black_box;
use std::time::{Duration, Instant};

const FRAGMENTS: [(&str, &str, &str); 2] = [
    (
        "v1_0",
        "spec/v1.0/presence.yaml",
        include_str!("../../spec/v1.0/presence.yaml"),
    ),
    (
        "beta",
        "spec/beta/presence.yaml",
        include_str!("../../spec/beta/presence.yaml"),
    ),
];

/// Copies of the v1.0 fragment in the scaling documents.
const SCALES: [usize; 4] = [1, 10, 100, 1000];

fn main() {
    if std::env::var_os("PRESENCE_BENCH_REPORT").is_some() {
        report();
    } else {
        divan::main();
    }
}

fn fragment(module: &str) -> (&'static str, &'static str) {
    let (_, file, source) = FRAGMENTS
        .iter()
        .find(|(m, ..)| *m == module)
        .expect("known fragment");
    (file, source)
}

fn lowered(module: &str) -> Lowered {
    let (file, source) = fragment(module);
    generator_for(module, file, source).lower().unwrap()
}

fn synthetic(copies: usize) -> String {
    support::replicate(FRAGMENTS[0].2, copies).expect("the v1.0 fragment is valid YAML")
}

/// The floor the generator is compared with: the bare `serde_yaml` + `openapiv3` parse.
fn floor_parse(source: &str) -> Result<openapiv3::OpenAPI, serde_yaml::Error> {
    serde_yaml::from_str(source)
}

fn generator_for(module: &str, file: &str, source: &str) -> Generator {
    Generator::new().spec(module, file, source)
}

#[divan::bench_group]
mod stage {
    use super::*;

    #[divan::bench(args = ["v1_0", "beta"])]
    fn load_lower(bencher: Bencher, module: &str) {
        let (file, source) = fragment(module);
        let generator = generator_for(module, file, black_box(source));
        bencher.bench(|| generator.lower().unwrap());
    }

    #[divan::bench(args = ["v1_0", "beta"])]
    fn emit_format(bencher: Bencher, module: &str) {
        let lowered = lowered(module);
        bencher.bench(|| black_box(&lowered).client_files().unwrap());
    }

    #[divan::bench(args = ["v1_0", "beta"])]
    fn end_to_end(bencher: Bencher, module: &str) {
        let (file, source) = fragment(module);
        let generator = generator_for(module, file, source);
        bencher.bench(|| generator.generate().unwrap());
    }
}

/// Both fragments through `Generator::generate`, as `cargo xtask codegen` runs them.
#[divan::bench]
fn both_fragments(bencher: Bencher) {
    let generator = FRAGMENTS
        .iter()
        .fold(Generator::new(), |g, (module, file, source)| {
            g.spec(*module, *file, *source)
        });
    bencher.bench(|| generator.generate().unwrap());
}

#[divan::bench_group(sample_count = 10, sample_size = 1)]
mod scaling {
    use super::*;

    /// Operations (path × method) in a document, so divan reports time per operation.
    fn operations(text: &str) -> divan::counter::ItemsCount {
        divan::counter::ItemsCount::new(floor_parse(text).unwrap().operations().count())
    }

    #[divan::bench(args = [10, 100, 1000])]
    fn parse_floor(bencher: Bencher, copies: usize) {
        let text = synthetic(copies);
        bencher
            .counter(operations(&text))
            .bench(|| floor_parse(black_box(&text)).unwrap());
    }

    #[divan::bench(args = [10, 100, 1000])]
    fn generate(bencher: Bencher, copies: usize) {
        let text = synthetic(copies);
        let generator = generator_for("v1_0", "synthetic.yaml", &text);
        bencher
            .counter(operations(&text))
            .bench(|| generator.generate().unwrap());
    }
}

// ---- quick report for `cargo xtask bench` ----

/// Median wall time of `runs` calls of `f`, after one unmeasured warm-up call.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    black_box(f());
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Runs as many calls as fit in about `budget` (at least 3, at most 101), for the median.
fn runs_for(budget: Duration, one: Duration) -> usize {
    let n = (budget.as_secs_f64() / one.as_secs_f64().max(1e-9)) as usize;
    n.clamp(3, 101) | 1
}

fn timed<T>(budget: Duration, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    black_box(f());
    let one = start.elapsed();
    median(runs_for(budget, one), f)
}

fn report() {
    let budget = Duration::from_millis(
        std::env::var("PRESENCE_BENCH_BUDGET_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500),
    );
    for (module, file, source) in FRAGMENTS {
        let generator = generator_for(module, file, source);
        let lowered = generator.lower().unwrap();
        let rows = [
            ("load_lower", timed(budget, || generator.lower().unwrap())),
            (
                "emit_format",
                timed(budget, || lowered.client_files().unwrap()),
            ),
            (
                "end_to_end",
                timed(budget, || generator.generate().unwrap()),
            ),
        ];
        for (stage, time) in rows {
            println!("report\tstage\t{module}\t{stage}\t{}", time.as_nanos());
        }
    }
    let both = FRAGMENTS
        .iter()
        .fold(Generator::new(), |g, (module, file, source)| {
            g.spec(*module, *file, *source)
        });
    let time = timed(budget, || both.generate().unwrap());
    println!("report\tboth\t{}", time.as_nanos());

    let max_copies = std::env::var("PRESENCE_BENCH_MAX_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    for copies in SCALES.into_iter().filter(|c| *c <= max_copies) {
        let text = synthetic(copies);
        let doc = floor_parse(&text).unwrap();
        let operations: usize = doc.operations().count();
        let generator = generator_for("v1_0", "synthetic.yaml", &text);
        let methods = generator.lower().unwrap().specs()[0].api.operations.len();
        let floor = timed(budget, || floor_parse(&text).unwrap());
        let generate = timed(budget, || generator.generate().unwrap());
        println!(
            "report\tscale\t{copies}\t{operations}\t{methods}\t{}\t{}\t{}",
            text.len(),
            floor.as_nanos(),
            generate.as_nanos()
        );
    }
}
