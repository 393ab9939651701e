//! Human output through miette: a source snippet with the finding's label,
//! related locations, and the fix as help text.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity as MietteSeverity,
    SourceSpan,
};

use super::Report;
use super::one_line;
use super::snippet::{NEAR, Snippet};
use crate::rules::Severity;
use crate::source::{SourceMap, Span};

pub fn write(
    result: &Report<'_>,
    options: &super::RenderOptions,
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
    for error in result.errors {
        let diagnostic = HumanDiagnostic {
            code: "input".into(),
            severity: MietteSeverity::Error,
            message: match error.span {
                Some(_) => one_line(&error.message),
                None => format!("{}: {}", one_line(&error.path), one_line(&error.message)),
            },
            help: None,
            source: error
                .span
                .map(|s| snippet(result.sources, &[shown(result.sources, s)])),
            labels: error
                .span
                .map(|s| vec![label(shown(result.sources, s), "here", true)])
                .unwrap_or_default(),
            related: Vec::new(),
        };
        render(&handler, &diagnostic, out)?;
    }
    for finding in result.findings.iter().filter(|f| !f.is_suppressed()) {
        let sources = result.sources;
        let primary = shown(sources, finding.primary);
        let mut spans = vec![primary];
        let mut labels = vec![label(primary, &finding.label, true)];
        let mut related = Vec::new();
        for r in &finding.related {
            let span = shown(sources, r.span);
            // Beside the primary label when near it in the same file; else
            // in a snippet of its own.
            if span.file == primary.file && span.start.abs_diff(primary.start) as usize <= NEAR {
                spans.push(span);
                labels.push(label(span, &r.message, false));
            } else {
                related.push(HumanDiagnostic {
                    code: String::new(),
                    severity: MietteSeverity::Advice,
                    message: format!("related: {}", one_line(&r.message)),
                    help: None,
                    source: Some(snippet(sources, &[span])),
                    labels: vec![label(span, &r.message, true)],
                    related: Vec::new(),
                });
            }
        }
        let diagnostic = HumanDiagnostic {
            code: format!("{}({})", finding.rule.as_str(), finding.rule.meta().name),
            severity: match finding.severity {
                Severity::Error => MietteSeverity::Error,
                Severity::Warning => MietteSeverity::Warning,
                Severity::Note => MietteSeverity::Advice,
            },
            message: one_line(&finding.message),
            help: Some(one_line(&finding.help)),
            source: Some(snippet(sources, &spans)),
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

fn summary(result: &Report<'_>) -> String {
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

fn snippet(sources: &SourceMap, spans: &[Span]) -> Snippet {
    let file = sources.get(spans[0].file);
    Snippet::new(one_line(&file.display), file, spans)
}

/// The part of a span a label underlines: a span on one line longer than
/// a screen is shown by its first 80 bytes (a whole resource of a minified
/// template is one such line).
fn shown(sources: &SourceMap, span: Span) -> Span {
    const LONGEST: u32 = 160;
    let text = &sources.get(span.file).text;
    let (start, end) = (span.start as usize, span.end as usize);
    let on_one_line = text.get(start..end).is_some_and(|t| !t.contains('\n'));
    if span.end - span.start <= LONGEST || !on_one_line {
        return span;
    }
    let end = crate::source::floor_char_boundary(text, start + LONGEST as usize / 2);
    Span {
        end: end as u32,
        ..span
    }
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
    source: Option<Snippet>,
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
