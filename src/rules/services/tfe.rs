//! MFA029 `tfe-2fa-not-mandatory`. Documentation: `rules/MFA029.toml`.

use super::{Declared, Problem, declared, passed, report, resources, shown};
use crate::finding::Finding;
use crate::model::{Reads, Setting};
use crate::rules::RuleContext;

const POLICY: &str = "collaborator_auth_policy";
const MANDATORY: &str = "two_factor_mandatory";

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &["tfe_organization"],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for org in resources(ctx, "tfe_organization") {
        let address = &org.origin.address;
        let help = format!("set `{POLICY} = \"{MANDATORY}\"` on `{address}`");
        let problem = match declared(&org.body, &[POLICY]) {
            Declared::Absent => Problem::new(
                org.origin.span,
                format!("no `{POLICY}`: the default is `\"password\"`"),
                format!(
                    "Terraform organization `{address}` does not set `{POLICY}`, whose default is `\"password\"`: its members can sign in without two-factor authentication"
                ),
                help,
            ),
            Declared::Value(Setting::String(s), _) if s == MANDATORY => {
                passed(ctx, org, format!("`{POLICY} = \"{MANDATORY}\"`"));
                continue;
            }
            Declared::Value(value, span) => Problem::new(
                span,
                "two-factor authentication is not mandatory",
                format!(
                    "Terraform organization `{address}` sets `{POLICY} = {}`: its members can sign in without two-factor authentication",
                    shown(value)
                ),
                help,
            ),
            Declared::Unresolved(unknown) => Problem::unknown(
                org,
                POLICY,
                unknown,
                "its members must use two-factor authentication",
                help,
            ),
        };
        findings.push(report(ctx, org, problem));
    }
}
