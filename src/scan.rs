//! The pipeline: discover -> read and parse (parallel) -> model -> resolve
//! links -> rules -> sorted findings.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::diagnostic::InputError;
use crate::discover::{self, DiscoverOptions};
use crate::finding::Finding;
use crate::frontend;
use crate::prefilter;
use crate::resolve::Links;
use crate::rules;
use crate::source::{FileId, SourceFile, SourceMap, Unreadable, display_path};

/// Files read so far out of those discovered, for a progress line; and
/// the switch that cancels the scan (the language server cancels a scan
/// whose state an edit has replaced).
#[derive(Debug, Default)]
pub struct Progress {
    pub total: std::sync::atomic::AtomicUsize,
    pub done: std::sync::atomic::AtomicUsize,
    /// Set to stop the scan: it stops between files and phases and
    /// returns [`ScanError::Cancelled`].
    pub cancelled: std::sync::atomic::AtomicBool,
}

/// Why a scan did not run to its end. Problems with inputs are not
/// errors: they are collected in [`ScanResult::errors`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanError {
    /// The options cannot be used: an unknown rule, an invalid glob, an
    /// unreadable baseline.
    Usage(String),
    /// [`Progress::cancelled`] was set.
    Cancelled,
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::Usage(message) => f.write_str(message),
            ScanError::Cancelled => f.write_str("scan cancelled"),
        }
    }
}

impl std::error::Error for ScanError {}

#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Updated while the scan runs, when set.
    pub progress: Option<std::sync::Arc<Progress>>,
    pub discover: DiscoverOptions,
    pub frontends: frontend::FrontendOptions,
    pub rules: rules::RuleSelection,
    /// `--baseline FILE`: findings recorded there are excused.
    pub baseline: Option<PathBuf>,
    /// Also say why each passing console user passes.
    pub explain: bool,
    /// Texts to use instead of the files on disk (an editor's unsaved
    /// buffers), by path as discovered.
    pub overrides: std::collections::HashMap<PathBuf, String>,
    /// `.mfalint.toml`: severity overrides and exceptions by address.
    pub config: Option<std::sync::Arc<crate::config::Loaded>>,
    /// Parse every file, not only those the pre-filter selects (same
    /// findings, more syntax errors reported, slower).
    pub parse_everything: bool,
    /// `--changed`: report only the findings this change reaches.
    pub changed: Option<crate::changes::ChangeSet>,
    /// Also make the inventory of identities (`mfalint inventory`).
    pub inventory: bool,
    /// Called once the model is built, when the scan's peak memory is
    /// behind it (the trees are freed or being freed). The command line,
    /// which exits after one scan, stops handing freed memory back to the
    /// system there.
    pub after_model: Option<fn()>,
}

/// Everything a reporter needs.
#[derive(Debug)]
pub struct ScanResult {
    pub sources: SourceMap,
    /// Sorted by path, line, column, rule.
    pub findings: Vec<Finding>,
    /// Sorted by path and position.
    pub errors: Vec<InputError>,
    /// About the configuration (expired or unused exceptions) and the
    /// baseline (entries that disagree with their finding), for stderr.
    pub warnings: Vec<String>,
    /// About an input that was read all the same, with its position (a
    /// duplicate YAML key, of which the last one is read, as CloudFormation
    /// does). Sorted like `errors`; they do not change the exit status.
    pub input_warnings: Vec<InputError>,
    /// With `explain`: why each passing console user passes.
    pub explanations: Vec<(crate::source::Span, String)>,
    /// With `inventory`: every identity that can sign in, with its status.
    pub inventory: Vec<crate::inventory::Row>,
    pub files_scanned: usize,
}

impl ScanResult {
    /// What the reporters render.
    pub fn report(&self) -> crate::report::Report<'_> {
        crate::report::Report {
            sources: &self.sources,
            findings: &self.findings,
            errors: &self.errors,
            input_warnings: &self.input_warnings,
            files_scanned: self.files_scanned,
        }
    }
}

/// Runs a whole scan. Only a usage problem (such as an invalid glob) or a
/// cancellation is an `Err`; problems with inputs are collected in
/// [`ScanResult::errors`].
pub fn scan(options: &ScanOptions) -> Result<ScanResult, ScanError> {
    options.rules.validate().map_err(ScanError::Usage)?;
    let baseline = match &options.baseline {
        Some(path) => Some(
            crate::baseline::Baseline::read(path, options.frontends.limits.max_file_bytes)
                .map_err(ScanError::Usage)?,
        ),
        None => None,
    };
    let timings = Timings::from_env();
    let excludes = discover::exclude_set(&options.discover.exclude).map_err(ScanError::Usage)?;
    use std::sync::atomic::Ordering;
    let cancel = options.progress.as_ref().map(|p| &p.cancelled);
    let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let mut discovery = discover::discover(&options.discover, &excludes, cancel);
    // An editor's new buffers that are not on disk yet are scanned as if
    // they were, when they lie in a scanned folder.
    let unsaved: Vec<PathBuf> = options
        .overrides
        .keys()
        .filter(|p| !p.exists() && frontend::is_read(p))
        .filter(|p| {
            let roots = &options.discover.paths;
            roots.iter().any(|r| p.starts_with(discover::normalize(r)))
        })
        .cloned()
        .collect();
    if !unsaved.is_empty() {
        discovery.files.extend(unsaved);
        discovery.files = discover::sorted_unique(std::mem::take(&mut discovery.files));
    }
    // A staged change is judged on what the commit records: files that
    // are not in it are left out, and the index's text is read where the
    // work tree differs.
    let mut overrides = std::borrow::Cow::Borrowed(&options.overrides);
    if let Some(change) = &options.changed
        && !(change.index.hidden.is_empty() && change.index.texts.is_empty())
    {
        let cwd = std::env::current_dir().unwrap_or_default();
        discovery.files.retain(|p| {
            let real = crate::source::real(&crate::source::absolute(&cwd, p));
            if let Some(text) = change.index.texts.get(&real) {
                overrides.to_mut().insert(p.clone(), text.clone());
            }
            !change.index.hidden.contains(&real)
        });
    }
    // Files another one replaces are not read (OpenTofu's `x.tofu` over
    // `x.tf`), whether on disk or in an editor; a named one is said.
    let (files, left_out) = frontend::without_replaced(std::mem::take(&mut discovery.files));
    discovery.files = files;
    let mut replaced_named = Vec::new();
    if let Some(named) = &discovery.report_only {
        for (path, by) in left_out.iter().filter(|(p, _)| named.contains(p)) {
            let by = by.file_name().unwrap_or_default().to_string_lossy();
            replaced_named.push(
                InputError::file(
                    display_path(path),
                    format!("not read: `{by}`, in the same folder, is read in its place"),
                )
                .of_kind(crate::diagnostic::InputErrorKind::Reference),
            );
        }
    }
    let mut errors = discovery.errors;
    timings.mark("discover");
    if cancelled() {
        return Err(ScanError::Cancelled);
    }

    if let Some(progress) = &options.progress {
        progress
            .total
            .store(discovery.files.len(), Ordering::Relaxed);
    }
    let read: Vec<ReadFile> = discovery
        .files
        .into_par_iter()
        .enumerate()
        .map(|(i, path)| {
            if cancelled() {
                // Read as empty: the scan ends after this phase.
                return read_file(
                    FileId(i as u32),
                    path,
                    Some(&String::new()),
                    &options.frontends.limits,
                );
            }
            let text = overrides.get(&path);
            let item = read_file(FileId(i as u32), path, text, &options.frontends.limits);
            if let Some(progress) = &options.progress {
                progress.done.fetch_add(1, Ordering::Relaxed);
            }
            item
        })
        .collect();
    timings.mark("read");
    if cancelled() {
        return Err(ScanError::Cancelled);
    }
    let (mut parsed, parse_errors, mut input_warnings) =
        parse_selected(&read, options.parse_everything, &options.frontends);
    input_warnings.append(&mut replaced_named);
    timings.mark("parse");
    if cancelled() {
        return Err(ScanError::Cancelled);
    }
    errors.extend(parse_errors);
    let mut files: Vec<SourceFile> = read.into_iter().map(|r| r.source).collect();

    // Files the options name (`--var-file`): read like the others, but
    // parsed by their front-end whatever their name.
    for frontend in frontend::FRONTENDS {
        for path in frontend.named_files(&options.frontends) {
            let id = FileId(files.len() as u32);
            let item = read_file(
                id,
                crate::discover::normalize(&path),
                None,
                &options.frontends.limits,
            );
            match item.error {
                Some(e) => errors.push(e),
                None => match frontend.parse_named(id, &item.source) {
                    Ok(named) => parsed.push(named),
                    Err(e) => errors.push(e),
                },
            }
            files.push(item.source);
        }
    }
    let files_scanned = files.len();
    // A settings file with external evidence is a source too: findings
    // about its evidence (expired, matching nothing) point into it.
    let settings_file = options
        .config
        .as_deref()
        .filter(|c| !c.config.evidence.is_empty())
        .and_then(|c| Some((c.path.as_ref()?, &c.text)))
        .map(|(path, text)| {
            let cwd = std::env::current_dir().unwrap_or_default();
            let shown = path.strip_prefix(&cwd).unwrap_or(path).to_path_buf();
            files.push(SourceFile::new(shown, text.as_str()));
            FileId(files.len() as u32 - 1)
        });
    let sources = SourceMap::new(files);
    let mut frontends = options.frontends.clone();
    if frontends.readable_roots.is_empty() {
        frontends.readable_roots = readable_roots(&options.discover.paths);
    }
    let (mut model, build_errors) =
        frontend::build_model(parsed, &frontends, &sources, rules::schema());
    errors.extend(build_errors);
    input_warnings.append(&mut model.warnings);
    timings.mark("model");
    if let Some(after_model) = options.after_model {
        after_model();
    }
    if cancelled() {
        return Err(ScanError::Cancelled);
    }
    let links = Links::new(&model);
    let today = crate::suppress::Date::today();
    let records = std::cell::RefCell::new(Vec::new());
    let inventory = options.inventory.then_some(&records);
    let mut findings = check(&links, &model, &sources, &options.rules, today, inventory);
    timings.mark("rules");
    let explanations = if options.explain {
        rules::explain_passing_users(&links)
    } else {
        Vec::new()
    };
    // Only the named files' folders were scanned, so a configured
    // exception whose resource lives elsewhere cannot be called unused;
    // nor when a subfolder of the settings file's folder is scanned.
    let warn_unused = discovery.report_only.is_none()
        && options
            .config
            .as_deref()
            .and_then(|c| c.path.as_ref())
            .is_none_or(|settings| covers_folder_of(&options.discover.paths, settings));
    let mut warnings = match &options.config {
        Some(config) => config.apply(&mut findings, today, warn_unused, settings_file),
        None => Vec::new(),
    };
    findings.retain(|f| options.rules.is_enabled(f.rule.meta()));
    if let Some(baseline) = &baseline {
        warnings.extend(baseline.apply(&mut findings, &sources));
    }
    // The inventory lists every identity of the scanned folders, from all
    // their findings: made before the findings are narrowed to named files.
    let inventory = match options.inventory {
        true => crate::inventory::build(
            records.into_inner(),
            &findings,
            &sources,
            today,
            options.config.as_deref(),
        ),
        false => Vec::new(),
    };
    // Narrowed to the named files only now, after exceptions were matched
    // against every finding of their folders: earlier, an exception in a
    // sibling file would lose its finding and be reported as unused.
    if let Some(change) = &options.changed {
        change.retain_reached(
            &model.scope_inputs,
            &model.importing,
            &sources,
            &mut findings,
            &mut errors,
            &mut input_warnings,
        );
    }
    if let Some(named) = &discovery.report_only {
        let touches_named =
            |span: crate::source::Span| named.contains(&sources.get(span.file).path);
        findings.retain(|f| {
            touches_named(f.primary) || f.related.iter().any(|r| touches_named(r.span))
        });
        // Errors in the other files of a named file's folder are kept: a
        // broken sibling leaves the module incomplete, which must not pass
        // silently.
    }
    sort_findings(&mut findings, &sources);
    sort_errors(&mut errors);
    sort_errors(&mut input_warnings);
    Ok(ScanResult {
        files_scanned,
        sources,
        findings,
        errors,
        warnings,
        input_warnings,
        explanations,
        inventory,
    })
}

/// Whether the scanned paths include the folder of `settings` (the scan
/// sees every resource the settings may name).
fn covers_folder_of(paths: &[PathBuf], settings: &std::path::Path) -> bool {
    let Some(folder) = settings
        .parent()
        .and_then(|f| std::fs::canonicalize(f).ok())
    else {
        return false;
    };
    paths
        .iter()
        .any(|p| std::fs::canonicalize(p).is_ok_and(|p| p.is_dir() && folder.starts_with(&p)))
}

/// `MFALINT_TIMINGS=1`: how long each phase took, on standard error (for
/// profiling; not a stable interface).
struct Timings {
    start: Option<std::time::Instant>,
}

impl Timings {
    fn from_env() -> Self {
        Timings {
            start: std::env::var_os("MFALINT_TIMINGS").map(|_| std::time::Instant::now()),
        }
    }

    fn mark(&self, phase: &str) {
        if let Some(start) = self.start {
            // Resident memory too (Linux): fresh pages cost as much as
            // parsing on some machines, so memory is part of the profile.
            let resident = std::fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
                .map(|pages| format!(", resident {} MB", pages * 4096 / (1 << 20)))
                .unwrap_or_default();
            eprintln!(
                "mfalint timings: {phase} done at {:?}{resident}",
                start.elapsed()
            );
        }
    }
}

/// Runs the whole pipeline on texts held in memory, every rule enabled
/// (opt-in ones too), the inventory made: what fuzz targets and property
/// tests drive. Paths
/// only name the files (and decide their format); nothing is read from
/// disk, as no folder is readable by the file functions.
pub fn scan_texts(files: Vec<(PathBuf, String)>) -> ScanResult {
    scan_texts_with(files, frontend::Trees::Auto)
}

/// [`scan_texts`], with the syntax trees kept or parsed again for the
/// model as `trees` says (property tests check both give the same).
pub fn scan_texts_with(files: Vec<(PathBuf, String)>, trees: frontend::Trees) -> ScanResult {
    let options = frontend::FrontendOptions {
        trees,
        ..frontend::FrontendOptions::default()
    };
    let read: Vec<ReadFile> = files
        .into_iter()
        .enumerate()
        .map(|(i, (path, text))| {
            read_file(
                FileId(i as u32),
                path,
                Some(&text),
                &frontend::Limits::default(),
            )
        })
        .collect();
    let (parsed, mut errors, mut input_warnings) = parse_selected(&read, false, &options);
    let sources: Vec<SourceFile> = read.into_iter().map(|r| r.source).collect();
    let sources = SourceMap::new(sources);
    let (mut model, build_errors) =
        frontend::build_model(parsed, &options, &sources, rules::schema());
    errors.extend(build_errors);
    input_warnings.append(&mut model.warnings);
    let every_rule = rules::RuleSelection {
        enable: rules::all().iter().map(|r| r.meta.id.clone()).collect(),
        disable: Vec::new(),
    };
    let today = crate::suppress::Date::today();
    // The inventory too: fuzz targets render it in every format.
    let records = std::cell::RefCell::new(Vec::new());
    let mut findings = check(
        &Links::new(&model),
        &model,
        &sources,
        &every_rule,
        today,
        Some(&records),
    );
    let inventory = crate::inventory::build(records.into_inner(), &findings, &sources, today, None);
    sort_findings(&mut findings, &sources);
    sort_errors(&mut errors);
    sort_errors(&mut input_warnings);
    ScanResult {
        files_scanned: sources.len(),
        sources,
        findings,
        errors,
        warnings: Vec::new(),
        input_warnings,
        explanations: Vec::new(),
        inventory,
    }
}

/// The core both entry points share: the selected rules over the linked
/// model, one finding per place and rule, then the exceptions written in
/// the sources (comments and template `Metadata`).
fn check(
    links: &Links<'_>,
    model: &crate::model::Model,
    sources: &SourceMap,
    rules: &rules::RuleSelection,
    today: crate::suppress::Date,
    inventory: Option<&std::cell::RefCell<Vec<crate::inventory::Record>>>,
) -> Vec<Finding> {
    let mut findings = rules::run_all(links, rules, inventory);
    drop_duplicates(&mut findings, sources);
    crate::suppress::apply(&mut findings, sources, today, frontend::comment_syntax);
    crate::suppress::apply_recorded(&mut findings, &model.exceptions, sources, today);
    findings
}

/// A file read from disk (or an editor's buffer), before any parsing.
struct ReadFile {
    /// Empty when the file could not be read, so that file ids stay dense.
    source: SourceFile,
    /// Why the file could not be read or decoded.
    error: Option<InputError>,
    /// The front-ends that may read it, by its name.
    claims: frontend::Claims,
    relevance: prefilter::Relevance,
}

/// Reads and decodes one file; no parsing yet.
fn read_file(
    id: FileId,
    path: PathBuf,
    text: Option<&String>,
    limits: &frontend::Limits,
) -> ReadFile {
    let claims = frontend::claims_of(&path);
    let failed = |path: PathBuf, error: InputError| ReadFile {
        source: SourceFile::new(path, ""),
        error: Some(error),
        claims,
        relevance: prefilter::Relevance::default(),
    };
    let text: std::sync::Arc<str> = match text {
        // An editor's buffer is held to the limit a file on disk is.
        Some(text) if text.len() as u64 > limits.max_file_bytes => {
            let display = display_path(&path);
            let message = format!(
                "file is {} bytes, over the {}-byte limit (--max-file-size); skipped",
                text.len(),
                limits.max_file_bytes
            );
            let error = InputError::file(display, message)
                .of_kind(crate::diagnostic::InputErrorKind::Limit);
            return failed(path, error);
        }
        Some(text) => text.as_str().into(),
        None => {
            let bytes = match crate::source::read_bounded(&path, limits.max_file_bytes) {
                Ok(bytes) => bytes,
                Err(why) => {
                    let display = display_path(&path);
                    let kind = match why {
                        Unreadable::TooBig { .. } => crate::diagnostic::InputErrorKind::Limit,
                        _ => crate::diagnostic::InputErrorKind::Unreadable,
                    };
                    let message = match why {
                        Unreadable::Io(e) => format!("cannot read file: {e}"),
                        Unreadable::NotAFile => "not a regular file; skipped".into(),
                        Unreadable::TooBig { size, limit } => format!(
                            "file is {size} bytes, over the {limit}-byte limit (--max-file-size); skipped"
                        ),
                    };
                    return failed(path, InputError::file(display, message).of_kind(kind));
                }
            };
            if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                let display = display_path(&path);
                return failed(
                    path,
                    InputError::file(
                        display,
                        "file is UTF-16 (it starts with a UTF-16 byte order mark); Terraform and mfalint read UTF-8: re-save it as UTF-8",
                    ),
                );
            }
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            match std::str::from_utf8(bytes) {
                // One copy, into the shared text every stage reads.
                Ok(text) => text.into(),
                Err(err) => {
                    let at = err.valid_up_to();
                    let display = display_path(&path);
                    let source = SourceFile::new(path, String::from_utf8_lossy(bytes));
                    return ReadFile {
                        source,
                        error: Some(
                            InputError::at(display, id, at..at + 1, "file is not valid UTF-8")
                                .of_kind(crate::diagnostic::InputErrorKind::Unreadable),
                        ),
                        claims,
                        relevance: prefilter::Relevance::default(),
                    };
                }
            }
        }
    };
    let relevance = prefilter::relevance(&text);
    ReadFile {
        source: SourceFile::new(path, text),
        error: None,
        claims,
        relevance,
    }
}

/// Parses, in parallel, the files the pre-filter selects (all of them with
/// `everything`), then the folders that parsed files reach (Terraform's
/// module calls), until none leads to an unparsed folder. Results keep
/// file order, so output does not depend on scheduling. Returns the
/// parsed files, the input errors and the input warnings.
fn parse_selected(
    files: &[ReadFile],
    everything: bool,
    options: &frontend::FrontendOptions,
) -> (Vec<frontend::Parsed>, Vec<InputError>, Vec<InputError>) {
    let candidates: Vec<prefilter::Candidate<'_>> = files
        .iter()
        .map(|f| prefilter::Candidate {
            path: &f.source.path,
            claims: f.claims,
            relevance: f.relevance,
        })
        .collect();
    let folders = prefilter::Folders::new(&candidates);
    let mut selected = if everything {
        files.iter().map(|f| !f.claims.is_empty()).collect()
    } else {
        prefilter::initial_selection(&candidates, &folders)
    };
    // Files read with their whole folder, which follow-ups add.
    let reads_folders = |i: usize| files[i].claims.reads_folders(&files[i].source.path);
    // Large scans keep of each tree only what selection needs, and parse
    // again for the model (`frontend::Trees`).
    let selected_bytes: u64 = (0..files.len())
        .filter(|&i| selected[i])
        .map(|i| files[i].source.text.len() as u64)
        .sum();
    let ctx = frontend::ParseContext {
        limits: &options.limits,
        schema: rules::schema(),
        keeping: options.trees.keeping(selected_bytes),
    };
    let mut outcomes: Vec<Option<Result<Option<frontend::Parsed>, InputError>>> =
        (0..files.len()).map(|_| None).collect();
    let mut parsed_folders = vec![false; folders.paths.len()];
    loop {
        let todo: Vec<usize> = (0..files.len())
            .filter(|&i| selected[i] && outcomes[i].is_none() && files[i].error.is_none())
            .collect();
        if todo.is_empty() {
            break;
        }
        // Each file parsed and the folders it calls found, in parallel.
        type Outcome = (
            usize,
            Result<Option<frontend::Parsed>, InputError>,
            Vec<usize>,
        );
        let results: Vec<Outcome> = todo
            .par_iter()
            .map(|&i| {
                let file = &files[i];
                let result = frontend::parse(file.claims, FileId(i as u32), &file.source, &ctx);
                let called = match &result {
                    Ok(Some(parsed)) => {
                        let folder = &folders.paths[folders.of_file[i]];
                        let targets = parsed.frontend().follow_ups(parsed, folder);
                        targets.iter().filter_map(|t| folders.id(t)).collect()
                    }
                    _ => Vec::new(),
                };
                (i, result, called)
            })
            .collect();
        let mut called = Vec::new();
        for (i, result, calls) in results {
            let folder = folders.of_file[i];
            called.extend(calls);
            if reads_folders(i) {
                parsed_folders[folder] = true;
            }
            outcomes[i] = Some(result);
        }
        let mut add = vec![false; folders.paths.len()];
        for folder in prefilter::folders_to_add(&called, &parsed_folders, &folders) {
            add[folder] = true;
        }
        for i in 0..files.len() {
            if add[folders.of_file[i]] && reads_folders(i) {
                selected[i] = true;
            }
        }
    }
    let mut parsed = Vec::new();
    let mut errors: Vec<InputError> = files.iter().filter_map(|f| f.error.clone()).collect();
    let mut warnings = Vec::new();
    for outcome in outcomes.into_iter().flatten() {
        match outcome {
            Ok(Some(mut p)) => {
                warnings.append(&mut p.warnings);
                parsed.push(p);
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    (parsed, errors, warnings)
}

/// The folders `file()` and `templatefile()` may read: those scanned (a
/// named file's folder), resolved through links.
fn readable_roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter_map(|p| {
            let real = p.canonicalize().ok()?;
            if real.is_dir() {
                Some(real)
            } else {
                real.parent().map(std::path::Path::to_path_buf)
            }
        })
        .collect()
}

/// A resource in both a scanned `.tf` file and a scanned plan of it is
/// found once by each front-end, at the same place: one finding per rule,
/// place and identity (address, and root module when created through
/// modules: a module reached from two roots keeps a finding per root) is
/// enough. The first in output order is kept, with the related locations of
/// the others (the plan's entry among them).
fn drop_duplicates(findings: &mut Vec<Finding>, sources: &SourceMap) {
    sort_findings(findings, sources);
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut index = std::collections::HashMap::new();
    for finding in findings.drain(..) {
        let key = (
            finding.rule.as_str().to_string(),
            finding.primary,
            finding.identity.clone(),
        );
        match index.get(&key) {
            Some(&i) => {
                let first: &mut Finding = &mut kept[i];
                for related in finding.related {
                    if !first.related.contains(&related) {
                        first.related.push(related);
                    }
                }
            }
            None => {
                index.insert(key, kept.len());
                kept.push(finding);
            }
        }
    }
    *findings = kept;
}

fn sort_findings(findings: &mut [Finding], sources: &SourceMap) {
    findings.sort_by_cached_key(|f| {
        let file = sources.get(f.primary.file);
        (
            file.display.clone(),
            f.primary.start,
            f.rule.as_str().to_string(),
            f.message.clone(),
        )
    });
}

fn sort_errors(errors: &mut [InputError]) {
    errors.sort_by(|a, b| {
        (&a.path, a.span.map(|s| s.start), &a.message).cmp(&(
            &b.path,
            b.span.map(|s| s.start),
            &b.message,
        ))
    });
}
