//! MFA033 `github-2fa-not-required`. Documentation: `rules/MFA033.toml`.
//!
//! The GitHub provider cannot set an organisation's 2FA requirement (the
//! API field is read-only), so code proves it only by asserting it: a
//! `check` block, or a postcondition of the `github_organization` data
//! source, whose condition is `two_factor_requirement_enabled`. Such an
//! assertion makes the organisation `service-required` in the inventory;
//! one that asserts the opposite, or that mfalint cannot read, is
//! reported. Without an assertion nothing is reported: the requirement is
//! proved by external evidence (`.mfalint.toml` `[[evidence]]`).

use super::{Problem, passed, report, resources};
use crate::finding::Finding;
use crate::model::Reads;
use crate::rules::RuleContext;

const ATTRIBUTE: &str = "two_factor_requirement_enabled";

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &["data.github_organization"],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for org in resources(ctx, "data.github_organization") {
        let asserted: Vec<_> = org
            .assertions
            .iter()
            .filter(|a| a.attribute == ATTRIBUTE)
            .collect();
        let address = &org.origin.address;
        let help = format!(
            "require two-factor authentication in the organization's settings (Authentication security), then assert it: `check \"github_2fa\" {{ assert {{ condition = {address}.{ATTRIBUTE} error_message = \"...\" }} }}`"
        );
        if let Some(against) = asserted.iter().find(|a| a.expected == Some(false)) {
            let problem = Problem::new(
                against.span,
                "asserts that 2FA is not required",
                format!(
                    "{} asserts that GitHub organization `{address}` does not require two-factor authentication: its members can sign in with a password alone",
                    against.by
                ),
                help,
            );
            findings.push(report(ctx, org, problem));
            continue;
        }
        if let Some(holds) = asserted.iter().find(|a| a.expected == Some(true)) {
            passed(
                ctx,
                org,
                format!(
                    "{} asserts `{ATTRIBUTE}` (a failing check block warns at plan and apply; a failing postcondition stops them)",
                    holds.by
                ),
            );
            continue;
        }
        if let Some(unread) = asserted.first() {
            let mut problem = Problem::new(
                unread.span,
                "a condition mfalint cannot read",
                format!(
                    "{} makes a condition on `{address}.{ATTRIBUTE}` that is not the attribute alone, negated or compared with a literal, so whether it requires two-factor authentication is unknown",
                    unread.by
                ),
                help,
            );
            problem.unknown = true;
            problem.subject = "unknown".into();
            findings.push(report(ctx, org, problem));
        }
    }
}
