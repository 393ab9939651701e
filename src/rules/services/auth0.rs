//! MFA031 `auth0-mfa-never`. Documentation: `rules/MFA031.toml`.

use super::{Declared, Problem, declared, passed, report, resources, shown};
use crate::finding::Finding;
use crate::model::{Reads, Setting};
use crate::rules::{RuleContext, Severity};

const POLICY: &str = "policy";

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &["auth0_guardian"],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for guardian in resources(ctx, "auth0_guardian") {
        let address = &guardian.origin.address;
        let help = format!("set `{POLICY} = \"all-applications\"` on `{address}`");
        let problem = match declared(&guardian.body, &[POLICY]) {
            Declared::Value(Setting::String(s), span) if s == "never" => Problem::new(
                span,
                "MFA is never required",
                format!(
                    "Auth0 tenant MFA settings `{address}` set `{POLICY} = \"never\"`: its users sign in without a second factor"
                ),
                help,
            ),
            Declared::Value(Setting::String(s), span) if s == "confidence-score" => {
                let mut problem = Problem::new(
                    span,
                    "MFA only when a login looks risky",
                    format!(
                        "Auth0 tenant MFA settings `{address}` set `{POLICY} = \"confidence-score\"` (adaptive MFA): most logins need no second factor"
                    ),
                    help,
                );
                problem.severity = Some(Severity::Warning);
                problem.subject = "adaptive".into();
                problem
            }
            Declared::Value(Setting::String(s), _) if s == "all-applications" => {
                passed(ctx, guardian, format!("`{POLICY} = \"all-applications\"`"));
                continue;
            }
            // `policy` is required by the provider: absent, the
            // configuration does not apply; an undocumented value neither.
            Declared::Value(value, span) => Problem::new(
                span,
                "not a policy the provider accepts",
                format!(
                    "Auth0 tenant MFA settings `{address}` set `{POLICY} = {}`, which is none of `never`, `all-applications` and `confidence-score`: MFA is not known to be required",
                    shown(value)
                ),
                help,
            ),
            Declared::Unresolved(unknown) => {
                Problem::unknown(guardian, POLICY, unknown, "MFA is required", help)
            }
            Declared::Absent => continue,
        };
        findings.push(report(ctx, guardian, problem));
    }
}
