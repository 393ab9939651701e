//! The auditor's view (`mfalint inventory`): every identity or
//! service-wide setting that governs sign-in, per service, with its MFA
//! status and the evidence for it.
//!
//! There is no second evaluation: while they check, the rules record what
//! they concluded about each identity ([`record::Record`]), passing or
//! failing. Here those records are merged per identity and matched with
//! the findings after exceptions were applied, so a failing identity whose
//! finding an exception excuses is `excepted`, with the reason and expiry.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod record;

use std::collections::{BTreeMap, HashMap};

use crate::finding::{ExternalEvidence, Finding, Related};
use crate::rules::id::RuleId;
use crate::source::{SourceMap, Span};
use crate::suppress::Date;
pub use record::{Access, Record, Status};

/// A recorded exception that excuses an identity's findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excused {
    pub reason: String,
    /// `YYYY-MM-DD`.
    pub until: Option<String>,
    /// Days from the scan's day to `until` (0 on its last day).
    pub days_left: Option<i64>,
    /// Where the exception is written (`None` for one in `.mfalint.toml`
    /// or a baseline).
    pub span: Option<Span>,
}

/// Where a row's identity is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared {
    /// In a scanned file.
    Code(Span),
    /// Only in `.mfalint.toml`'s `[[evidence]]` (path, line).
    Settings(String, usize),
}

/// One line of the inventory.
#[derive(Debug, Clone)]
pub struct Row {
    /// As the rules' metadata names it (`AWS IAM`, `GitLab`).
    pub service: String,
    pub identity: String,
    pub address: String,
    pub declared: Declared,
    pub access: Access,
    pub status: Status,
    /// Why the status is what it is (the enforcing policy, the expression
    /// that could not be evaluated).
    pub detail: String,
    /// Set when the status is `excepted` or `evidence`.
    pub excused: Option<Excused>,
    /// Set when the status is `evidence`.
    pub external: Option<ExternalEvidence>,
    pub evidence: Vec<Related>,
    /// The rules that judged the identity.
    pub rules: Vec<RuleId>,
}

impl Row {
    /// Why the row has its status, as one line: the exception or
    /// evidence that excuses it, with its expiry, else the rules' detail.
    pub fn why(&self) -> String {
        let Some(e) = &self.excused else {
            return self.detail.clone();
        };
        let until = match (&e.until, e.days_left) {
            (Some(until), Some(days)) => format!(" until {until} ({days} days left)"),
            _ => " (no expiry)".to_string(),
        };
        let what = if self.status == Status::Evidence {
            "evidence"
        } else {
            "excepted"
        };
        format!("{what}{until}: {}", e.reason)
    }

    /// Where the identity is declared: path, line, column.
    pub fn location(&self, sources: &SourceMap) -> (String, usize, usize) {
        match &self.declared {
            Declared::Code(span) => {
                let file = sources.get(span.file);
                let p = file.position(span.start);
                (file.display.clone(), p.line, p.column)
            }
            Declared::Settings(path, line) => (path.clone(), *line, 1),
        }
    }
}

/// Merges the rules' records into rows, one per identity (service,
/// declaration, address, name: the rule blocks of one Okta resource are
/// rows of their own), with the worst status any rule gave it; a
/// failing record whose every finding is excused counts as `excepted`.
/// Rows are sorted by service, then position.
pub fn build(
    records: Vec<Record>,
    findings: &[Finding],
    sources: &SourceMap,
    today: Date,
    settings: Option<&crate::config::Loaded>,
) -> Vec<Row> {
    let mut by_identity: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in findings {
        by_identity
            .entry(&finding.identity)
            .or_default()
            .push(finding);
    }
    let mut rows: BTreeMap<(String, crate::source::FileId, u32, String, String), Row> =
        BTreeMap::new();
    for record in records {
        let Some(service) = record.rule.meta().service.clone() else {
            continue;
        };
        let mut status = record.status;
        let mut excused = None;
        let mut external = None;
        if let Some(found) = record
            .finding
            .as_ref()
            .and_then(|id| by_identity.get(id.as_str()))
        {
            let suppressions: Vec<_> = found
                .iter()
                .filter_map(|f| f.suppression.as_ref())
                .collect();
            if !suppressions.is_empty() && suppressions.len() == found.len() {
                let first = suppressions[0];
                status = match &first.evidence {
                    Some(_) => Status::Evidence,
                    None => Status::Excepted,
                };
                external = first.evidence.clone();
                excused = Some(Excused {
                    reason: first.justification.clone(),
                    until: first.until.clone(),
                    days_left: first
                        .until
                        .as_deref()
                        .and_then(Date::parse)
                        .map(|until| until.days_since(today)),
                    span: first.span,
                });
            }
        }
        let key = (
            service.clone(),
            record.span.file,
            record.span.start,
            record.address.clone(),
            record.identity.clone(),
        );
        let row = Row {
            service,
            identity: record.identity,
            address: record.address,
            declared: Declared::Code(record.span),
            access: record.access,
            status,
            detail: record.detail,
            excused,
            external,
            evidence: record.evidence,
            rules: vec![record.rule],
        };
        match rows.get_mut(&key) {
            None => {
                rows.insert(key, row);
            }
            Some(existing) => merge(existing, row),
        }
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    if let Some(settings) = settings {
        let mut standalone: Vec<Row> = Vec::new();
        for row in standalone_evidence(settings, today) {
            // Code that already lists the identity (a GitHub organization
            // whose requirement a check asserts) says more than evidence.
            let listed = rows.iter().any(|r| {
                r.service.eq_ignore_ascii_case(&row.service)
                    && (r.identity == row.identity || r.address == row.identity)
            });
            if listed {
                continue;
            }
            // Renewed evidence (a new entry below the expired one) counts,
            // whatever the order: the better status wins.
            match standalone.iter_mut().find(|r| {
                r.service.eq_ignore_ascii_case(&row.service) && r.identity == row.identity
            }) {
                Some(existing) if row.status > existing.status => *existing = row,
                Some(_) => {}
                None => standalone.push(row),
            }
        }
        rows.extend(standalone);
    }
    rows.sort_by_cached_key(|row| {
        (
            row.service.clone(),
            row.location(sources),
            row.identity.clone(),
        )
    });
    rows
}

/// Rows for `[[evidence]]` of services no rule reads (GitHub
/// organisations, Google Workspace): what the evidence states, or `none`
/// once it has expired.
fn standalone_evidence(settings: &crate::config::Loaded, today: Date) -> Vec<Row> {
    // Shown as the scanned files are: relative to the working directory
    // when under it.
    let cwd = std::env::current_dir().unwrap_or_default();
    let path = settings.path.as_ref().map_or_else(String::new, |p| {
        let shown = p.strip_prefix(&cwd).unwrap_or(p);
        crate::source::slashed(shown.display().to_string())
    });
    let mut out = Vec::new();
    for (evidence, line) in settings
        .config
        .evidence
        .iter()
        .zip(&settings.evidence_lines)
    {
        let service = evidence.service.get_ref();
        if crate::rules::evidence_excuses_findings(service) {
            continue;
        }
        let external = ExternalEvidence {
            kind: evidence.kind.get_ref().clone(),
            reference: evidence.reference.get_ref().clone(),
            verified_by: evidence.verified_by.get_ref().clone(),
            verified_on: evidence.verified_on.get_ref().clone(),
        };
        let expires = Date::parse(evidence.expires.get_ref());
        let expired = expires.is_some_and(|e| e < today);
        let stated = format!(
            "{}: {}, verified by {} on {}",
            external.kind, external.reference, external.verified_by, external.verified_on
        );
        out.push(Row {
            service: service.clone(),
            identity: evidence.subject.get_ref().clone(),
            address: evidence.subject.get_ref().clone(),
            declared: Declared::Settings(path.clone(), *line),
            access: Access::External,
            status: if expired {
                Status::None
            } else {
                Status::Evidence
            },
            detail: if expired {
                format!(
                    "the external evidence expired on {} ({stated})",
                    evidence.expires.get_ref()
                )
            } else {
                format!("external evidence ({stated})")
            },
            excused: (!expired).then(|| Excused {
                reason: format!("external evidence ({stated})"),
                until: expires.map(|d| d.to_string()),
                days_left: expires.map(|d| d.days_since(today)),
                span: None,
            }),
            external: (!expired).then_some(external),
            evidence: Vec::new(),
            rules: Vec::new(),
        });
    }
    out
}

/// What two rules said about one identity: the worse status wins, with
/// its detail; the evidence of both is kept.
fn merge(into: &mut Row, other: Row) {
    if !into.rules.contains(&other.rules[0]) {
        into.rules.extend(other.rules);
        into.rules.sort();
    }
    for related in other.evidence {
        if !into.evidence.contains(&related) {
            into.evidence.push(related);
        }
    }
    if other.status < into.status {
        into.status = other.status;
        into.detail = other.detail;
        into.excused = other.excused;
        into.external = other.external;
        into.access = other.access;
    }
}

/// How many rows of each status a service has, in [`Status::ALL`] order.
pub fn summary(rows: &[Row]) -> Vec<(String, [usize; Status::ALL.len()])> {
    let mut out: Vec<(String, [usize; Status::ALL.len()])> = Vec::new();
    for row in rows {
        if out.last().is_none_or(|(s, _)| *s != row.service) {
            out.push((row.service.clone(), [0; Status::ALL.len()]));
        }
        let counts = &mut out.last_mut().expect("pushed").1;
        let i = row.status.index();
        counts[i] += 1;
    }
    out
}
