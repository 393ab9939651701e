//! GitHub Actions workflow commands (`::error file=...,line=...::message`):
//! annotations on the pull request even without code scanning.
//!
//! Values are escaped as the Actions runner expects, so a crafted file name
//! or message cannot end the command early or inject another one.

use std::io::{self, Write};

use super::Report;
use super::place;
use crate::rules::Severity;

pub fn write(result: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    let levelled = result
        .errors
        .iter()
        .map(|e| (e, "error", "mfalint: input error"))
        .chain(
            result
                .input_warnings
                .iter()
                .map(|w| (w, "warning", "mfalint: input warning")),
        );
    for (error, command, title) in levelled {
        let mut properties = format!("file={}", escape_property(&error.path));
        if let Some(span) = error.span {
            let p = place(result.sources, span);
            properties.push_str(&format!(",line={},col={}", p.start.line, p.start.column));
        }
        writeln!(
            out,
            "::{command} {properties},title={}::{}",
            escape_property(title),
            escape_data(&error.message)
        )?;
    }
    for finding in result.findings.iter().filter(|f| !f.is_suppressed()) {
        let p = place(result.sources, finding.primary);
        let command = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(p.path),
            p.start.line,
            p.start.column,
            p.end.line,
            p.end.column,
            escape_property(&format!(
                "{} {}",
                finding.rule.as_str(),
                finding.rule.meta().title
            )),
            escape_data(&format!("{} Fix: {}.", finding.message, finding.help))
        )?;
    }
    Ok(())
}

/// Escaping of a command's message: the runner's own escapes for `%`, CR
/// and LF, and other hidden characters (ANSI escapes, bidirectional
/// controls: [`super::is_hidden`]) shown escaped so they cannot restyle or
/// rewrite the log.
fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if super::is_hidden(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

/// Escaping of a command property (`file=`, `title=`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_cannot_be_injected() {
        assert_eq!(escape_data("a\n::error::x%"), "a%0A::error::x%25");
        assert_eq!(escape_data("red\u{1b}[31m"), "red\\u{1b}[31m");
        assert_eq!(escape_data("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(escape_property("evil,line=1::x"), "evil%2Cline=1%3A%3Ax");
    }
}
