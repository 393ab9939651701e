//! MFA025 `ibmcloud-mfa-not-required`. Documentation: `rules/MFA025.toml`.

use super::{Declared, Problem, declared, passed, report, resources, shown};
use crate::finding::Finding;
use crate::model::Reads;
use crate::rules::RuleContext;

/// `mfa` values that require no second factor.
const NO_MFA: [&str; 2] = ["NONE", "NONE_NO_ROPC"];

/// `mfa` values that require one, as the provider documents them.
const MFA: [&str; 5] = ["TOTP", "TOTP4ALL", "LEVEL1", "LEVEL2", "LEVEL3"];

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &["ibm_iam_account_settings"],
    blocks: &[],
};

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
            // The provider sends no empty string: the account keeps its
            // setting, `NONE` for a new account, as when `mfa` is absent.
            Declared::Value(value, span) if value.as_str() == Some("") => Problem::new(
                span,
                "no MFA",
                format!(
                    "IBM Cloud account settings `{address}` set `mfa = \"\"`, which the provider does not send: the account keeps its setting (`NONE` unless set elsewhere) and users can sign in without MFA"
                ),
                help,
            ),
            Declared::Value(value, span) => {
                let text = value.as_str().map_or_else(|| shown(value), str::to_string);
                // The API reads the value case-insensitively ("None").
                let is = |set: &[&str]| set.iter().any(|n| n.eq_ignore_ascii_case(&text));
                if is(&MFA) {
                    passed(ctx, settings, format!("`mfa = \"{text}\"`"));
                    continue;
                }
                let why = if is(&NO_MFA) {
                    "users can sign in without MFA"
                } else {
                    "not a value the provider documents, so no MFA level is set"
                };
                Problem::new(
                    span,
                    "no MFA",
                    format!(
                        "IBM Cloud account settings `{address}` set `mfa = \"{}\"`: {why}",
                        text
                    ),
                    help,
                )
            }
            Declared::Unresolved(unknown) => {
                Problem::unknown(settings, "mfa", unknown, "users must use MFA", help)
            }
        };
        findings.push(report(ctx, settings, problem));
    }
}
