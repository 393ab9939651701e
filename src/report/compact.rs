//! `path:line:col: severity: [RULE] message`, one line per problem: the
//! format editors' quickfix lists and problem matchers parse. Input-derived
//! text is escaped ([`super::one_line`]), and a line cannot start a GitHub
//! workflow command ([`super::line_start_safe`]).

use std::io::{self, Write};

use super::Report;
use super::{line_start_safe, one_line, place};

pub fn write(result: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
    for error in result.errors {
        let (line, column) = error.span.map_or((1, 1), |span| {
            let p = place(result.sources, span);
            (p.start.line, p.start.column)
        });
        let text = format!(
            "{}:{line}:{column}: error: [input] {}",
            one_line(&error.path),
            one_line(&error.message)
        );
        writeln!(out, "{}", line_start_safe(text))?;
    }
    for finding in result.findings.iter().filter(|f| !f.is_suppressed()) {
        let p = place(result.sources, finding.primary);
        let text = format!(
            "{}:{}:{}: {}: [{}] {}",
            one_line(p.path),
            p.start.line,
            p.start.column,
            finding.severity,
            finding.rule.as_str(),
            one_line(&finding.message)
        );
        writeln!(out, "{}", line_start_safe(text))?;
    }
    Ok(())
}
