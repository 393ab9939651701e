//! `cargo bench`: throughput (files/s, MB/s) of whole scans, of parsing
//! alone per front-end (the floor the pre-filter has to beat), of reading
//! alone, and of a pre-commit-sized run. Plain `harness = false` timing,
//! median of runs: no benchmark framework to build.
//!
//! `cargo bench --bench scan -- generate DIR FILES` writes a synthetic tree
//! (see `synthetic.rs`) for the side-by-side comparison (`compare.sh`);
//! `cargo bench --bench scan -- scan DIR` measures one tree alone.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mfalint::discover::DiscoverOptions;
use mfalint::frontend::{self, Limits, ParseContext};
use mfalint::scan::{ScanOptions, scan};
use mfalint::source::{FileId, SourceFile};
use rayon::prelude::*;

const RUNS: usize = 5;

/// The allocator the `mfalint` binary uses, so in-process figures match.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let [command, dir, files] = args.as_slice()
        && command == "generate"
    {
        synthetic::generate(Path::new(dir), files.parse().expect("a number of files"));
        return;
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if let [command, dir] = args.as_slice()
        && command == "scan"
    {
        bench_scan(
            &format!("scan: {dir}"),
            &[PathBuf::from(dir)],
            threads,
            false,
        );
        return;
    }
    println!(
        "mfalint {} benchmark, {threads} threads, median of {RUNS} runs",
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "{:<44} {:>7} {:>7} {:>10} {:>9} {:>8}",
        "measure", "files", "MB", "time (ms)", "files/s", "MB/s"
    );
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/scale");
    if corpus.is_dir() {
        floors("corpus scale/", &corpus);
        bench_scan(
            "scan: corpus scale/",
            std::slice::from_ref(&corpus),
            threads,
            false,
        );
        bench_scan("scan: corpus scale/, --parse-all", &[corpus], threads, true);
    }
    let root = std::env::temp_dir().join(format!("mfalint-bench-{}", std::process::id()));
    for files in [1_000, 10_000, 50_000] {
        let dir = root.join(format!("synthetic-{files}"));
        synthetic::generate(&dir, files);
        if files == 10_000 {
            floors("synthetic 10k", &dir);
            bench_scan(
                "scan: synthetic 10k, 1 thread",
                std::slice::from_ref(&dir),
                1,
                false,
            );
            bench_scan(
                "scan: synthetic 10k, --parse-all",
                std::slice::from_ref(&dir),
                threads,
                true,
            );
        }
        bench_scan(
            &format!("scan: synthetic {}k", files / 1000),
            std::slice::from_ref(&dir),
            threads,
            false,
        );
        if files != 10_000 {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    // Pre-commit: five changed files named in the 10,000-file tree (the
    // issue sizes the repository at 2,000 files; only the named files'
    // folders are read, so the size of the rest hardly matters).
    let repo = root.join("synthetic-10000");
    let changed: Vec<PathBuf> = [3, 41, 97, 150, 199]
        .iter()
        .zip([
            "iam_users.tf",
            "network.tf",
            "stack.yaml",
            "iam_groups.tf",
            "storage.tf",
        ])
        .map(|(m, f)| repo.join(format!("svc{m:05}")).join(f))
        .collect();
    bench_scan("pre-commit: 5 files named", &changed, threads, false);
    let _ = std::fs::remove_dir_all(&root);
}

fn median(mut times: Vec<Duration>) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64()
}

fn row(label: &str, files: usize, bytes: usize, secs: f64) {
    let mb = bytes as f64 / 1e6;
    println!(
        "{label:<44} {files:>7} {mb:>7.2} {:>10.1} {:>9.0} {:>8.1}",
        secs * 1e3,
        files as f64 / secs,
        mb / secs
    );
}

fn bench_scan(label: &str, paths: &[PathBuf], threads: usize, parse_everything: bool) {
    let options = ScanOptions {
        discover: DiscoverOptions {
            paths: paths.to_vec(),
            respect_ignore_files: true,
            threads,
            ..DiscoverOptions::default()
        },
        parse_everything,
        // As the binary does.
        frontends: frontend::FrontendOptions {
            freeing: frontend::Freeing::InBackground,
            ..Default::default()
        },
        ..ScanOptions::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut times = Vec::new();
    let (mut files, mut bytes) = (0, 0);
    for _ in 0..RUNS {
        let start = Instant::now();
        let result = pool.install(|| scan(&options)).expect("valid options");
        times.push(start.elapsed());
        files = result.files_scanned;
        bytes = result.sources.iter().map(|(_, f)| f.text.len()).sum();
    }
    row(label, files, bytes, median(times));
}

/// Reading alone, and parsing alone per front-end (every file, no
/// pre-filter, no model): the floors a scan is measured against.
fn floors(label: &str, dir: &Path) {
    let mut paths = Vec::new();
    collect(dir, &mut paths);
    paths.sort();
    let mut read_times = Vec::new();
    let mut texts: Vec<(PathBuf, String)> = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        texts = paths
            .par_iter()
            .filter_map(|p| Some((p.clone(), String::from_utf8(std::fs::read(p).ok()?).ok()?)))
            .collect();
        read_times.push(start.elapsed());
    }
    let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
    row(
        &format!("read only: {label}"),
        texts.len(),
        total,
        median(read_times),
    );
    let limits = Limits::default();
    let ctx = ParseContext {
        limits: &limits,
        schema: mfalint::rules::schema(),
        keeping: mfalint::frontend::Keeping::All,
    };
    for (frontend_name, name) in [
        ("terraform", "Terraform (hcl-edit)"),
        ("cloudformation", "JSON/YAML (jsonc-parser, saphyr)"),
    ] {
        let files: Vec<SourceFile> = texts
            .iter()
            .filter(|(p, _)| {
                frontend::claims_of(p)
                    .iter()
                    .any(|f| f.name() == frontend_name)
            })
            .map(|(p, t)| SourceFile::new(p.clone(), t.clone()))
            .collect();
        let bytes: usize = files.iter().map(|f| f.text.len()).sum();
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            files.par_iter().enumerate().for_each(|(i, f)| {
                let _ = frontend::parse(frontend::claims_of(&f.path), FileId(i as u32), f, &ctx);
            });
            times.push(start.elapsed());
        }
        row(
            &format!("parse only: {label}, {name}"),
            files.len(),
            bytes,
            median(times),
        );
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&path, out),
            Ok(t) if t.is_file() && frontend::is_read(&path) => out.push(path),
            _ => {}
        }
    }
}
