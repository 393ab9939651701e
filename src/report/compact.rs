//! `path:line:col: severity: [RULE] message`, one line per problem: the
//! format editors' quickfix lists and problem matchers parse.

use std::io::{self, Write};

use super::{one_line, place};
use crate::scan::ScanResult;

pub fn write(result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    for error in &result.errors {
        let (line, column) = error.span.map_or((1, 1), |span| {
            let p = place(&result.sources, span);
            (p.start.line, p.start.column)
        });
        writeln!(
            out,
            "{}:{line}:{column}: error: [input] {}",
            one_line(&error.path),
            one_line(&error.message)
        )?;
    }
    for finding in result.findings.iter().filter(|f| !f.is_suppressed()) {
        let p = place(&result.sources, finding.primary);
        writeln!(
            out,
            "{}:{}:{}: {}: [{}] {}",
            one_line(p.path),
            p.start.line,
            p.start.column,
            finding.severity,
            finding.rule.id,
            one_line(&finding.message)
        )?;
    }
    Ok(())
}
