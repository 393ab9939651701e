//! `mfalint lsp`: the same engine behind the Language Server Protocol, over
//! standard input and output.
//!
//! On open, change and save, the document is scanned with the rest of its
//! folder (a Terraform module spans its folder), using the editor's unsaved
//! text, and diagnostics touching the document are published: rule id,
//! severity, message, related locations and a link to the rule's reference.
//! A code action inserts an exception comment above the finding, with a
//! reason to fill in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification, Request, Response};
use serde_json::{Value, json};

use crate::discover::{DiscoverOptions, normalize};
use crate::finding::Finding;
use crate::rules::Severity;
use crate::scan::{ScanOptions, ScanResult, scan};
use crate::source::{SourceMap, Span};

/// Runs the server until the client says `exit`.
pub fn run(base: ScanOptions) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = json!({
        "textDocumentSync": {"openClose": true, "change": 1, "save": {"includeText": false}},
        "codeActionProvider": true,
    });
    let (id, _client) = connection.initialize_start()?;
    connection.initialize_finish(
        id,
        json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "mfalint", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let mut server = Server {
        base,
        open: HashMap::new(),
    };
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    break;
                }
                let response = server.request(request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                for publish in server.notification(notification) {
                    connection.sender.send(Message::Notification(publish))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    drop(connection);
    io_threads.join()?;
    Ok(())
}

struct Server {
    base: ScanOptions,
    /// Open documents: path -> current text.
    open: HashMap<PathBuf, String>,
}

impl Server {
    fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        let params = &notification.params;
        let uri = params["textDocument"]["uri"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let Some(path) = uri_to_path(&uri) else {
            return Vec::new();
        };
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let text = params["textDocument"]["text"].as_str().unwrap_or_default();
                self.open.insert(path.clone(), text.to_string());
            }
            "textDocument/didChange" => {
                // Full synchronisation: the last change holds the whole text.
                if let Some(text) = params["contentChanges"]
                    .as_array()
                    .and_then(|c| c.last())
                    .and_then(|c| c["text"].as_str())
                {
                    self.open.insert(path.clone(), text.to_string());
                }
            }
            "textDocument/didSave" => {}
            "textDocument/didClose" => {
                self.open.remove(&path);
                return vec![publish(&uri, Vec::new())];
            }
            _ => return Vec::new(),
        }
        let diagnostics = match self.scan(&path) {
            Some(result) => diagnostics_for(&result, &path),
            None => Vec::new(),
        };
        vec![publish(&uri, diagnostics)]
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

    /// Scans the document with its folder, using the open documents' text.
    fn scan(&self, path: &Path) -> Option<ScanResult> {
        let options = ScanOptions {
            discover: DiscoverOptions {
                paths: vec![path.to_path_buf()],
                ..self.base.discover.clone()
            },
            overrides: self
                .open
                .iter()
                .map(|(p, t)| (normalize(p), t.clone()))
                .collect(),
            ..self.base.clone()
        };
        scan(&options).ok()
    }
}

fn publish(uri: &str, diagnostics: Vec<Value>) -> Notification {
    Notification::new(
        "textDocument/publishDiagnostics".into(),
        json!({"uri": uri, "diagnostics": diagnostics}),
    )
}

/// Diagnostics of a scan that touch `path`: findings located there, and
/// findings elsewhere whose related locations are there.
fn diagnostics_for(result: &ScanResult, path: &Path) -> Vec<Value> {
    let sources = &result.sources;
    let here = |span: Span| normalize(&sources.get(span.file).path) == normalize(path);
    let mut out = Vec::new();
    let levelled = result
        .errors
        .iter()
        .map(|e| (e, 1))
        .chain(result.input_warnings.iter().map(|w| (w, 2)));
    for (error, severity) in levelled {
        if let Some(span) = error.span.filter(|s| here(*s)) {
            out.push(json!({
                "range": range(sources, span),
                "severity": severity,
                "source": "mfalint",
                "message": error.message,
            }));
        }
    }
    for finding in result.findings.iter().filter(|f| !f.is_suppressed()) {
        let anchor = if here(finding.primary) {
            Some(finding.primary)
        } else {
            finding.related.iter().map(|r| r.span).find(|s| here(*s))
        };
        let Some(anchor) = anchor else {
            continue;
        };
        out.push(diagnostic(sources, finding, anchor));
    }
    out
}

fn diagnostic(sources: &SourceMap, finding: &Finding, anchor: Span) -> Value {
    let mut related: Vec<Value> = finding
        .related
        .iter()
        .map(|r| json!({"location": location(sources, r.span), "message": r.message}))
        .collect();
    if anchor != finding.primary {
        related.insert(
            0,
            json!({"location": location(sources, finding.primary), "message": finding.label}),
        );
    }
    let mut value = json!({
        "range": range(sources, anchor),
        "severity": match finding.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Note => 3,
        },
        "code": finding.rule.id,
        "source": "mfalint",
        "message": format!("{} Fix: {}.", finding.message, finding.help),
        "relatedInformation": related,
        "data": {"rule": finding.rule.id},
    });
    if let Some(reference) = finding.rule.references.first() {
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

/// "Add an exception" for each mfalint diagnostic in the request, in files
/// that take `#` comments (HCL, YAML).
fn code_actions(params: &Value, open: &HashMap<PathBuf, String>) -> Vec<Value> {
    let uri = params["textDocument"]["uri"].as_str().unwrap_or_default();
    let Some(path) = uri_to_path(uri) else {
        return Vec::new();
    };
    let takes_comments = ["tf", "yaml", "yml"]
        .iter()
        .any(|e| path.extension().is_some_and(|x| x == *e));
    if !takes_comments {
        return Vec::new();
    }
    let text = open
        .get(&path)
        .cloned()
        .or_else(|| std::fs::read_to_string(&path).ok())
        .unwrap_or_default();
    let mut actions = Vec::new();
    for diagnostic in params["context"]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let Some(rule) = diagnostic["code"].as_str().filter(|c| c.starts_with("MFA")) else {
            continue;
        };
        let line = diagnostic["range"]["start"]["line"].as_u64().unwrap_or(0) as usize;
        let indent: String = text
            .lines()
            .nth(line)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        let comment = format!(
            "{indent}# mfalint:ignore {rule} reason=\"TODO: say why this is acceptable\" until={}\n",
            crate::suppress::Date::today().plus_days(90)
        );
        actions.push(json!({
            "title": format!("Record an exception for {rule} (with a reason and an expiry)"),
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

    #[test]
    fn uris_and_paths_round_trip() {
        let path = Path::new("/tmp/a dir/é.tf");
        assert_eq!(uri_to_path(&path_to_uri(path)).as_deref(), Some(path));
        assert_eq!(uri_to_path("http://x"), None);
    }
}
