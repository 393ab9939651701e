//! JSON output. The schema is documented in the README and versioned by
//! `version`; fields are only ever added within a version.

use std::io::{self, Write};

use serde::Serialize;

use super::{fingerprint, place};
use crate::source::{SourceMap, Span};

const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<Finding<'a>>,
    errors: Vec<Error<'a>>,
    /// Inputs read all the same (a duplicate YAML key), shaped as errors.
    warnings: Vec<Error<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    name: &'a str,
    severity: &'static str,
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
    address: Option<&'a str>,
    help: &'a str,
    related: Vec<Related<'a>>,
    fingerprint: String,
    /// The exception that excuses the finding, or null.
    suppression: Option<SuppressionOut<'a>>,
}

#[derive(Serialize)]
struct SuppressionOut<'a> {
    justification: &'a str,
    until: Option<&'a str>,
    path: Option<&'a str>,
    line: Option<usize>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    start: Point,
    end: Point,
}

#[derive(Serialize)]
struct Point {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Related<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    message: &'a str,
}

#[derive(Serialize)]
struct Error<'a> {
    path: &'a str,
    start: Option<Point>,
    message: &'a str,
    /// `unreadable`, `syntax`, `invalid`, `limit` or `reference`.
    kind: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files_scanned: usize,
    /// Findings not excused by an exception.
    findings: usize,
    suppressed: usize,
    errors: usize,
    warnings: usize,
}

fn location(sources: &SourceMap, span: Span) -> Location<'_> {
    let p = place(sources, span);
    Location {
        path: p.path,
        start: Point {
            line: p.start.line,
            column: p.start.column,
        },
        end: Point {
            line: p.end.line,
            column: p.end.column,
        },
    }
}

fn error<'a>(sources: &SourceMap, e: &'a crate::diagnostic::InputError) -> Error<'a> {
    Error {
        path: &e.path,
        start: e.span.map(|s| {
            let p = place(sources, s);
            Point {
                line: p.start.line,
                column: p.start.column,
            }
        }),
        message: &e.message,
        kind: e.kind.as_str(),
    }
}

pub fn write(result: &super::Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let sources = result.sources;
    let report = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: result
            .findings
            .iter()
            .map(|f| Finding {
                rule: f.rule.as_str(),
                name: &f.rule.meta().name,
                severity: f.severity.as_str(),
                message: &f.message,
                location: location(sources, f.primary),
                address: f.address.as_deref(),
                help: &f.help,
                related: f
                    .related
                    .iter()
                    .map(|r| Related {
                        location: location(sources, r.span),
                        message: &r.message,
                    })
                    .collect(),
                fingerprint: fingerprint(&f.identity, &sources.get(f.primary.file).display),
                suppression: f.suppression.as_ref().map(|s| SuppressionOut {
                    justification: &s.justification,
                    until: s.until.as_deref(),
                    path: s.span.map(|span| place(sources, span).path),
                    line: s.span.map(|span| place(sources, span).start.line),
                }),
            })
            .collect(),
        errors: result.errors.iter().map(|e| error(sources, e)).collect(),
        warnings: result
            .input_warnings
            .iter()
            .map(|e| error(sources, e))
            .collect(),
        summary: Summary {
            files_scanned: result.files_scanned,
            findings: result
                .findings
                .iter()
                .filter(|f| !f.is_suppressed())
                .count(),
            suppressed: result.findings.iter().filter(|f| f.is_suppressed()).count(),
            errors: result.errors.len(),
            warnings: result.input_warnings.len(),
        },
    };
    super::write_json(&mut *out, &report)?;
    writeln!(out)
}
