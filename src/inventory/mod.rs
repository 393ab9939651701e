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
pub mod json;
pub mod markdown;
pub mod record;

use std::collections::{BTreeMap, HashMap};

use crate::finding::{Finding, Related};
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

/// One line of the inventory.
#[derive(Debug, Clone)]
pub struct Row {
    /// As the rules' metadata names it (`AWS IAM`, `GitLab`).
    pub service: String,
    pub identity: String,
    pub address: String,
    pub span: Span,
    pub access: Access,
    pub status: Status,
    /// Why the status is what it is (the enforcing policy, the expression
    /// that could not be evaluated).
    pub detail: String,
    /// Set when the status is `excepted`.
    pub excused: Option<Excused>,
    pub evidence: Vec<Related>,
    /// The rules that judged the identity.
    pub rules: Vec<RuleId>,
}

/// Merges the rules' records into rows, one per identity (service,
/// address, declaration), with the worst status any rule gave it; a
/// failing record whose every finding is excused counts as `excepted`.
/// Rows are sorted by service, then position.
pub fn build(
    records: Vec<Record>,
    findings: &[Finding],
    sources: &SourceMap,
    today: Date,
) -> Vec<Row> {
    let mut by_identity: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in findings {
        by_identity
            .entry(&finding.identity)
            .or_default()
            .push(finding);
    }
    let mut rows: BTreeMap<(String, crate::source::FileId, u32, String), Row> = BTreeMap::new();
    for record in records {
        let Some(service) = record.rule.meta().service.clone() else {
            continue;
        };
        let mut status = record.status;
        let mut excused = None;
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
                status = Status::Excepted;
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
        );
        let row = Row {
            service,
            identity: record.identity,
            address: record.address,
            span: record.span,
            access: record.access,
            status,
            detail: record.detail,
            excused,
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
    let position = |row: &Row| {
        let file = sources.get(row.span.file);
        (file.display.clone(), file.position(row.span.start))
    };
    rows.sort_by_cached_key(|row| (row.service.clone(), position(row), row.identity.clone()));
    rows
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
        let i = Status::ALL
            .iter()
            .position(|s| *s == row.status)
            .expect("every status is listed");
        counts[i] += 1;
    }
    out
}
