//! What a rule reports: a finding with a primary location, related
//! locations and a fix. Reporters render it; they know nothing of formats.

use crate::rules::{RuleMeta, Severity};
use crate::source::Span;

/// A secondary location that explains a finding (e.g. the login profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    /// Where the reader should look first.
    pub primary: Span,
    /// Short label shown under the primary span.
    pub label: String,
    pub related: Vec<Related>,
    /// Logical address of the entity the finding is about.
    pub address: Option<String>,
    /// How to fix this particular finding.
    pub help: String,
    /// Stable identity (rule, entity, subject): independent of line numbers.
    pub identity: String,
    /// Set when a recorded exception excuses the finding: it is kept and
    /// shown as suppressed, never dropped.
    pub suppression: Option<Suppression>,
    /// The scope (root module tree, template, report) the finding is
    /// about; `None` for findings about the configuration itself.
    pub scope: Option<crate::model::ScopeId>,
}

impl Finding {
    pub fn is_suppressed(&self) -> bool {
        self.suppression.is_some()
    }
}

/// A recorded exception that excuses a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub justification: String,
    /// `YYYY-MM-DD`, if the exception is time-boxed.
    pub until: Option<String>,
    /// Where the exception is written (`None` for an external one).
    pub span: Option<Span>,
}

/// Stable fingerprint of a finding: FNV-1a over its identity and the path
/// of its primary file, so it survives unrelated edits that move lines.
/// Used by SARIF `partialFingerprints`, JSON output and baselines.
pub fn fingerprint(identity: &str, path: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path.bytes().chain([0]).chain(identity.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
