//! Human output through miette: a source snippet with the finding's label,
//! related locations, and the fix as help text.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource,
    Severity as MietteSeverity, SourceSpan,
};

use super::one_line;
use crate::rules::Severity;
use crate::scan::ScanResult;
use crate::source::{SourceMap, Span};

pub fn write(
    result: &ScanResult,
    options: super::RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100);
    for error in &result.errors {
        let diagnostic = HumanDiagnostic {
            code: "input".into(),
            severity: MietteSeverity::Error,
            message: match error.span {
                Some(_) => one_line(&error.message),
                None => format!("{}: {}", one_line(&error.path), one_line(&error.message)),
            },
            help: None,
            source: error.span.map(|s| named_source(&result.sources, s)),
            labels: error
                .span
                .map(|s| vec![label(s, "here", true)])
                .unwrap_or_default(),
            related: Vec::new(),
        };
        render(&handler, &diagnostic, out)?;
    }
    for finding in result.findings.iter().filter(|f| !f.is_suppressed()) {
        let primary_file = finding.primary.file;
        let mut labels = vec![label(finding.primary, &finding.label, true)];
        let mut related = Vec::new();
        for r in &finding.related {
            if r.span.file == primary_file {
                labels.push(label(r.span, &r.message, false));
            } else {
                related.push(HumanDiagnostic {
                    code: String::new(),
                    severity: MietteSeverity::Advice,
                    message: format!("related: {}", one_line(&r.message)),
                    help: None,
                    source: Some(named_source(&result.sources, r.span)),
                    labels: vec![label(r.span, &r.message, true)],
                    related: Vec::new(),
                });
            }
        }
        let diagnostic = HumanDiagnostic {
            code: format!("{}({})", finding.rule.id, finding.rule.name),
            severity: match finding.severity {
                Severity::Error => MietteSeverity::Error,
                Severity::Warning => MietteSeverity::Warning,
                Severity::Note => MietteSeverity::Advice,
            },
            message: one_line(&finding.message),
            help: Some(one_line(&finding.help)),
            source: Some(named_source(&result.sources, finding.primary)),
            labels,
            related,
        };
        render(&handler, &diagnostic, out)?;
    }
    if options.quiet {
        return Ok(());
    }
    writeln!(out, "{}", summary(result))
}

fn summary(result: &ScanResult) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let suppressed = result.findings.iter().filter(|f| f.is_suppressed()).count();
    let mut text = format!(
        "mfalint: {} in {}",
        plural(result.findings.len() - suppressed, "finding"),
        plural(result.files_scanned, "file")
    );
    if suppressed > 0 {
        text.push_str(&format!(" ({suppressed} excused by recorded exceptions)"));
    }
    if !result.errors.is_empty() {
        text.push_str(&format!(
            "; {} could not be read or parsed",
            plural(result.errors.len(), "input error")
        ));
    }
    text
}

fn render(
    handler: &GraphicalReportHandler,
    diagnostic: &HumanDiagnostic,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut text = String::new();
    handler
        .render_report(&mut text, diagnostic)
        .map_err(|_| io::Error::other("failed to render a diagnostic"))?;
    out.write_all(text.as_bytes())
}

fn named_source(sources: &SourceMap, span: Span) -> NamedSource<Arc<str>> {
    let file = sources.get(span.file);
    NamedSource::new(one_line(&file.display), displayable(&file.text))
}

/// Source text safe to print in a snippet: control characters other than
/// line breaks and tabs (ANSI escapes, a lone carriage return) become `?`,
/// byte for byte, so spans still line up and the file cannot drive the
/// terminal.
fn displayable(text: &Arc<str>) -> Arc<str> {
    let unsafe_char = |c: char, next: Option<char>| {
        c.is_control() && c != '\n' && c != '\t' && !(c == '\r' && next == Some('\n'))
    };
    let mut chars = text.chars().peekable();
    let mut clean = true;
    while let Some(c) = chars.next() {
        if unsafe_char(c, chars.peek().copied()) {
            clean = false;
            break;
        }
    }
    if clean {
        return text.clone();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if unsafe_char(c, chars.peek().copied()) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out.into()
}

fn label(span: Span, text: &str, primary: bool) -> LabeledSpan {
    let source_span = SourceSpan::new(
        (span.start as usize).into(),
        (span.end - span.start) as usize,
    );
    if primary {
        LabeledSpan::new_primary_with_span(Some(one_line(text)), source_span)
    } else {
        LabeledSpan::new_with_span(Some(one_line(text)), source_span)
    }
}

/// A diagnostic built at render time from a finding or an input error.
#[derive(Debug)]
struct HumanDiagnostic {
    code: String,
    severity: MietteSeverity,
    message: String,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
    related: Vec<HumanDiagnostic>,
}

impl fmt::Display for HumanDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for HumanDiagnostic {}

impl Diagnostic for HumanDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<MietteSeverity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(format!("fix: {h}")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        (!self.labels.is_empty()).then(|| Box::new(self.labels.iter().cloned()) as Box<_>)
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        (!self.related.is_empty())
            .then(|| Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)) as Box<_>)
    }
}
