//! The inventory as CSV (RFC 4180), one identity per record, for
//! spreadsheets and compliance platforms' imports.
//!
//! Cells are input-derived, so each is made safe for the two readers it
//! meets: hidden characters are escaped ([`crate::report::one_line`]), and
//! a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab
//! or carriage return first: "CSV injection") gets a leading `'`.

use std::io::{self, Write};

use super::Row;
use crate::diagnostic::InputError;
use crate::report::{one_line, place};
use crate::source::SourceMap;

const HEADER: &[&str] = &[
    "service",
    "identity",
    "address",
    "path",
    "line",
    "column",
    "access",
    "status",
    "detail",
    "exception_reason",
    "exception_until",
    "exception_days_left",
    "rules",
    "evidence",
];

/// One cell, escaped and quoted when it must be.
fn cell(text: &str) -> String {
    let mut text = one_line(text);
    if text.starts_with(['=', '+', '-', '@']) {
        text.insert(0, '\'');
    }
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub fn write(
    rows: &[Row],
    sources: &SourceMap,
    _errors: &[InputError],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}\r", HEADER.join(","))?;
    for row in rows {
        let (path, line, column) = row.location(sources);
        let excused = row.excused.as_ref();
        let evidence: Vec<String> = row
            .evidence
            .iter()
            .map(|r| {
                let q = place(sources, r.span);
                format!(
                    "{}:{}:{}: {}",
                    q.path, q.start.line, q.start.column, r.message
                )
            })
            .collect();
        let rules: Vec<&str> = row.rules.iter().map(|r| r.as_str()).collect();
        let cells = [
            cell(&row.service),
            cell(&row.identity),
            cell(&row.address),
            cell(&path),
            line.to_string(),
            column.to_string(),
            cell(row.access.as_str()),
            cell(row.status.as_str()),
            cell(&row.detail),
            cell(excused.map_or("", |e| &e.reason)),
            cell(excused.and_then(|e| e.until.as_deref()).unwrap_or("")),
            excused
                .and_then(|e| e.days_left)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            cell(&rules.join(" ")),
            cell(&evidence.join(" | ")),
        ];
        // A line is never a GitHub workflow command (`::error::`), should
        // a CI step print the file.
        writeln!(out, "{}\r", crate::report::line_start_safe(cells.join(",")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_escaped_and_never_formulas() {
        assert_eq!(cell("alice"), "alice");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1+2"), "'-1+2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("a\nb\u{202e}"), "a\\nb\\u{202e}");
        assert_eq!(cell(""), "");
        assert_eq!(
            crate::report::line_start_safe(cell("::error::x")),
            "\\u{3a}:error::x"
        );
    }
}
