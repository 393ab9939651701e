//! MFA024 `alicloud-ram-mfa-not-enforced`. Documentation:
//! `rules/MFA024.toml`.

use super::{Declared, Problem, declared, report, resources, shown};
use crate::finding::Finding;
use crate::model::Reads;
use crate::rules::RuleContext;

const OPERATION: &str = "mfa_operation_for_login";
const ENFORCE: &str = "enforce_mfa_for_login";

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &["alicloud_ram_security_preference"],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for preference in resources(ctx, "alicloud_ram_security_preference") {
        let address = &preference.origin.address;
        let help = format!("set `{OPERATION} = \"mandatory\"` on `{address}`");
        // The newer argument replaces the older one when both are set.
        let problem = match declared(&preference.body, &[OPERATION]) {
            Declared::Unresolved => continue,
            Declared::Value(value, _) if value.as_str() == Some("mandatory") => continue,
            Declared::Value(value, span) => Problem::new(
                span,
                "MFA is not mandatory",
                format!(
                    "Alibaba Cloud RAM security preference `{address}` sets `{OPERATION} = {}`: RAM users can sign in to the console without MFA{}",
                    shown(value),
                    if value.as_str() == Some("adaptive") {
                        " unless the sign-in looks unusual"
                    } else {
                        ""
                    }
                ),
                help,
            ),
            Declared::Absent => match declared(&preference.body, &[ENFORCE]) {
                Declared::Unresolved => continue,
                Declared::Value(value, _) if value.as_bool() == Some(true) => continue,
                Declared::Value(value, span) => Problem::new(
                    span,
                    "MFA is not enforced",
                    format!(
                        "Alibaba Cloud RAM security preference `{address}` sets `{ENFORCE} = {}` and no `{OPERATION}`: RAM users can sign in to the console without MFA",
                        shown(value)
                    ),
                    help,
                ),
                Declared::Absent => Problem::new(
                    preference.origin.span,
                    "MFA is not enforced",
                    format!(
                        "Alibaba Cloud RAM security preference `{address}` sets neither `{OPERATION}` nor `{ENFORCE}`, so each RAM user decides (`independent`): users can sign in to the console without MFA"
                    ),
                    help,
                ),
            },
        };
        findings.push(report(ctx, preference, problem));
    }
}
