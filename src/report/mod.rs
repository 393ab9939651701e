//! Reporters: render a [`ScanResult`] as human text (miette), compact lines,
//! JSON or SARIF. A reporter sees findings, spans and rule metadata; it knows
//! nothing of input formats.

mod compact;
mod github;
mod human;
mod json;
mod sarif;
mod snippet;

use std::io::{self, Write};

use crate::scan::ScanResult;
use crate::source::{Position, SourceMap, Span};

pub use sarif::sarif_uri;

/// The output formats: the one list behind `--format`, `--output
/// FORMAT=PATH`, `format` in `.mfalint.toml` and the reporters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with labels and fixes.
    Human,
    /// `path:line:col: severity: [RULE] message`, one per line (editors, grep).
    Compact,
    /// Stable JSON document (schema in README).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

impl OutputFormat {
    /// The format named exactly so (`compact`), as `.mfalint.toml` and
    /// `--output` name them.
    pub fn named(name: &str) -> Option<OutputFormat> {
        <OutputFormat as clap::ValueEnum>::from_str(name, false).ok()
    }

    /// Every format's name, in order.
    pub fn names() -> Vec<String> {
        use clap::ValueEnum;
        OutputFormat::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect()
    }
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
    result: &ScanResult,
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

/// Whether a character must never reach an output raw: control
/// characters (C0, DEL and C1: line breaks, ANSI escapes, the CSI of
/// C1), bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E,
/// U+200F, U+061C: "Trojan Source", text that reads other than it is),
/// invisible characters (U+200B-U+200D, U+2060-U+2064, U+FEFF) and the
/// Unicode line and paragraph separators (U+2028, U+2029).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Makes text safe to print on one line: hidden characters ([`is_hidden`]:
/// newlines, ANSI escapes, bidirectional controls) are shown escaped
/// (`\n`, `\u{1b}`, `\u{202e}`), so a crafted file name cannot forge output
/// lines, terminal sequences or text that reads otherwise. Every
/// input-derived string printed as text goes through it, on standard
/// output and standard error alike.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A line that starts with input (a path): a leading `::` is escaped
/// (`\u{3a}:`), so that the GitHub Actions runner, which reads workflow
/// commands from any line of a step's output, cannot take a file named
/// `::error::...` for one.
pub fn line_start_safe(line: String) -> String {
    let indent = line.len() - line.trim_start().len();
    if line[indent..].starts_with("::") {
        format!("{}\\u{{3a}}{}", &line[..indent], &line[indent + 1..])
    } else {
        line
    }
}

/// JSON as every JSON document mfalint writes (reports, SARIF, baselines)
/// is written: pretty, with hidden characters ([`is_hidden`]) written as
/// `\uXXXX` escapes. serde_json escapes only those below U+0020, so DEL, C1
/// controls and bidirectional controls would otherwise reach a reader, or
/// a terminal showing the file, raw.
pub fn write_json<T: serde::Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        out,
        Visible(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut serializer)
}

/// A JSON formatter that writes hidden characters as escapes and leaves
/// the rest to the formatter it wraps.
struct Visible<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Visible<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hidden(c) {
                self.0.write_string_fragment(writer, &fragment[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        self.0.write_string_fragment(writer, &fragment[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}

pub(crate) use crate::finding::fingerprint;

/// An input warning as one line, `path:line:col: warning: [input] message`
/// (the compact shape), for standard error.
pub fn input_warning_line(result: &ScanResult, warning: &crate::diagnostic::InputError) -> String {
    let (line, column) = warning.span.map_or((1, 1), |span| {
        let p = place(&result.sources, span);
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
