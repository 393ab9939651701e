//! What a rule concludes about one identity or service-wide setting that
//! governs sign-in, whether it passes or fails: the inventory's raw
//! material. Rules write these as they check (`RuleContext::record`), so
//! the inventory and the findings come from one evaluation.

use crate::finding::Related;
use crate::rules::id::RuleId;
use crate::source::Span;

/// Whether, and why, an identity must use MFA. Declared from the worst
/// (needs attention first) to the best; [`Status::rank`] orders them for
/// merging what several rules say about one identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Nothing requires MFA.
    None,
    /// Could not be evaluated statically (the detail names what).
    Unknown,
    /// Failing, but a recorded exception excuses it (reason, expiry).
    Excepted,
    /// Failing in code, but external evidence in `.mfalint.toml` shows MFA.
    Evidence,
    /// A declared MFA device only (nothing forces its use).
    Device,
    /// An enforcing policy applies (the detail names it).
    Enforced,
    /// The service requires MFA of everyone who signs in.
    ServiceRequired,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Enforced,
        Status::ServiceRequired,
        Status::Device,
        Status::Evidence,
        Status::Excepted,
        Status::None,
        Status::Unknown,
    ];

    /// Where the status stands in [`Status::ALL`] (summary counts are in
    /// that order).
    pub fn index(self) -> usize {
        Status::ALL
            .iter()
            .position(|s| *s == self)
            .expect("every status is listed")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::None => "none",
            Status::Unknown => "unknown",
            Status::Excepted => "excepted",
            Status::Evidence => "evidence",
            Status::Device => "device",
            Status::Enforced => "enforced",
            Status::ServiceRequired => "service-required",
        }
    }

    /// Whether the identity fails: a finding stands unexcused.
    pub fn fails(self) -> bool {
        matches!(self, Status::None | Status::Unknown)
    }
}

/// How the identity signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Access {
    /// A password of its own (an AWS console password, a RAM login
    /// profile, a Snowflake user's password).
    Password,
    /// A setting of an organisation, tenant, account or pool that governs
    /// how all of its people sign in.
    ServiceWide,
    /// Known only from external evidence (a service mfalint does not
    /// read in code).
    External,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Password => "password",
            Access::ServiceWide => "service-wide setting",
            Access::External => "external",
        }
    }
}

/// One rule's conclusion about one identity.
#[derive(Debug, Clone)]
pub struct Record {
    pub rule: RuleId,
    /// The resolved name (a user name, an organisation's name), or the
    /// address when the name is not known.
    pub identity: String,
    pub address: String,
    /// Where the identity or setting is declared.
    pub span: Span,
    pub access: Access,
    /// One of `None`, `Unknown`, `Device`, `Enforced`, `ServiceRequired`:
    /// exceptions and external evidence are applied later, to findings.
    pub status: Status,
    /// Why: the policy that enforces MFA, the expression that could not
    /// be evaluated, the setting that leaves MFA optional.
    pub detail: String,
    /// The evidence chain, with locations.
    pub evidence: Vec<Related>,
    /// The identity ([`crate::finding::Finding::identity`]) of the finding
    /// this conclusion produced, when it fails.
    pub finding: Option<String>,
}
