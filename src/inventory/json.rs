//! The inventory as JSON: a documented, versioned schema (README,
//! "Inventory"); fields are only ever added within a version.

use std::io::{self, Write};

use serde::Serialize;

use super::{Row, Status};
use crate::diagnostic::InputError;
use crate::report::place;
use crate::source::{SourceMap, Span};

const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    /// Per service, how many identities have each status.
    services: Vec<Service>,
    identities: Vec<Identity<'a>>,
    /// Inputs that could not be read: the inventory may miss identities.
    errors: Vec<Error<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Service {
    service: String,
    total: usize,
    counts: Counts,
}

/// Every status, zero included.
#[derive(Serialize)]
struct Counts {
    enforced: usize,
    #[serde(rename = "service-required")]
    service_required: usize,
    device: usize,
    evidence: usize,
    excepted: usize,
    none: usize,
    unknown: usize,
}

#[derive(Serialize)]
struct Location {
    path: String,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Identity<'a> {
    service: &'a str,
    identity: &'a str,
    address: &'a str,
    location: Location,
    access: &'static str,
    status: &'static str,
    detail: &'a str,
    /// The exception that excuses it, when `status` is `excepted`, or
    /// the external evidence's statement and expiry, when `evidence`.
    exception: Option<Exception<'a>>,
    /// What external evidence shows MFA, when `status` is `evidence`.
    external_evidence: Option<External<'a>>,
    evidence: Vec<Evidence<'a>>,
    rules: Vec<&'static str>,
}

#[derive(Serialize)]
struct Exception<'a> {
    reason: &'a str,
    until: Option<&'a str>,
    days_left: Option<i64>,
    location: Option<Location>,
}

#[derive(Serialize)]
struct External<'a> {
    kind: &'a str,
    reference: &'a str,
    verified_by: &'a str,
    verified_on: &'a str,
}

#[derive(Serialize)]
struct Evidence<'a> {
    location: Location,
    message: &'a str,
}

#[derive(Serialize)]
struct Error<'a> {
    path: &'a str,
    message: &'a str,
}

fn location(sources: &SourceMap, span: Span) -> Location {
    let p = place(sources, span);
    Location {
        path: p.path.to_string(),
        line: p.start.line,
        column: p.start.column,
    }
}

pub fn write(
    rows: &[Row],
    sources: &SourceMap,
    errors: &[InputError],
    out: &mut dyn Write,
) -> io::Result<()> {
    let document = Document {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        services: super::summary(rows)
            .into_iter()
            .map(|(service, counts)| Service {
                service,
                total: counts.iter().sum(),
                counts: {
                    let n = |status: Status| counts[status.index()];
                    Counts {
                        enforced: n(Status::Enforced),
                        service_required: n(Status::ServiceRequired),
                        device: n(Status::Device),
                        evidence: n(Status::Evidence),
                        excepted: n(Status::Excepted),
                        none: n(Status::None),
                        unknown: n(Status::Unknown),
                    }
                },
            })
            .collect(),
        identities: rows
            .iter()
            .map(|row| Identity {
                service: &row.service,
                identity: &row.identity,
                address: &row.address,
                location: {
                    let (path, line, column) = row.location(sources);
                    Location { path, line, column }
                },
                access: row.access.as_str(),
                status: row.status.as_str(),
                detail: &row.detail,
                exception: row.excused.as_ref().map(|e| Exception {
                    reason: &e.reason,
                    until: e.until.as_deref(),
                    days_left: e.days_left,
                    location: e.span.map(|s| location(sources, s)),
                }),
                external_evidence: row.external.as_ref().map(|e| External {
                    kind: &e.kind,
                    reference: &e.reference,
                    verified_by: &e.verified_by,
                    verified_on: &e.verified_on,
                }),
                evidence: row
                    .evidence
                    .iter()
                    .map(|r| Evidence {
                        location: location(sources, r.span),
                        message: &r.message,
                    })
                    .collect(),
                rules: row.rules.iter().map(|r| r.as_str()).collect(),
            })
            .collect(),
        errors: errors
            .iter()
            .map(|e| Error {
                path: &e.path,
                message: &e.message,
            })
            .collect(),
    };
    crate::report::write_json(&mut *out, &document)?;
    writeln!(out)
}
