//! Reporters: render a [`Report`] (what a scan found, and where) as human
//! text (miette), compact lines, JSON, SARIF or GitHub workflow commands.
//! A reporter sees findings, spans and rule metadata; it knows nothing of
//! input formats, nor of the scan that made the report.

mod compact;
mod github;
mod human;
mod json;
mod sarif;
mod snippet;

use std::io::{self, Write};

use crate::diagnostic::InputError;
use crate::finding::Finding;
use crate::source::{Position, SourceMap, Span};

pub mod escape;
pub mod format;

pub use escape::{is_hidden, line_start_safe, one_line, write_json};
pub use format::OutputFormat;
pub use sarif::sarif_uri;

/// What the reporters render: the findings (sorted), the inputs that
/// could not be read, those read leniently, and the sources they point
/// into. `crate::scan::ScanResult::report` makes one.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    pub findings: &'a [Finding],
    pub errors: &'a [InputError],
    pub input_warnings: &'a [InputError],
    pub files_scanned: usize,
}

#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// ANSI colours in human output.
    pub color: bool,
    /// No summary line in human output.
    pub quiet: bool,
    /// SARIF: the folder artifact URIs are relative to (`%SRCROOT%`),
    /// absolute; the working directory when `None`.
    pub sarif_root: Option<std::path::PathBuf>,
    /// SARIF: `runs[].automationDetails.id`, so that several scans of one
    /// repository are told apart by GitHub.
    pub sarif_category: Option<String>,
}

pub fn write(
    format: OutputFormat,
    result: &Report<'_>,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        OutputFormat::Human => human::write(result, &options, out),
        OutputFormat::Compact => compact::write(result, out),
        OutputFormat::Json => json::write(result, out),
        OutputFormat::Sarif => sarif::write(result, &options, out),
        OutputFormat::Github => github::write(result, out),
    }
}

/// A span rendered to path and positions.
pub(crate) struct Place<'a> {
    pub path: &'a str,
    pub start: Position,
    pub end: Position,
}

pub(crate) fn place(sources: &SourceMap, span: Span) -> Place<'_> {
    let file = sources.get(span.file);
    Place {
        path: &file.display,
        start: file.position(span.start),
        end: file.position(span.end),
    }
}

pub(crate) use crate::finding::fingerprint;

/// An input warning as one line, `path:line:col: warning: [input] message`
/// (the compact shape), for standard error.
pub fn input_warning_line(result: &Report<'_>, warning: &InputError) -> String {
    let (line, column) = warning.span.map_or((1, 1), |span| {
        let p = place(result.sources, span);
        (p.start.line, p.start.column)
    });
    line_start_safe(format!(
        "{}:{line}:{column}: warning: [input] {}",
        one_line(&warning.path),
        one_line(&warning.message)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_escapes_control_characters() {
        assert_eq!(one_line("a\nb\x1b[31m"), "a\\nb\\u{1b}[31m");
        assert_eq!(
            one_line("a\u{202e}b\u{85}c\u{7f}\u{feff}"),
            "a\\u{202e}b\\u{85}c\\u{7f}\\u{feff}"
        );
        assert_eq!(line_start_safe("::error::x".into()), "\\u{3a}:error::x");
        assert_eq!(line_start_safe("  ::x".into()), "  \\u{3a}:x");
        assert_eq!(line_start_safe("a::x".into()), "a::x");
    }

    #[test]
    fn json_escapes_hidden_characters() {
        let mut out = Vec::new();
        write_json(&mut out, &["a\u{202e}b\u{85}\u{7f}\n\u{1f600}"]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "[\n  \"a\\u202eb\\u0085\\u007f\\n\u{1f600}\"\n]");
        let back: Vec<String> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, ["a\u{202e}b\u{85}\u{7f}\n\u{1f600}"]);
    }

    #[test]
    fn fingerprints_depend_on_identity_and_path_only() {
        let a = fingerprint("MFA001|aws_iam_user.a", "x/main.tf");
        assert_eq!(a, fingerprint("MFA001|aws_iam_user.a", "x/main.tf"));
        assert_ne!(a, fingerprint("MFA001|aws_iam_user.b", "x/main.tf"));
        assert_ne!(a, fingerprint("MFA001|aws_iam_user.a", "y/main.tf"));
    }
}
