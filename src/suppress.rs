//! Exceptions recorded in the code, beside the resource they excuse:
//!
//! ```hcl
//! # mfalint:ignore MFA001 reason="break-glass account, hardware key in the safe" until=2027-03-31
//! resource "aws_iam_user" "breakglass" { ... }
//! ```
//!
//! An exception covers findings of the listed rules whose primary location
//! is on the comment's own line or on the first code line below the comment
//! block it belongs to. A reason is required; `until` is optional. An
//! expired exception no longer suppresses and is itself reported (MFA900),
//! and so are a malformed one (MFA901) and one that suppresses nothing
//! (MFA902), so exceptions stay honest. Suppressed findings are kept, marked
//! with their justification, never silently dropped.
//!
//! Comments are found by a small lexer (strings are skipped), not by a
//! regular expression over the whole line, as the file's format writes
//! them ([`CommentSyntax`], which its front-end declares): `#`, `//` and
//! `/*` in HCL, `#` after a space in YAML, none in JSON (a template
//! records exceptions in its `Metadata` instead).

use crate::finding::{Finding, Suppression};
use crate::rules::{self, RuleId};
use crate::source::{CommentSyntax, FileId, SourceMap, Span};

const MARKER: &str = "mfalint:ignore";

/// Why a reason says nothing, if it is a placeholder: empty, or words that
/// stand for a reason not yet written ("TODO: ...", "FIXME", "tbd", "n/a").
/// Such an exception is invalid (MFA901) and excuses nothing: an editor's
/// quick fix leaves the reason for its user to write.
pub fn placeholder_reason(reason: &str) -> Option<String> {
    let text = reason.trim();
    if text.is_empty() {
        return Some("an exception needs a reason".into());
    }
    let lower = text.to_lowercase();
    let word: String = lower
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '/')
        .collect();
    let bare: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    const LEADING: &[&str] = &["todo", "fixme", "tbd", "tbc", "xxx", "placeholder"];
    const WHOLE: &[&str] = &["na", "none", "reason", "temp", "wip"];
    let placeholder =
        bare.is_empty() || LEADING.iter().any(|p| word == *p) || WHOLE.contains(&bare.as_str());
    placeholder.then(|| {
        format!("the reason \"{text}\" is a placeholder: say why this finding is acceptable")
    })
}

/// A civil date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A date that exists, written `YYYY-MM-DD` with digits only:
    /// `2099-02-31`, `2099-02-29` and `+099-01-01` are not dates (they
    /// were once accepted, so an impossible date made a valid exception).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            bytes[range.clone()]
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| text[range].parse::<u32>().ok())
                .flatten()
        };
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year = digits(0..4)?;
        let month = digits(5..7)?;
        let day = digits(8..10)?;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Date {
            year: year as i32,
            month,
            day,
        })
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// Days from `earlier` to this date (negative when it is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.to_days() - earlier.to_days()
    }

    /// The date `days` days later.
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_days(self.to_days() + days)
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One `mfalint:ignore` comment.
#[derive(Debug, Clone)]
pub struct Exception {
    pub span: Span,
    /// 1-based line of the comment.
    pub line: usize,
    /// 1-based line of the code the exception applies to.
    pub target_line: usize,
    pub rules: Vec<RuleId>,
    pub reason: Option<String>,
    pub until: Option<Date>,
    /// Why the comment is malformed, if it is.
    pub problem: Option<String>,
}

/// Finds every exception comment of a file whose comments are written
/// as `syntax` says.
pub fn exceptions_in(file: FileId, text: &str, syntax: CommentSyntax) -> Vec<Exception> {
    if syntax == CommentSyntax::None {
        return Vec::new();
    }
    // Lines as every position counts them (a lone `\r` ends one too).
    let (line_starts, lines): (Vec<usize>, Vec<&str>) =
        crate::source::lines_with_offsets(text).into_iter().unzip();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((comment_at, text_at, comment)) = comment_of(line, syntax) else {
            continue;
        };
        let Some(marker_at) = comment.find(MARKER) else {
            continue;
        };
        let start = line_starts[i] + text_at + marker_at;
        let body = &comment[marker_at + MARKER.len()..];
        // A further comment after the exception is a remark, not part of it.
        let body = comment_of(body, syntax).map_or(body, |(at, _, _)| &body[..at]);
        let span = Span::new(file, start..line_starts[i] + line.trim_end().len());
        let own_line_has_code = !line[..comment_at].trim().is_empty();
        let target_line = if own_line_has_code {
            i + 1
        } else {
            // The first line below the comment block that is not a comment.
            let mut j = i + 1;
            while j < lines.len() && is_comment_only(lines[j], syntax) {
                j += 1;
            }
            j + 1
        };
        found.push(parse_exception(body, span, i + 1, target_line));
    }
    found
}

fn is_comment_only(line: &str, syntax: CommentSyntax) -> bool {
    comment_of(line, syntax).is_some_and(|(at, _, _)| line[..at].trim().is_empty())
}

/// The comment part of a line, as `syntax` writes comments: the byte
/// offset of its delimiter, the byte offset of its text (after the
/// delimiter), and the text.
fn comment_of(line: &str, syntax: CommentSyntax) -> Option<(usize, usize, &str)> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let after_space = i == 0 || bytes[i - 1].is_ascii_whitespace();
        // A YAML quote opens a scalar only where one may start; after `=`
        // it opens the exception's own `reason="..."`.
        let opens = syntax == CommentSyntax::HashAndSlashes
            || after_space
            || matches!(bytes[i - 1], b'[' | b'{' | b',' | b':' | b'=');
        match (syntax, bytes[i], quote) {
            (_, b'\\', Some(b'"')) => i += 1,
            (_, b'"', None) if opens => quote = Some(b'"'),
            (_, b'"', Some(b'"')) => quote = None,
            // YAML quotes with `'` too; `''` inside is one quote.
            (CommentSyntax::Hash, b'\'', None) if opens => quote = Some(b'\''),
            (CommentSyntax::Hash, b'\'', Some(b'\'')) if bytes.get(i + 1) == Some(&b'\'') => i += 1,
            (CommentSyntax::Hash, b'\'', Some(b'\'')) => quote = None,
            (CommentSyntax::Hash, b'#', None) if after_space => {
                return Some((i, i + 1, &line[i + 1..]));
            }
            (CommentSyntax::HashAndSlashes, b'#', None) => {
                return Some((i, i + 1, &line[i + 1..]));
            }
            (CommentSyntax::HashAndSlashes, b'/', None)
                if matches!(bytes.get(i + 1), Some(b'/' | b'*')) =>
            {
                return Some((i, i + 2, &line[i + 2..]));
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses `RULE[,RULE...] reason="..." until=YYYY-MM-DD`.
fn parse_exception(body: &str, span: Span, line: usize, target_line: usize) -> Exception {
    let mut exception = Exception {
        span,
        line,
        target_line,
        rules: Vec::new(),
        reason: None,
        until: None,
        problem: None,
    };
    let mut rest = body.trim().trim_end_matches("*/").trim_end();
    // Rule list: up to the first `key=`.
    let rules_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let (rule_list, after) = rest.split_at(rules_end);
    if rule_list.contains('=') || rule_list.is_empty() {
        exception.problem =
            Some("name the rules it excuses, e.g. `mfalint:ignore MFA001 reason=\"...\"`".into());
        return exception;
    }
    for rule in rule_list.split(',').filter(|r| !r.is_empty()) {
        match rules::find(rule) {
            Some(r) => exception.rules.push(r.id),
            None => {
                exception.problem = Some(format!("`{rule}` is not a mfalint rule"));
                return exception;
            }
        }
    }
    rest = after.trim_start();
    let mut seen: Vec<&str> = Vec::new();
    while !rest.is_empty() {
        let Some((key, value_and_more)) = rest.split_once('=') else {
            exception.problem = Some(format!("expected `key=value`, found `{rest}`"));
            return exception;
        };
        let (value, more) = if let Some(quoted) = value_and_more.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => {
                    exception.problem = Some(format!("the value of `{key}` has no closing quote"));
                    return exception;
                }
            }
        } else {
            let end = value_and_more
                .find(char::is_whitespace)
                .unwrap_or(value_and_more.len());
            value_and_more.split_at(end)
        };
        // A key given twice is a mistake whichever value was meant (the
        // last once won silently: `until=2020-01-01 until=2099-01-01`).
        let key = key.trim();
        if seen.contains(&key) {
            exception.problem = Some(format!("`{key}` is given twice"));
            return exception;
        }
        seen.push(key);
        match key {
            "reason" => exception.reason = Some(value.trim().to_string()).filter(|r| !r.is_empty()),
            "until" => match Date::parse(value) {
                Some(date) => exception.until = Some(date),
                None => {
                    exception.problem = Some(format!("`until={value}` is not a date (YYYY-MM-DD)"));
                    return exception;
                }
            },
            other => {
                exception.problem = Some(format!(
                    "unknown key `{other}` (expected `reason` or `until`)"
                ));
                return exception;
            }
        }
        rest = more.trim_start();
    }
    match &exception.reason {
        None => {
            exception.problem = Some("an exception needs a reason: add `reason=\"...\"`".into());
        }
        Some(reason) => {
            if let Some(why) = placeholder_reason(reason) {
                exception.problem = Some(why);
            }
        }
    }
    exception
}

/// One exception, wherever it was written, ready to be honoured.
struct Honoured<'a> {
    span: Span,
    /// The exception's text, for the identity of findings about it.
    text: &'a str,
    rules: Vec<RuleId>,
    reason: String,
    until: Option<Date>,
    /// What it applies to, for the "excuses nothing" message.
    target: String,
}

/// Marks the findings an exception excuses, or reports it (MFA900 when
/// expired, MFA902 when it excuses nothing). Malformed exceptions
/// (MFA901) are reported by the caller before this.
fn honour(
    findings: &mut [Finding],
    extra: &mut Vec<Finding>,
    exception: Honoured<'_>,
    today: Date,
    applies: impl Fn(&Finding) -> bool,
) {
    let Honoured {
        span,
        text,
        rules,
        reason,
        until,
        target,
    } = exception;
    if let Some(until) = until.filter(|u| *u < today) {
        extra.push(meta_finding(
            RuleId::Mfa900,
            span,
            text,
            format!("this exception expired on {until} (reason: \"{reason}\"); the findings it excused are reported again"),
        ));
        return;
    }
    let mut used = false;
    for finding in findings
        .iter_mut()
        .filter(|f| !f.is_suppressed() && rules.contains(&f.rule) && applies(f))
    {
        used = true;
        finding.suppression = Some(Suppression {
            justification: reason.clone(),
            until: until.map(|d| d.to_string()),
            span: Some(span),
            evidence: None,
        });
    }
    if !used {
        extra.push(meta_finding(
            RuleId::Mfa902,
            span,
            text,
            format!(
                "this exception for {} excuses no finding {target}; remove it",
                rules
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
}

fn invalid(extra: &mut Vec<Finding>, span: Span, text: &str, problem: &str) {
    extra.push(meta_finding(
        RuleId::Mfa901,
        span,
        text,
        format!("invalid mfalint exception: {problem}; it suppresses nothing"),
    ));
}

/// Applies the exception comments of every file: marks suppressed
/// findings, and adds MFA900-MFA902 findings for expired, malformed and
/// unused exceptions.
pub fn apply(
    findings: &mut Vec<Finding>,
    sources: &SourceMap,
    today: Date,
    syntax_of: impl Fn(&std::path::Path) -> CommentSyntax,
) {
    use rayon::prelude::*;
    let mut extra = Vec::new();
    // Every file's text is searched: in parallel, in file order.
    let marked: Vec<FileId> = (0..sources.len())
        .into_par_iter()
        .map(|i| FileId(i as u32))
        .filter(|&id| sources.get(id).text.contains(MARKER))
        .collect();
    for file_id in marked {
        let file = sources.get(file_id);
        for exception in exceptions_in(file_id, &file.text, syntax_of(&file.path)) {
            let text = file.slice(exception.span);
            if let Some(problem) = &exception.problem {
                invalid(&mut extra, exception.span, text, problem);
                continue;
            }
            let target_line = exception.target_line;
            let honoured = Honoured {
                span: exception.span,
                text,
                rules: exception.rules,
                reason: exception.reason.unwrap_or_default(),
                until: exception.until,
                target: format!("on line {target_line}"),
            };
            honour(findings, &mut extra, honoured, today, |f| {
                f.primary.file == file_id && file.position(f.primary.start).line == target_line
            });
        }
    }
    findings.extend(extra);
}

/// Applies exceptions recorded in templates (`Metadata`), with the same
/// rules as comments: a reason is required, known rules only, expiry honoured.
pub fn apply_recorded(
    findings: &mut Vec<Finding>,
    recorded: &[crate::model::RecordedException],
    sources: &SourceMap,
    today: Date,
) {
    let mut extra = Vec::new();
    for exception in recorded {
        let text = sources.get(exception.span.file).slice(exception.span);
        let text = text.lines().next().unwrap_or("");
        let mut rule_ids = Vec::new();
        let mut problem = None;
        for rule in &exception.rules {
            match rules::find(rule) {
                Some(r) => rule_ids.push(r.id),
                None => problem = Some(format!("`{rule}` is not a mfalint rule")),
            }
        }
        if exception.rules.is_empty() {
            problem = Some("name the rules it excuses (`rule` or `rules`)".into());
        }
        let reason = exception.reason.clone().filter(|r| !r.trim().is_empty());
        match &reason {
            None => problem = Some("an exception needs a `reason`".into()),
            Some(r) => {
                if let Some(why) = placeholder_reason(r) {
                    problem = Some(why);
                }
            }
        }
        let until = exception.until.as_ref().and_then(|text| {
            let date = Date::parse(text);
            if date.is_none() {
                problem = Some(format!("`until: {text}` is not a date (YYYY-MM-DD)"));
            }
            date
        });
        if let Some(problem) = problem {
            invalid(&mut extra, exception.span, text, &problem);
            continue;
        }
        let honoured = Honoured {
            span: exception.span,
            text,
            rules: rule_ids,
            reason: reason.unwrap_or_default(),
            until,
            target: format!("on `{}`", exception.address),
        };
        honour(findings, &mut extra, honoured, today, |f| {
            f.primary.file == exception.span.file
                && f.address.as_deref() == Some(exception.address.as_str())
        });
    }
    findings.extend(extra);
}

/// A finding about an exception comment; its identity is the comment's
/// text, so its fingerprint survives lines moving.
fn meta_finding(id: RuleId, span: Span, text: &str, message: String) -> Finding {
    let rule = id.meta();
    Finding {
        rule: id,
        severity: rule.severity,
        message,
        primary: span,
        label: "exception".into(),
        related: Vec::new(),
        address: None,
        help: rule.remediation.trim().replace('\n', " "),
        identity: format!("{id}|{}", text.trim()),
        suppression: None,
        subject: None,
        scope: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Exception {
        let mut found = exceptions_in(FileId(0), text, CommentSyntax::HashAndSlashes);
        assert_eq!(found.len(), 1, "{found:?}");
        found.remove(0)
    }

    #[test]
    fn placeholder_reasons_excuse_nothing() {
        for reason in [
            "",
            "  ",
            "TODO",
            "todo: explain",
            "FIXME later",
            "tbd",
            "TBD.",
            "n/a",
            "N/A",
            "none",
            "-",
            "...",
            "?",
            "xxx",
            "WIP",
            "reason",
        ] {
            assert!(placeholder_reason(reason).is_some(), "{reason:?} accepted");
            let e = one(&format!(
                "# mfalint:ignore MFA001 reason=\"{reason}\"\nx = 1\n"
            ));
            assert!(e.problem.is_some(), "{reason:?}: {e:?}");
        }
        for reason in [
            "break-glass account; hardware key in the safe",
            "n/a until the SSO migration ends in March",
            "todos are tracked in JIRA-12; this user is a robot",
            "ok'd by security (SEC-41): service account, no console use",
        ] {
            assert_eq!(placeholder_reason(reason), None, "{reason:?} refused");
        }
    }

    #[test]
    fn the_span_starts_at_the_marker_after_any_delimiter() {
        for (text, marker_at) in [
            ("# mfalint:ignore MFA001 reason=\"x\"", 2),
            ("x = 1 // mfalint:ignore MFA001 reason=\"x\"", 9),
            ("/*mfalint:ignore MFA001 reason=\"x\" */", 2),
            // A multi-byte character right before the marker (found by
            // fuzzing: the span started one byte early, inside it).
            ("#é\u{7f6}mfalint:ignore MFA001", 5),
        ] {
            let e = one(text);
            assert_eq!(e.span.start as usize, marker_at, "{text}");
            assert!(text[e.span.start as usize..].starts_with("mfalint:ignore"));
        }
    }

    #[test]
    fn a_comment_above_applies_to_the_next_code_line() {
        let e = one(
            "# mfalint:ignore MFA001 reason=\"break glass\" until=2027-03-31\n# more\nresource \"x\" \"y\" {}\n",
        );
        assert_eq!((e.line, e.target_line), (1, 3));
        assert_eq!(e.rules, [RuleId::Mfa001]);
        assert_eq!(e.reason.as_deref(), Some("break glass"));
        assert_eq!(e.until, Date::parse("2027-03-31"));
        assert!(e.problem.is_none());
    }

    #[test]
    fn a_trailing_comment_applies_to_its_line() {
        let e = one(
            "resource \"x\" \"y\" { // mfalint:ignore aws-iam-console-user-without-mfa reason=\"ok\"\n",
        );
        assert_eq!((e.line, e.target_line), (1, 1));
        assert_eq!(e.rules, [RuleId::Mfa001]);
    }

    #[test]
    fn a_further_comment_ends_the_exception() {
        let e = one("# mfalint:ignore MFA001 reason=\"a # b\" # remark\nx = 1\n");
        assert_eq!(e.reason.as_deref(), Some("a # b"));
        assert!(e.problem.is_none());
    }

    #[test]
    fn markers_inside_strings_are_not_comments() {
        assert!(
            exceptions_in(
                FileId(0),
                "a = \"# mfalint:ignore MFA001 reason=\\\"x\\\"\"\n",
                CommentSyntax::HashAndSlashes
            )
            .is_empty()
        );
    }

    #[test]
    fn each_format_writes_comments_its_own_way() {
        let found = |text: &str, syntax| exceptions_in(FileId(0), text, syntax).len();
        let hash = "# mfalint:ignore MFA001 reason=\"x\"\nx: 1\n";
        let slashes = "// mfalint:ignore MFA001 reason=\"x\"\nx = 1\n";
        assert_eq!(found(hash, CommentSyntax::HashAndSlashes), 1);
        assert_eq!(found(slashes, CommentSyntax::HashAndSlashes), 1);
        assert_eq!(found(hash, CommentSyntax::Hash), 1);
        // `//` is no YAML comment, nor a `#` inside a plain or quoted
        // scalar.
        assert_eq!(found(slashes, CommentSyntax::Hash), 0);
        assert_eq!(
            found(
                "url: a#mfalint:ignore MFA001 reason=\"x\"\n",
                CommentSyntax::Hash
            ),
            0
        );
        assert_eq!(
            found(
                "x: 'a # mfalint:ignore MFA001 reason=\"x\"'\n",
                CommentSyntax::Hash
            ),
            0
        );
        assert_eq!(
            found(
                "x: 'it''s' # mfalint:ignore MFA001 reason=\"x\"\n",
                CommentSyntax::Hash
            ),
            1
        );
        assert_eq!(
            found(
                "x: 'Bob''s # mfalint:ignore MFA001 reason=\"x\"'\n",
                CommentSyntax::Hash
            ),
            0
        );
        // A `#` inside the reason is the reason's, in YAML as in HCL.
        for syntax in [CommentSyntax::Hash, CommentSyntax::HashAndSlashes] {
            let e = exceptions_in(
                FileId(0),
                "# mfalint:ignore MFA001 reason=\"see ticket #42\" # remark\nx: 1\n",
                syntax,
            );
            assert_eq!(e[0].reason.as_deref(), Some("see ticket #42"), "{syntax:?}");
            assert!(e[0].problem.is_none(), "{syntax:?}");
        }
        assert_eq!(found(hash, CommentSyntax::None), 0);
    }

    #[test]
    fn malformed_exceptions_say_why() {
        assert!(
            one("# mfalint:ignore MFA001\n")
                .problem
                .unwrap()
                .contains("needs a reason")
        );
        assert!(
            one("# mfalint:ignore MFA777 reason=\"x\"\n")
                .problem
                .unwrap()
                .contains("not a mfalint rule")
        );
        assert!(
            one("# mfalint:ignore MFA001 reason=\"x\" until=soon\n")
                .problem
                .unwrap()
                .contains("not a date")
        );
        assert!(
            one("# mfalint:ignore reason=\"x\"\n")
                .problem
                .unwrap()
                .contains("name the rules")
        );
        assert!(
            one("# mfalint:ignore MFA001 reason=\"x\" until=2020-01-01 until=2099-01-01\n")
                .problem
                .unwrap()
                .contains("`until` is given twice")
        );
    }

    #[test]
    fn dates_compare_and_come_from_days() {
        assert!(Date::parse("2026-01-31") < Date::parse("2026-02-01"));
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_780).to_string(), "2026-11-23");
        let d = Date::parse("2026-11-23").unwrap();
        assert_eq!(d.to_days(), 20_780);
        assert_eq!(d.plus_days(90).to_string(), "2027-02-21");
        assert_eq!(Date::parse("2026-13-01"), None);
        for impossible in [
            "2099-02-31",
            "2099-02-30",
            "2099-02-29",
            "2100-02-29",
            "2099-04-31",
            "2099-01-00",
            "2099-00-10",
            "+099-01-01",
            "2099-1-011",
            "2099-01-0x",
        ] {
            assert_eq!(Date::parse(impossible), None, "{impossible}");
        }
        for real in ["2096-02-29", "2000-02-29", "2099-12-31", "2099-04-30"] {
            assert_eq!(Date::parse(real).unwrap().to_string(), real);
        }
    }
}
