//! `mfalint`: arguments in, exit status out. The work happens in the library.

/// mimalloc: fewer system calls and page faults than glibc malloc for the
/// many small allocations of parse trees, which made up a third of a scan.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;

mod cli;

use cli::{
    Cli, ColorChoice, Command, ExplainArgs, FailOn, InventoryArgs, InventoryFormat, ListFormat,
    RulesArgs, ScanArgs,
};
use mfalint::discover::DiscoverOptions;
use mfalint::report::{self, OutputFormat, RenderOptions};
use mfalint::rules;
use mfalint::scan::{ScanOptions, scan};

/// Documented exit statuses (README "Exit codes").
const EXIT_CLEAN: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

/// Worker stacks large enough for deeply nested input.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// mimalloc's option numbers (`mi_option_e` in its `mimalloc.h`, v3),
/// which `libmimalloc-sys` does not name.
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long freed memory stays resident before it is handed back
/// (`tune_allocator`).
const PURGE_DELAY_MS: std::ffi::c_long = 1;

/// Returns freed memory to the system within a millisecond and commits
/// arena memory on use. mimalloc's defaults (purge 10 ms after a free,
/// commit arenas eagerly) suit long-lived servers; a scan is a burst of
/// parse trees freed file by file, and the delay kept them all resident:
/// peak memory on the 10,000-file benchmark tree fell from 86 MB to 55 MB,
/// and on a 3.5 MB `locals` block of 200,000 attributes from 169 MB to
/// 98 MB (issue #20's bound is ten times the input plus 100 MB), at the
/// same wall time (benches/README.md). A delay of 0, though, hands back
/// each page the moment it is free, one system call and one flush of both
/// cores' address translations per page; 1 ms gathers them into runs, for
/// the same peaks (98-116 MB on tests/hostile_bounds.rs, 30 MB at 10,000
/// files, 99 MB at 50,000) and 10 ms less at 10,000 files, 30 ms at 50,000.
///
/// mimalloc reserves its first arena at the process's first allocation,
/// before `main`, so the options are set by an ELF constructor that the
/// linker orders before unprioritised ones such as mimalloc's own (an
/// option that is set is not read again from the environment). Elsewhere
/// `main` sets them, and only the purge delay takes effect.
extern "C" fn tune_allocator() {
    // SAFETY: plain option setters of the linked allocator, which need no
    // initialised heap; called before any thread exists.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
    }
}

/// From when the model is built to the process's exit, freed memory is
/// kept for reuse rather than handed back to the system: the peak is
/// behind (rules and reports allocate little), and handing back costs a
/// system call and a flush of both cores' address translations per page
/// run while the trees are freed (10,000 files: about 6 ms, peak memory
/// unchanged; benches/README.md).
fn keep_freed_memory() {
    // SAFETY: a plain option setter of the linked allocator; the option
    // is read, not cached, where mimalloc decides to purge.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00100")]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    tune_allocator();
    if let Some(message) = mistyped_command(std::env::args_os().nth(1)) {
        say(&message);
        return ExitCode::from(EXIT_ERROR);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        None => run_scan(cli.scan),
        Some(Command::Scan(args)) => run_scan(*args),
        Some(Command::Rules(args)) => list_rules(&args),
        Some(Command::Explain(args)) => explain(&args),
        Some(Command::Inventory(args)) => run_inventory(*args),
        Some(Command::Lsp) => run_lsp(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_CLEAN),
        Err(err) => {
            say(&err);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// A diagnostic on standard error, `mfalint: ` first. Its text may hold
/// input (a path, a rule name, a settings value), so hidden characters are
/// shown escaped ([`report::one_line`]): nothing on standard error can
/// forge a line, a terminal sequence or a GitHub workflow command.
fn say(message: &dyn std::fmt::Display) {
    eprintln!("mfalint: {}", report::one_line(&message.to_string()));
}

/// The worker pool and the settings of one scan, or the exit status when
/// the settings are refused (said on standard error).
fn set_up(
    threads: Option<usize>,
    overrides: &mfalint::settings::Overrides,
) -> io::Result<Result<(rayon::ThreadPool, mfalint::settings::Resolved), u8>> {
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(WORKER_STACK_BYTES)
        .build()
        .map_err(io::Error::other)?;
    // The process exits after this one scan.
    match mfalint::settings::resolve(overrides, threads, mfalint::frontend::Freeing::InBackground) {
        Ok(resolved) => Ok(Ok((pool, resolved))),
        Err(message) => {
            say(&message);
            Ok(Err(EXIT_ERROR))
        }
    }
}

fn run_scan(args: ScanArgs) -> io::Result<u8> {
    let (pool, resolved) = match set_up(args.input.threads, &args.overrides())? {
        Ok(set) => set,
        Err(status) => return Ok(status),
    };
    let config_path = resolved.config_path.clone();
    let destinations = match args.destinations(resolved.format) {
        Ok(destinations) => destinations,
        Err(message) => {
            say(&message);
            return Ok(EXIT_ERROR);
        }
    };
    let changed = if args.changed || args.base.is_some() {
        let first = args
            .input
            .paths
            .first()
            .map_or(Path::new("."), |p| p.as_path());
        let dir = if first.is_dir() {
            first
        } else {
            first
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        };
        let change = match &args.base {
            Some(base) => mfalint::changes::ChangeSet::since(dir, base),
            None => mfalint::changes::ChangeSet::staged(dir),
        };
        match change {
            Ok(mut change) => {
                let cwd = std::env::current_dir()?;
                change.settings = config_path
                    .as_ref()
                    .map(|p| mfalint::source::absolute(&cwd, p));
                Some(change)
            }
            Err(message) => {
                say(&message);
                return Ok(EXIT_ERROR);
            }
        }
    } else {
        None
    };
    let mut options = resolved.options;
    options.changed = changed;
    options.after_model = Some(keep_freed_memory);
    let progress = std::sync::Arc::new(mfalint::scan::Progress::default());
    let show_progress = !args.quiet && io::stderr().is_terminal();
    if show_progress {
        options.progress = Some(progress.clone());
    }
    let finished = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ticker = show_progress.then(|| spawn_progress_line(progress.clone(), finished.clone()));
    let scanned = pool.install(|| scan(&options));
    finished.store(true, std::sync::atomic::Ordering::Relaxed);
    if let Some(ticker) = ticker {
        let _ = ticker.join();
    }
    let result = match scanned {
        Ok(result) => result,
        Err(usage) => {
            say(&usage);
            return Ok(EXIT_ERROR);
        }
    };
    if let Some(path) = &args.write_baseline {
        let count =
            mfalint::baseline::write(path, &result.findings, &result.sources).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot write baseline {}: {e}", path.display()),
                )
            })?;
        say(&format!("recorded {count} findings in {}", path.display()));
        for error in &result.errors {
            say(&format!("{}: {}", error.path, error.message));
        }
        return Ok(if result.errors.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_ERROR
        });
    }
    for warning in result.warnings.iter().filter(|_| !args.quiet) {
        say(&format!("warning: {warning}"));
    }
    // Inputs read all the same (a duplicate YAML key): on standard error
    // in the compact shape, whatever the format (JSON, SARIF and GitHub
    // annotations carry them too).
    for warning in result.input_warnings.iter().filter(|_| !args.quiet) {
        eprintln!(
            "{}",
            mfalint::report::input_warning_line(&result.report(), warning)
        );
    }
    for (span, text) in &result.explanations {
        let file = result.sources.get(span.file);
        let p = file.position(span.start);
        eprintln!(
            "{}",
            report::line_start_safe(format!(
                "{}:{}:{}: note: {}",
                report::one_line(&file.display),
                p.line,
                p.column,
                report::one_line(text)
            ))
        );
    }
    let wants_sarif = destinations.iter().any(|d| d.format == OutputFormat::Sarif);
    let sarif_root = match &args.sarif_root {
        Some(root) => Some(root.clone()),
        None if wants_sarif => mfalint::changes::git_toplevel(Path::new(".")),
        None => None,
    };
    let sarif_category = args.sarif_category.clone().or_else(|| {
        let scanned: Vec<String> = args
            .input
            .paths
            .iter()
            .map(|p| {
                mfalint::source::slashed(
                    mfalint::discover::normalize(p)
                        .to_string_lossy()
                        .into_owned(),
                )
            })
            .filter(|p| p != ".")
            .collect();
        Some(format!("mfalint/{}", scanned.join(",")))
    });
    for destination in &destinations {
        let format = destination.format;
        let to_terminal = destination.path.is_none() && io::stdout().is_terminal();
        let color = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        let render = RenderOptions {
            sarif_root: sarif_root.clone(),
            sarif_category: sarif_category.clone(),
            color,
            quiet: args.quiet,
        };
        match &destination.path {
            Some(path) => {
                let mut buffer = Vec::new();
                report::write(format, &result.report(), render, &mut buffer)?;
                // Atomic: a CI step reading the SARIF never sees half of it.
                mfalint::atomic_file::write(path, &buffer).map_err(|e| {
                    io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
                })?;
            }
            None => {
                let stdout = io::stdout();
                let mut out = io::BufWriter::new(stdout.lock());
                report::write(format, &result.report(), render, &mut out)?;
                out.flush()?;
            }
        }
    }
    let status = if !result.errors.is_empty() {
        EXIT_ERROR
    } else if result.findings.iter().any(|f| !f.is_suppressed()) && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    // The process exits now, which gives every page back at once: freeing
    // the sources and findings one by one first is time spent for nothing.
    std::mem::forget(result);
    Ok(status)
}

/// `mfalint inventory`: the same scan, rendered as the identities it
/// judged rather than as findings.
fn run_inventory(args: InventoryArgs) -> io::Result<u8> {
    let (pool, resolved) = match set_up(args.input.threads, &args.input.overrides())? {
        Ok(set) => set,
        Err(status) => return Ok(status),
    };
    let mut options = resolved.options;
    options.inventory = true;
    options.after_model = Some(keep_freed_memory);
    // An auditor's list must not lose the identities a disabled rule
    // judges: every rule runs.
    if !options.rules.disable.is_empty() {
        say(&format!(
            "note: the inventory runs every rule; disabled in the settings, {} run all the same",
            options.rules.disable.join(", ")
        ));
        options.rules.disable.clear();
    }
    let result = match pool.install(|| scan(&options)) {
        Ok(result) => result,
        Err(usage) => {
            say(&usage);
            return Ok(EXIT_ERROR);
        }
    };
    for warning in &result.warnings {
        say(&format!("warning: {warning}"));
    }
    for error in &result.errors {
        say(&format!("{}: {}", error.path, error.message));
    }
    // Findings about exceptions and evidence (expired, unused, malformed)
    // change what the inventory says: shown on standard error.
    for finding in result
        .findings
        .iter()
        .filter(|f| !f.is_suppressed() && f.rule.as_str().starts_with("MFA90"))
    {
        let file = result.sources.get(finding.primary.file);
        let p = file.position(finding.primary.start);
        eprintln!(
            "{}",
            report::line_start_safe(format!(
                "{}:{}:{}: {}: [{}] {}",
                report::one_line(&file.display),
                p.line,
                p.column,
                finding.severity,
                finding.rule.as_str(),
                report::one_line(&finding.message)
            ))
        );
    }
    let rows = &result.inventory;
    let mut buffer = Vec::new();
    let write = match args.format {
        InventoryFormat::Markdown => mfalint::inventory::markdown::write,
        InventoryFormat::Csv => mfalint::inventory::csv::write,
        InventoryFormat::Json => mfalint::inventory::json::write,
        InventoryFormat::Html => mfalint::inventory::html::write,
    };
    write(rows, &result.sources, &result.errors, &mut buffer)?;
    match &args.output {
        Some(path) => mfalint::atomic_file::write(path, &buffer).map_err(|e| {
            io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
        })?,
        None => {
            let mut out = io::stdout().lock();
            out.write_all(&buffer)?;
            out.flush()?;
        }
    }
    let failing = |status: mfalint::inventory::Status| {
        args.fail_on.iter().any(|f| match f {
            FailOn::None => status == mfalint::inventory::Status::None,
            FailOn::Unknown => status == mfalint::inventory::Status::Unknown,
        })
    };
    let status = if !result.errors.is_empty() {
        EXIT_ERROR
    } else if rows.iter().any(|r| failing(r.status)) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    // As after a scan: the exit gives every page back at once.
    std::mem::forget(result);
    Ok(status)
}

/// A first argument that is neither a sub-command, an option nor an
/// existing path, but is a sub-command's name mistyped (`expain`): a usage
/// error that names the closest one, rather than a scan of a path that does
/// not exist. A folder named like a sub-command is still scanned.
fn mistyped_command(first: Option<std::ffi::OsString>) -> Option<String> {
    let first = first?.into_string().ok()?;
    let commands = ["scan", "rules", "explain", "inventory", "lsp", "help"];
    if first.starts_with('-') || commands.contains(&first.as_str()) || Path::new(&first).exists() {
        return None;
    }
    let (distance, closest) = commands
        .iter()
        .map(|c| (edit_distance(&first, c), *c))
        .min()?;
    (distance <= 2 && distance < first.chars().count()).then(|| {
        format!(
            "`{first}` is not a sub-command or a path; did you mean `{closest}`? (`mfalint --help` lists the commands)"
        )
    })
}

/// Levenshtein distance, for short words.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Shows `files done/total` on standard error (a terminal) once a scan has
/// run for a second, and erases it when the scan ends.
fn spawn_progress_line(
    progress: std::sync::Arc<mfalint::scan::Progress>,
    finished: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::thread::JoinHandle<()> {
    use std::sync::atomic::Ordering;
    std::thread::spawn(move || {
        let start = std::time::Instant::now();
        let mut shown = false;
        while !finished.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(100));
            if start.elapsed() >= std::time::Duration::from_secs(1) {
                let (done, total) = (
                    progress.done.load(Ordering::Relaxed),
                    progress.total.load(Ordering::Relaxed),
                );
                eprint!("\rmfalint: {done}/{total} files");
                shown = true;
            }
        }
        if shown {
            eprint!("\r\x1b[K");
        }
    })
}

fn run_lsp() -> io::Result<u8> {
    let base = ScanOptions {
        discover: DiscoverOptions {
            respect_ignore_files: true,
            threads: 1,
            ..DiscoverOptions::default()
        },
        ..ScanOptions::default()
    };
    // The protocol's exit status: 0 after a shutdown request, 1 when the
    // client exits (or closes the input) without one.
    let shut_down = mfalint::lsp::run(base).map_err(io::Error::other)?;
    Ok(if shut_down { EXIT_CLEAN } else { 1 })
}

fn list_rules(args: &RulesArgs) -> io::Result<u8> {
    let mut out = io::stdout().lock();
    match args.format {
        ListFormat::Text => {
            for rule in rules::all() {
                let m = &rule.meta;
                let state = if m.enabled_by_default {
                    ""
                } else {
                    " (opt-in)"
                };
                writeln!(
                    out,
                    "{}  {:<8} {}  {}{state}",
                    m.id,
                    m.severity.as_str(),
                    m.name,
                    m.title
                )?;
            }
        }
        ListFormat::Json => {
            let list: Vec<_> = rules::all()
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.meta.id,
                        "name": r.meta.name,
                        "severity": r.meta.severity.as_str(),
                        "title": r.meta.title,
                        "since": r.meta.since,
                        "enabled_by_default": r.meta.enabled_by_default,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
    }
    Ok(EXIT_CLEAN)
}

fn explain(args: &ExplainArgs) -> io::Result<u8> {
    match rules::find(&args.rule) {
        Some(rule) => {
            write!(io::stdout().lock(), "{}", rule.meta.markdown())?;
            Ok(EXIT_CLEAN)
        }
        None => {
            let known: Vec<&str> = rules::all().iter().map(|r| r.meta.id.as_str()).collect();
            say(&format!(
                "unknown rule `{}` (known: {})",
                args.rule,
                known.join(", ")
            ));
            Ok(EXIT_ERROR)
        }
    }
}
