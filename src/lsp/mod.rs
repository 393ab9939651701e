//! `mfalint lsp`: the same engine behind the Language Server Protocol, over
//! standard input and output.
//!
//! A module spans its folder and the modules it calls, and a template set
//! spans its nested stacks, so a change in one file can add or remove a
//! finding in another (a device added in `mfa.tf` clears the finding on
//! `users.tf`). So on every open, change, save or close of a document, and
//! on every change of a watched file (`workspace/didChangeWatchedFiles`,
//! registered when the client allows), the workspace folders are scanned
//! again with the editor's unsaved buffers (new, unsaved files included),
//! on a scanner thread that a newer change cancels (see [`run`]), and
//! diagnostics are republished for every file that has them, and cleared
//! for every file that had them. Settings (`.mfalint.toml`, rule selection,
//! severities, exceptions) are resolved by [`crate::settings::resolve`],
//! exactly as the command line resolves them; an invalid settings file
//! gets a diagnostic where it is wrong, and the scan uses the defaults.
//!
//! A code action records an exception above the finding, in the file where
//! the finding is anchored, with an empty reason for the user to type: an
//! exception without a reason excuses nothing (MFA901) until it is written.

mod transport;

pub use transport::{Frame, MAX_MESSAGE, decode, read_frame};

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use lsp_server::{Message, Notification, Request, RequestId, Response};
use serde_json::{Value, json};

use crate::config::ConfigError;
use crate::discover::normalize;
use crate::finding::Finding;
use crate::report::one_line;
use crate::rules::Severity;
use crate::scan::{Progress, ScanError, ScanOptions, ScanResult, scan};
use crate::settings::SettingsError;
use crate::source::{SourceMap, Span};

/// The files whose changes the server asks the client to report: those
/// the front-ends read, and the settings.
fn watched() -> Vec<&'static str> {
    let mut globs = crate::frontend::watched();
    globs.push("**/.mfalint.toml");
    globs
}

/// How long the scanner waits for more changes before scanning: a burst
/// of keystrokes is scanned once.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// JSON-RPC's "server not initialized".
const SERVER_NOT_INITIALIZED: i32 = -32002;

/// Runs the server until the client says `exit` or closes its output;
/// true when the client asked for a shutdown first (the protocol's exit
/// status 0; otherwise 1). `base` gives the options that settings do not
/// (threads, how trees are freed).
///
/// Two threads do the work: this one answers the client at once (requests,
/// and the bookkeeping of open documents), and a scanner thread scans and
/// publishes. Every change cancels the scan in progress, whose results are
/// dropped, and asks for a new one; so the server stays responsive while a
/// large workspace is scanned, and never publishes a state older than one
/// it has been told of.
pub fn run(base: ScanOptions) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    let (incoming, outgoing, writer) = transport::stdio();
    let send = |message: Message| -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        outgoing.send(serde_json::to_value(message)?)?;
        Ok(())
    };

    // The handshake: nothing but `initialize` is answered before it.
    let (id, params) = loop {
        match incoming.recv() {
            Ok(Message::Request(request)) if request.method == "initialize" => {
                break (request.id, request.params);
            }
            Ok(Message::Request(request)) => send(Message::Response(Response::new_err(
                request.id,
                SERVER_NOT_INITIALIZED,
                "mfalint: initialize first".into(),
            )))?,
            Ok(Message::Notification(n)) if n.method == "exit" => return Ok(false),
            Ok(_) => {}
            Err(_) => return Ok(false),
        }
    };
    let capabilities = json!({
        "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}},
        "codeActionProvider": true,
        "workspace": {"workspaceFolders": {"supported": true, "changeNotifications": true}},
    });
    send(Message::Response(Response::new_ok(
        id,
        json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "mfalint", "version": env!("CARGO_PKG_VERSION")},
        }),
    )))?;
    let mut roots: BTreeSet<PathBuf> = params["workspaceFolders"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["uri"].as_str().and_then(uri_to_path))
        .collect();
    if roots.is_empty()
        && let Some(root) = params["rootUri"].as_str().and_then(uri_to_path)
    {
        roots.insert(root);
    }
    let can_watch =
        params["capabilities"]["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]
            .as_bool()
            .unwrap_or(false);

    let (jobs, scanner) = {
        let (to_scanner, from_server) = mpsc::channel::<Job>();
        let outgoing = outgoing.clone();
        let handle = std::thread::spawn(move || {
            Scanner {
                base,
                published: BTreeSet::new(),
                outgoing,
            }
            .run(from_server)
        });
        (to_scanner, handle)
    };
    let mut server = Server {
        roots,
        open: HashMap::new(),
        current: Arc::new(Progress::default()),
        jobs,
        initialized: false,
    };
    let mut shutting_down = false;
    for message in &incoming {
        match message {
            Message::Request(request) if shutting_down => {
                send(Message::Response(Response::new_err(
                    request.id,
                    lsp_server::ErrorCode::InvalidRequest as i32,
                    "mfalint: shutting down".into(),
                )))?;
            }
            Message::Request(request) if request.method == "shutdown" => {
                shutting_down = true;
                server.current.cancelled.store(true, Ordering::Relaxed);
                send(Message::Response(Response::new_ok(request.id, Value::Null)))?;
            }
            Message::Request(request) => {
                send(Message::Response(server.request(request)))?;
            }
            Message::Notification(n) if n.method == "exit" => break,
            Message::Notification(_) if shutting_down => {}
            Message::Notification(n) if n.method == "initialized" && !server.initialized => {
                server.initialized = true;
                // The client may now be asked to report changes of the
                // files that matter.
                if can_watch {
                    send(Message::Request(Request::new(
                        RequestId::from("mfalint-watch".to_string()),
                        "client/registerCapability".into(),
                        json!({"registrations": [{
                            "id": "mfalint-watched-files",
                            "method": "workspace/didChangeWatchedFiles",
                            "registerOptions": {"watchers": watched()
                                .iter()
                                .map(|g| json!({"globPattern": g}))
                                .collect::<Vec<_>>()},
                        }]}),
                    )))?;
                }
            }
            Message::Notification(notification) => server.notification(notification),
            Message::Response(_) => {}
        }
    }
    server.current.cancelled.store(true, Ordering::Relaxed);
    drop(server);
    // The scanner ends with the job channel; then the writer is told to
    // stop after what was sent before.
    let _ = scanner.join();
    let _ = outgoing.send(Value::Null);
    let _ = writer.join();
    Ok(shutting_down)
}

/// What the main thread keeps: the client's view.
struct Server {
    /// The workspace folders.
    roots: BTreeSet<PathBuf>,
    /// Open documents: path -> current text.
    open: HashMap<PathBuf, Arc<str>>,
    /// The progress (and cancellation) of the last scan asked for.
    current: Arc<Progress>,
    jobs: mpsc::Sender<Job>,
    initialized: bool,
}

/// One scan to do: the state it is of, and the handle that cancels it.
struct Job {
    roots: Vec<PathBuf>,
    open: HashMap<PathBuf, Arc<str>>,
    progress: Arc<Progress>,
}

impl Server {
    fn notification(&mut self, notification: Notification) {
        let params = &notification.params;
        let path = params["textDocument"]["uri"].as_str().and_then(uri_to_path);
        match (notification.method.as_str(), path) {
            ("textDocument/didOpen", Some(path)) => {
                let text = params["textDocument"]["text"].as_str().unwrap_or_default();
                self.open.insert(path, text.into());
            }
            ("textDocument/didChange", Some(path)) => {
                // Full synchronisation: the last change holds the whole text.
                if let Some(text) = params["contentChanges"]
                    .as_array()
                    .and_then(|c| c.last())
                    .and_then(|c| c["text"].as_str())
                {
                    self.open.insert(path, text.into());
                }
            }
            ("textDocument/didClose", Some(path)) => {
                self.open.remove(&path);
            }
            ("workspace/didChangeWorkspaceFolders", _) => {
                let folders = |key: &str| -> Vec<PathBuf> {
                    params["event"][key]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|f| f["uri"].as_str().and_then(uri_to_path))
                        .collect()
                };
                for removed in folders("removed") {
                    self.roots.remove(&removed);
                }
                self.roots.extend(folders("added"));
            }
            ("textDocument/didSave", Some(_)) | ("workspace/didChangeWatchedFiles", _) => {}
            _ => return,
        }
        // The scan in progress is of a state that is gone.
        self.current.cancelled.store(true, Ordering::Relaxed);
        self.current = Arc::new(Progress::default());
        let _ = self.jobs.send(Job {
            roots: self.scan_roots(),
            open: self.open.clone(),
            progress: self.current.clone(),
        });
    }

    fn request(&mut self, request: Request) -> Response {
        match request.method.as_str() {
            "textDocument/codeAction" => {
                let actions = code_actions(&request.params, &self.open);
                Response::new_ok(request.id, actions)
            }
            _ => Response::new_err(
                request.id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("mfalint does not handle {}", request.method),
            ),
        }
    }

    /// What to scan: the workspace folders, and each open document outside
    /// them by itself (with the files of its own folder, as a named file
    /// is), never the folder around it: a JSON file opened from a home
    /// folder must not make the server walk the home folder. A "document"
    /// that is a folder (`file:///`) or a kind of file no front-end reads
    /// is not scanned at all.
    fn scan_roots(&self) -> Vec<PathBuf> {
        let mut roots: Vec<PathBuf> = self.roots.iter().cloned().collect();
        for path in self.open.keys() {
            if self.roots.iter().any(|r| path.starts_with(r))
                || !crate::frontend::is_read(path)
                || path.is_dir()
            {
                continue;
            }
            roots.push(path.clone());
        }
        roots.sort();
        roots.dedup();
        roots
    }
}

/// The scanner thread: scans the latest state it is given and publishes.
struct Scanner {
    base: ScanOptions,
    /// Documents that have diagnostics published, to clear them once they
    /// have none.
    published: BTreeSet<String>,
    outgoing: mpsc::Sender<Value>,
}

impl Scanner {
    fn run(mut self, jobs: mpsc::Receiver<Job>) {
        while let Ok(mut job) = jobs.recv() {
            // The latest of a burst.
            loop {
                match jobs.recv_timeout(DEBOUNCE) {
                    Ok(newer) => job = newer,
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            if job.progress.cancelled.load(Ordering::Relaxed) {
                continue;
            }
            let notifications = self.republish(&job);
            // A scan cancelled halfway is of a state that is gone; the next
            // job publishes the new one (and clears what this one would).
            let Some(notifications) = notifications else {
                continue;
            };
            for notification in notifications {
                let Ok(value) = serde_json::to_value(Message::Notification(notification)) else {
                    continue;
                };
                if self.outgoing.send(value).is_err() {
                    return;
                }
            }
        }
    }

    /// Scans every root with the settings the command line would use
    /// there; a settings file that cannot be read is shown to the user
    /// (and an invalid one gets a diagnostic where it is wrong) and the
    /// scan goes on with the defaults. `None` when cancelled.
    fn scan(&self, job: &Job) -> Option<Scanned> {
        let overrides: HashMap<PathBuf, String> = job
            .open
            .iter()
            .map(|(p, t)| (normalize(p), t.to_string()))
            .collect();
        let mut results = Vec::new();
        let mut messages = Vec::new();
        let mut settings = Vec::new();
        for root in &job.roots {
            // What `mfalint scan ROOT` would ask for.
            let args = crate::settings::Overrides {
                paths: vec![root.clone()],
                ..Default::default()
            };
            let threads = self.base.discover.threads;
            let mut options = match crate::settings::resolve(
                &args,
                threads,
                self.base.frontends.freeing,
            ) {
                Ok(resolved) => resolved.options,
                Err(message) => {
                    if let SettingsError::Config(ConfigError::Invalid {
                        path,
                        position,
                        message,
                    }) = &message
                    {
                        let entry = (absolute_path(path), settings_diagnostic(*position, message));
                        // Roots under one settings file share it.
                        if !settings.contains(&entry) {
                            settings.push(entry);
                        }
                    }
                    messages.push(Notification::new(
                        "window/showMessage".into(),
                        json!({"type": 1, "message": format!("mfalint: {}; scanning with the default settings", one_line(&message.to_string()))}),
                    ));
                    let mut args = args;
                    args.no_config = true;
                    match crate::settings::resolve(&args, threads, self.base.frontends.freeing) {
                        Ok(resolved) => resolved.options,
                        Err(_) => continue,
                    }
                }
            };
            options.overrides = overrides.clone();
            options.progress = Some(job.progress.clone());
            let outcome = scan(&options);
            if job.progress.cancelled.load(Ordering::Relaxed) {
                return None;
            }
            match outcome {
                Ok(result) => results.push(result),
                Err(ScanError::Cancelled) => return None,
                Err(ScanError::Usage(message)) => messages.push(Notification::new(
                    "window/showMessage".into(),
                    json!({"type": 1, "message": format!("mfalint: {}", one_line(&message))}),
                )),
            }
        }
        Some(Scanned {
            results,
            messages,
            settings,
        })
    }

    /// Scans again and publishes every file's diagnostics, clearing those
    /// of files that no longer have any. `None` when cancelled.
    fn republish(&mut self, job: &Job) -> Option<Vec<Notification>> {
        let Scanned {
            results,
            messages: mut out,
            settings,
        } = self.scan(job)?;
        let open: BTreeSet<PathBuf> = job.open.keys().map(|p| normalize(p)).collect();
        let mut by_uri: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for (path, diagnostic) in settings {
            by_uri
                .entry(path_to_uri(&path))
                .or_default()
                .push(diagnostic);
        }
        for result in &results {
            for (path, diagnostics) in diagnostics_by_file(result, &open) {
                by_uri
                    .entry(path_to_uri(&path))
                    .or_default()
                    .extend(diagnostics);
            }
        }
        // Open documents are always published, so an editor shows that a
        // document has nothing to report.
        for path in &open {
            by_uri.entry(path_to_uri(path)).or_default();
        }
        for uri in std::mem::take(&mut self.published) {
            by_uri.entry(uri).or_default();
        }
        for (uri, diagnostics) in by_uri {
            if !diagnostics.is_empty() {
                self.published.insert(uri.clone());
            }
            out.push(publish(&uri, diagnostics));
        }
        Some(out)
    }
}

/// What a scan of every root gives: the results, messages for the user,
/// and diagnostics on invalid settings files.
struct Scanned {
    results: Vec<ScanResult>,
    messages: Vec<Notification>,
    settings: Vec<(PathBuf, Value)>,
}

/// A diagnostic on a settings file, where it is wrong (its start when the
/// problem has no place). Columns count characters, as the settings
/// error does; a settings file is ASCII in practice.
fn settings_diagnostic(position: Option<(usize, usize)>, message: &str) -> Value {
    let (line, character) = position.map_or((0, 0), |(l, c)| (l - 1, c - 1));
    json!({
        "range": {
            "start": {"line": line, "character": character},
            "end": {"line": line, "character": character + 1},
        },
        "severity": 1,
        "source": "mfalint",
        "message": one_line(message),
    })
}

fn publish(uri: &str, diagnostics: Vec<Value>) -> Notification {
    Notification::new(
        "textDocument/publishDiagnostics".into(),
        json!({"uri": uri, "diagnostics": diagnostics}),
    )
}

/// A scan's diagnostics by absolute file: each finding at its primary
/// location, and also in each open document where one of its related
/// locations is (the login profile being edited, when the finding is on the
/// user); input errors where they are.
fn diagnostics_by_file(
    result: &ScanResult,
    open: &BTreeSet<PathBuf>,
) -> BTreeMap<PathBuf, Vec<Value>> {
    let sources = &result.sources;
    let path_of = |span: Span| absolute_path(&sources.get(span.file).path);
    let mut out: BTreeMap<PathBuf, Vec<Value>> = BTreeMap::new();
    let levelled = result
        .errors
        .iter()
        .map(|e| (e, 1))
        .chain(result.input_warnings.iter().map(|w| (w, 2)));
    for (error, severity) in levelled {
        // An error about a whole file (too large, unreadable) is shown at
        // its start.
        let (path, range) = match error.span {
            Some(span) => (path_of(span), range(sources, span)),
            None => (
                absolute_path(Path::new(&error.path)),
                json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}),
            ),
        };
        out.entry(path).or_default().push(json!({
            "range": range,
            "severity": severity,
            "source": "mfalint",
            "code": error.kind.as_str(),
            "message": one_line(&error.message),
        }));
    }
    for finding in result.findings.iter().filter(|f| !f.is_suppressed()) {
        let primary = path_of(finding.primary);
        out.entry(primary.clone())
            .or_default()
            .push(diagnostic(sources, finding, finding.primary));
        let mut shown = BTreeSet::from([primary]);
        for related in &finding.related {
            let path = path_of(related.span);
            if open.contains(&path) && shown.insert(path.clone()) {
                out.entry(path)
                    .or_default()
                    .push(diagnostic(sources, finding, related.span));
            }
        }
    }
    out
}

/// A scanned file's absolute path. The server scans absolute paths (from
/// URIs), so the working directory is asked only for a relative one.
fn absolute_path(path: &Path) -> PathBuf {
    let cwd = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    crate::source::absolute(&cwd, path)
}

fn diagnostic(sources: &SourceMap, finding: &Finding, anchor: Span) -> Value {
    let mut related: Vec<Value> = finding
        .related
        .iter()
        .map(|r| json!({"location": location(sources, r.span), "message": one_line(&r.message)}))
        .collect();
    if anchor != finding.primary {
        related.insert(
            0,
            json!({"location": location(sources, finding.primary), "message": one_line(&finding.label)}),
        );
    }
    let primary = sources.get(finding.primary.file);
    let mut value = json!({
        "range": range(sources, anchor),
        "severity": match finding.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Note => 3,
        },
        "code": finding.rule.as_str(),
        "source": "mfalint",
        "message": one_line(&format!("{} Fix: {}.", finding.message, finding.help)),
        "relatedInformation": related,
        // Where an exception for the finding goes: above its primary
        // location, in the file that holds it.
        "data": {
            "rule": finding.rule.as_str(),
            "uri": path_to_uri(&absolute_path(&primary.path)),
            "line": primary.position(finding.primary.start).line - 1,
        },
    });
    if let Some(reference) = finding.rule.meta().references.first() {
        value["codeDescription"] = json!({"href": reference.url});
    }
    value
}

/// An LSP range: 0-based lines, UTF-16 columns.
fn range(sources: &SourceMap, span: Span) -> Value {
    let file = sources.get(span.file);
    let (start, end) = (file.position(span.start), file.position(span.end));
    json!({
        "start": {"line": start.line - 1, "character": start.column_utf16 - 1},
        "end": {"line": end.line - 1, "character": end.column_utf16 - 1},
    })
}

fn location(sources: &SourceMap, span: Span) -> Value {
    let path = std::fs::canonicalize(&sources.get(span.file).path)
        .unwrap_or_else(|_| sources.get(span.file).path.clone());
    json!({"uri": path_to_uri(&path), "range": range(sources, span)})
}

/// "Record an exception" for each mfalint diagnostic in the request: a
/// comment above the finding's primary location, in the file that holds it
/// (which takes `#` comments: HCL, YAML), with an empty reason to type.
fn code_actions(params: &Value, open: &HashMap<PathBuf, Arc<str>>) -> Vec<Value> {
    let mut actions = Vec::new();
    for diagnostic in params["context"]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let Some(rule) = diagnostic["code"].as_str().filter(|c| c.starts_with("MFA")) else {
            continue;
        };
        let data = &diagnostic["data"];
        let (uri, line) = match (data["uri"].as_str(), data["line"].as_u64()) {
            (Some(uri), Some(line)) => (uri.to_string(), line as usize),
            _ => (
                params["textDocument"]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                diagnostic["range"]["start"]["line"].as_u64().unwrap_or(0) as usize,
            ),
        };
        let Some(path) = uri_to_path(&uri) else {
            continue;
        };
        let Some(comment_start) = crate::frontend::comment_syntax(&path).line_comment() else {
            continue;
        };
        let text: Arc<str> = open
            .get(&path)
            .cloned()
            .or_else(|| read_document(&path))
            .unwrap_or_else(|| "".into());
        let indent: String = crate::source::lines_with_offsets(&text)
            .get(line)
            .map_or("", |(_, l)| l)
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        let comment = format!(
            "{indent}{comment_start} mfalint:ignore {rule} reason=\"\" until={}\n",
            crate::suppress::Date::today().plus_days(90)
        );
        actions.push(json!({
            "title": format!("Record an exception for {rule} (type the reason between the quotes)"),
            "kind": "quickfix",
            "diagnostics": [diagnostic],
            "edit": {"changes": {uri: [{
                "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                "newText": comment,
            }]}},
        }));
    }
    actions
}

/// A file the client names, if it is a regular file within the size the
/// server reads (the client may name `/dev/zero`).
fn read_document(path: &Path) -> Option<Arc<str>> {
    let bytes = crate::source::read_bounded(path, MAX_MESSAGE).ok()?;
    String::from_utf8(bytes).ok().map(Into::into)
}

fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = rest
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

fn path_to_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An exception is offered where the file's format has comments, in
    /// its comment syntax; not in JSON, which has none.
    #[test]
    fn code_actions_write_the_format_s_comment() {
        let offered = |path: &str| -> Vec<String> {
            let uri = format!("file://{path}");
            let text: Arc<str> = "  x: 1\n".into();
            let open = HashMap::from([(PathBuf::from(path), text)]);
            let params = json!({
                "textDocument": {"uri": uri},
                "context": {"diagnostics": [
                    {"code": "MFA001", "range": {"start": {"line": 0, "character": 2}}}
                ]}
            });
            code_actions(&params, &open)
                .iter()
                .map(|a| {
                    a["edit"]["changes"][&uri][0]["newText"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect()
        };
        let yaml = offered("/r/template.yaml");
        assert_eq!(yaml.len(), 1);
        assert!(
            yaml[0].starts_with("  # mfalint:ignore MFA001 reason=\"\""),
            "{yaml:?}"
        );
        assert_eq!(offered("/r/main.tf").len(), 1);
        assert_eq!(offered("/r/terraform.tfvars").len(), 1);
        assert!(offered("/r/template.json").is_empty());
        assert!(offered("/r/main.tf.json").is_empty());
    }

    #[test]
    fn uris_and_paths_round_trip() {
        let path = Path::new("/tmp/a dir/é.tf");
        assert_eq!(uri_to_path(&path_to_uri(path)).as_deref(), Some(path));
        assert_eq!(uri_to_path("http://x"), None);
    }

    /// Editors show diagnostics as text: a user named with a right-to-left
    /// override or a line break must not read otherwise there.
    #[test]
    fn diagnostics_escape_hidden_characters() {
        let result = crate::scan::scan_texts(vec![(
            "/w/main.tf".into(),
            "resource \"aws_iam_user_login_profile\" \"x\" {\n  user = \"bob\u{202e}\\nx\"\n}\n"
                .into(),
        )]);
        let text = serde_json::to_string(&diagnostics_by_file(&result, &BTreeSet::new())).unwrap();
        assert!(text.contains("bob\\\\u{202e}\\\\nx"), "{text}");
        assert!(!text.contains('\u{202e}'), "{text}");
    }
}
