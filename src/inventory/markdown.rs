//! The inventory as Markdown: a summary table, then a table per service.
//! GitHub renders it in a job summary (`$GITHUB_STEP_SUMMARY`) or a pull
//! request comment, so every input-derived text is escaped: hidden
//! characters shown escaped, and every ASCII punctuation character
//! backslash-escaped (CommonMark allows it for all of them), so that a name
//! cannot become a link, an image, HTML, a mention or a table cell break.

use std::io::{self, Write};

use super::{Row, Status};
use crate::diagnostic::InputError;
use crate::report::one_line;
use crate::source::SourceMap;

/// Text as a code span in a Markdown table cell: nothing inside a code
/// span is markup (no link, HTML or mention), so names and paths stay
/// readable; the fence is longer than any run of backticks in the text,
/// and `|`, which GitHub's tables split cells on even in code, is escaped.
pub fn code(text: &str) -> String {
    let text = one_line(text).replace('|', "\\|");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    // A space keeps a backtick at either end from joining the fence.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Text as a literal in a Markdown table cell.
pub fn escape(text: &str) -> String {
    let text = one_line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn write(
    rows: &[Row],
    sources: &SourceMap,
    errors: &[InputError],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "# MFA inventory\n")?;
    let summary = super::summary(rows);
    if summary.is_empty() {
        writeln!(
            out,
            "No identity that can sign in to a service mfalint checks was found.\n"
        )?;
    } else {
        write!(out, "| Service | Identities |")?;
        for status in Status::ALL {
            write!(out, " {} |", status.as_str())?;
        }
        write!(out, "\n|---|---:|")?;
        for _ in Status::ALL {
            write!(out, "---:|")?;
        }
        writeln!(out)?;
        for (service, counts) in &summary {
            write!(
                out,
                "| {} | {} |",
                escape(service),
                counts.iter().sum::<usize>()
            )?;
            for n in counts {
                write!(out, " {n} |")?;
            }
            writeln!(out)?;
        }
        writeln!(out)?;
    }
    let mut current: Option<&str> = None;
    for (i, row) in rows.iter().enumerate() {
        if current != Some(row.service.as_str()) {
            current = Some(&row.service);
            writeln!(out, "## {}\n", escape(&row.service))?;
            writeln!(
                out,
                "| Identity | Access | Status | Why | Location | Address |"
            )?;
            writeln!(out, "|---|---|---|---|---|---|")?;
        }
        let (path, line, column) = row.location(sources);
        let status = if row.status.fails() {
            format!("**{}**", row.status.as_str())
        } else {
            row.status.as_str().to_string()
        };
        let why = escape(&row.why());
        writeln!(
            out,
            "| {} | {} | {status} | {why} | {} | {} |",
            code(&row.identity),
            escape(row.access.as_str()),
            code(&format!("{path}:{line}:{column}")),
            code(&row.address),
        )?;
        if rows
            .get(i + 1)
            .is_none_or(|next| next.service != row.service)
        {
            writeln!(out)?;
        }
    }
    if !errors.is_empty() {
        writeln!(
            out,
            "**{} input(s) could not be read**: identities they declare are missing from this inventory.\n",
            errors.len()
        )?;
        for e in errors {
            writeln!(out, "- {}: {}", code(&e.path), escape(&e.message))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{code, escape};

    #[test]
    fn input_cannot_become_markdown() {
        assert_eq!(escape("alice"), "alice");
        assert_eq!(
            escape("[x](https://e.vil) | <b>@team</b>"),
            "\\[x\\]\\(https\\:\\/\\/e\\.vil\\) \\| \\<b\\>\\@team\\<\\/b\\>"
        );
        assert_eq!(escape("a\nb"), "a\\\\nb");
        assert_eq!(code("users.tf:10:1"), "`users.tf:10:1`");
        assert_eq!(code("a`b|c"), "``a`b\\|c``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("[x](https://e.vil)"), "`[x](https://e.vil)`");
    }
}
