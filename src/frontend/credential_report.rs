//! AWS IAM credential reports (`aws iam get-credential-report`, decoded to
//! CSV): what the account itself says about each user's password, MFA and
//! access keys. Recognised by the header line, wherever the file is; each
//! row becomes a `ReportedUser` whose span is the row.

use std::ops::Range;
use std::path::Path;

use super::{BuildContext, Frontend, ParseContext, Parsed, Selection};
use crate::diagnostic::{InputError, InputErrorKind};
use crate::model::{Model, Origin, ReportFlag, ReportedUser, ScopeId};
use crate::source::{CommentSyntax, FileId, SourceFile, Span};

/// The columns mfalint reads; a report lacking one is rejected.
const REQUIRED: [&str; 6] = [
    "user",
    "arn",
    "password_enabled",
    "mfa_active",
    "access_key_1_active",
    "access_key_2_active",
];

/// The credential report front-end.
pub struct CredentialReports;

impl Frontend for CredentialReports {
    fn name(&self) -> &'static str {
        "credential-report"
    }

    fn claims(&self, path: &Path) -> bool {
        claims(path)
    }

    fn watched(&self) -> &'static [&'static str] {
        &["**/*.csv"]
    }

    fn words(&self) -> &'static [&'static str] {
        &[]
    }

    fn selection(&self, _path: &Path) -> Selection {
        Selection::Always
    }

    fn comments(&self, _path: &Path) -> CommentSyntax {
        CommentSyntax::None
    }

    fn parse(
        &self,
        id: FileId,
        file: &SourceFile,
        _ctx: &ParseContext<'_>,
    ) -> Result<Option<Parsed>, InputError> {
        Ok(parse(id, file)?.map(|report| Parsed::new(self, report)))
    }

    /// One scope per report.
    fn build(&self, parsed: Vec<Parsed>, ctx: &BuildContext<'_>) -> (Vec<Model>, Vec<InputError>) {
        let mut models = Vec::new();
        let mut errors = Vec::new();
        for (i, parsed) in parsed.into_iter().enumerate() {
            let report: CredentialReport = parsed.into_inner();
            let (part, problems) = lower(
                ScopeId(ctx.first_scope + i as u32),
                &report,
                &ctx.sources.get(report.file).path,
            );
            models.push(part);
            errors.extend(problems);
        }
        (models, errors)
    }
}

/// The root account's row, as AWS names it.
const ROOT: &str = "<root_account>";

/// A parsed report: its rows, and the rows that could not be read.
#[derive(Debug)]
pub struct CredentialReport {
    pub file: FileId,
    pub rows: Vec<Row>,
    pub problems: Vec<InputError>,
}

/// One user row, with the spans of the cells findings point at.
#[derive(Debug)]
pub struct Row {
    pub user_span: Range<usize>,
    pub mfa_active_span: Range<usize>,
    pub user: String,
    pub arn: String,
    pub password_enabled: ReportFlag,
    pub mfa_active: ReportFlag,
    pub active_access_key: bool,
}

pub fn claims(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Whether a header line is meant as a credential report's: its first
/// column is `user` and it names at least one other report column. Such a
/// file missing a required column gets a diagnostic; any other CSV is not
/// a report and is skipped silently.
fn looks_like_report(header: &[&str]) -> bool {
    header.first() == Some(&"user") && header.iter().skip(1).any(|c| REQUIRED.contains(c))
}

/// Parses a CSV that may be a credential report; `Ok(None)` for other CSVs.
pub fn parse(id: FileId, file: &SourceFile) -> Result<Option<CredentialReport>, InputError> {
    let mut lines = line_ranges(&file.text);
    let Some(header_range) = lines.next() else {
        return Ok(None);
    };
    let header_text = &file.text[header_range.clone()];
    let header: Vec<&str> = header_text.split(',').map(str::trim).collect();
    if !looks_like_report(&header) {
        return Ok(None);
    }
    let mut columns = [0usize; REQUIRED.len()];
    for (slot, name) in columns.iter_mut().zip(REQUIRED) {
        *slot = header.iter().position(|c| *c == name).ok_or_else(|| {
            InputError::at(
                file.display.clone(),
                id,
                header_range.clone(),
                format!(
                    "this looks like an AWS IAM credential report, but its header has no `{name}` column; regenerate it with `aws iam get-credential-report`"
                ),
            )
            .of_kind(InputErrorKind::Invalid)
        })?;
    }
    let mut report = CredentialReport {
        file: id,
        rows: Vec::new(),
        problems: Vec::new(),
    };
    for range in lines {
        let text = &file.text[range.clone()];
        if text.trim().is_empty() {
            continue;
        }
        let fields = split_csv_line(text);
        if fields.len() != header.len() {
            report.problems.push(InputError::at(
                file.display.clone(),
                id,
                range.clone(),
                format!(
                    "credential report row has {} fields where the header has {}; the row is skipped (is the file truncated?)",
                    fields.len(),
                    header.len()
                ),
            ).of_kind(InputErrorKind::Invalid));
            continue;
        }
        let field = |i: usize| fields[columns[i]].0.as_str();
        let cell = |i: usize| {
            let within = &fields[columns[i]].1;
            range.start + within.start..range.start + within.end
        };
        report.rows.push(Row {
            user_span: cell(0),
            mfa_active_span: cell(3),
            user: field(0).to_string(),
            arn: field(1).to_string(),
            password_enabled: flag(field(2)),
            mfa_active: flag(field(3)),
            active_access_key: flag(field(4)) == ReportFlag::True
                || flag(field(5)) == ReportFlag::True,
        });
    }
    Ok(Some(report))
}

/// Each report is a scope of its own: its rows are the account's word,
/// linked to code by user name only.
pub fn lower(
    scope: ScopeId,
    report: &CredentialReport,
    path: &std::path::Path,
) -> (Model, Vec<InputError>) {
    let mut model = Model::default();
    model.scope_inputs.push((
        scope,
        std::collections::BTreeSet::from([path.to_path_buf()]),
    ));
    for row in &report.rows {
        model.reported_users.push(ReportedUser {
            origin: Origin::plain(
                scope,
                row.user.clone(),
                Span::new(report.file, row.user_span.clone()),
            ),
            name: row.user.clone(),
            mfa_active_span: Span::new(report.file, row.mfa_active_span.clone()),
            arn: row.arn.clone(),
            is_root: row.user == ROOT,
            password_enabled: row.password_enabled,
            mfa_active: row.mfa_active,
            active_access_key: row.active_access_key,
        });
    }
    (model, report.problems.clone())
}

fn flag(text: &str) -> ReportFlag {
    match text.trim() {
        t if t.eq_ignore_ascii_case("true") => ReportFlag::True,
        t if t.eq_ignore_ascii_case("false") => ReportFlag::False,
        _ => ReportFlag::Other,
    }
}

/// Byte ranges of the lines, without their line ending. CRLF, LF and a
/// lone CR all end a line (RFC 4180 says CRLF; a report saved by an old
/// Mac tool has lone CRs, and was read as one header line: no rows, no
/// findings, silently).
fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= bytes.len() {
            return None;
        }
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let range = start..end;
        start = match bytes.get(end..end + 2) {
            Some(b"\r\n") => end + 2,
            _ => end + 1,
        };
        Some(range)
    })
}

/// Splits one CSV line into fields and their byte ranges in the line
/// (RFC 4180 quoting; AWS does not quote, but a report edited in a
/// spreadsheet may be).
fn split_csv_line(line: &str) -> Vec<(String, Range<usize>)> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut start = 0;
    let mut quoted = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' if quoted && chars.peek().map(|(_, c)| *c) == Some('"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => {
                fields.push((std::mem::take(&mut field), start..i));
                start = i + 1;
            }
            c => field.push(c),
        }
    }
    fields.push((field, start..line.len()));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    fn file(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from("report.csv"), text.to_string())
    }

    #[test]
    fn reads_rows_with_their_flags_and_spans() {
        let text = format!(
            "{HEADER}\r\n<root_account>,arn:aws:iam::1:root,2020-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,false,true,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\r\n"
        );
        let report = parse(FileId(0), &file(&text)).unwrap().unwrap();
        assert!(report.problems.is_empty());
        let row = &report.rows[0];
        assert_eq!(row.user, "<root_account>");
        assert_eq!(row.password_enabled, ReportFlag::Other);
        assert_eq!(row.mfa_active, ReportFlag::False);
        assert!(row.active_access_key);
        assert_eq!(&text[row.user_span.clone()], "<root_account>");
        assert_eq!(&text[row.mfa_active_span.clone()], "false");
    }

    #[test]
    fn other_csvs_are_not_reports() {
        assert!(
            parse(FileId(0), &file("name,email\na,b\n"))
                .unwrap()
                .is_none()
        );
        assert!(parse(FileId(0), &file("")).unwrap().is_none());
    }

    #[test]
    fn a_report_missing_a_column_is_an_error_at_the_header() {
        let err = parse(FileId(0), &file("user,arn,password_enabled\nbob,x,true\n")).unwrap_err();
        assert!(err.message.contains("`mfa_active`"), "{}", err.message);
        assert_eq!(err.span.unwrap().range(), 0..25);
    }

    #[test]
    fn cr_lf_and_crlf_all_end_lines() {
        let text = "a\rb\nc\r\nd\r\re";
        let lines: Vec<&str> = line_ranges(text).map(|r| &text[r]).collect();
        assert_eq!(lines, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(line_ranges("").count(), 0);
        assert_eq!(line_ranges("a\n").count(), 1);
    }

    #[test]
    fn quoted_fields_split_like_rfc_4180() {
        let fields = split_csv_line(r#"a,"b,c","d""e""#);
        let texts: Vec<&str> = fields.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["a", "b,c", "d\"e"]);
        assert_eq!(fields[1].1, 2..7);
    }
}
