//! MFA023 `mongodbatlas-mfa-not-required`. Documentation:
//! `rules/MFA023.toml`.

use super::{Declared, Problem, declared, passed, report, resources, shown};
use crate::finding::Finding;
use crate::model::Reads;
use crate::rules::RuleContext;

const REQUIRE: &str = "multi_factor_auth_required";

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &["mongodbatlas_organization"],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for org in resources(ctx, "mongodbatlas_organization") {
        let address = &org.origin.address;
        let help = format!("set `{REQUIRE} = true` on `{address}`");
        let problem = match declared(&org.body, &[REQUIRE]) {
            Declared::Absent => Problem::new(
                org.origin.span,
                format!("no `{REQUIRE}`"),
                format!(
                    "MongoDB Atlas organization `{address}` does not set `{REQUIRE}`: its members can sign in without MFA"
                ),
                help,
            ),
            Declared::Value(value, span) if value.as_bool() != Some(true) => Problem::new(
                span,
                "MFA is not required",
                format!(
                    "MongoDB Atlas organization `{address}` sets `{REQUIRE} = {}`: its members can sign in without MFA",
                    shown(value)
                ),
                help,
            ),
            Declared::Value(_, _) => {
                passed(ctx, org, format!("`{REQUIRE} = true`"));
                continue;
            }
            Declared::Unresolved(unknown) => {
                Problem::unknown(org, REQUIRE, unknown, "its members must use MFA", help)
            }
        };
        findings.push(report(ctx, org, problem));
    }
}
