//! MFA025 `ibmcloud-mfa-not-required`. Documentation: `rules/MFA025.toml`.

use super::{Declared, Problem, declared, report, resources};
use crate::finding::Finding;
use crate::rules::RuleContext;

/// `mfa` values that require no second factor.
const NO_MFA: [&str; 2] = ["NONE", "NONE_NO_ROPC"];

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for settings in resources(ctx, "ibm_iam_account_settings") {
        let address = &settings.origin.address;
        let help = format!(
            "set `mfa = \"TOTP4ALL\"` (or `\"LEVEL3\"` for U2F security keys) on `{address}`"
        );
        let problem = match declared(&settings.body, &["mfa"]) {
            Declared::Absent => Problem::new(
                settings.origin.span,
                "no `mfa` setting",
                format!(
                    "IBM Cloud account settings `{address}` do not set `mfa`: users can sign in without MFA"
                ),
                help,
            ),
            Declared::Value(value, span)
                // The API reads the value case-insensitively ("None").
                if value
                    .as_str()
                    .is_some_and(|v| NO_MFA.iter().any(|n| n.eq_ignore_ascii_case(v))) =>
            {
                Problem::new(
                    span,
                    "no MFA",
                    format!(
                        "IBM Cloud account settings `{address}` set `mfa = \"{}\"`: users can sign in without MFA",
                        value.as_str().unwrap_or_default()
                    ),
                    help,
                )
            }
            _ => continue,
        };
        findings.push(report(ctx, settings, problem));
    }
}
