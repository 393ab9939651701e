//! MFA024 `alicloud-ram-mfa-not-enforced`. Documentation:
//! `rules/MFA024.toml`.

use super::{Declared, Problem, declared, passed, report, resources, shown};
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
            Declared::Unresolved(unknown) => Problem::unknown(
                preference,
                OPERATION,
                unknown,
                "MFA is mandatory for console sign-in",
                help,
            ),
            Declared::Value(value, _) if value.as_str() == Some("mandatory") => {
                passed(ctx, preference, format!("`{OPERATION} = \"mandatory\"`"));
                continue;
            }
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
                Declared::Unresolved(unknown) => Problem::unknown(
                    preference,
                    ENFORCE,
                    unknown,
                    "MFA is mandatory for console sign-in",
                    help,
                ),
                Declared::Value(value, _) if value.as_bool() == Some(true) => {
                    passed(ctx, preference, format!("`{ENFORCE} = true`"));
                    continue;
                }
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

/// Whether a security preference makes console MFA mandatory: `Some` when
/// known, `None` when its value cannot be resolved.
fn makes_mfa_mandatory(body: &crate::model::Body) -> Option<bool> {
    match declared(body, &[OPERATION]) {
        Declared::Unresolved(_) => None,
        Declared::Value(value, _) => Some(value.as_str() == Some("mandatory")),
        Declared::Absent => match declared(body, &[ENFORCE]) {
            Declared::Unresolved(_) => None,
            Declared::Value(value, _) => Some(value.as_bool() == Some(true)),
            Declared::Absent => Some(false),
        },
    }
}

const BIND: &str = "mfa_bind_required";

/// What MFA026 reads (see `crate::rules`).
pub const LOGIN_READS: Reads = Reads {
    resources: &[
        "alicloud_ram_login_profile",
        "alicloud_ram_security_preference",
    ],
    blocks: &[],
};

/// MFA026 `alicloud-ram-user-login-without-mfa`. Documentation:
/// `rules/MFA026.toml`.
pub fn login_profiles(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for profile in resources(ctx, "alicloud_ram_login_profile") {
        let address = &profile.origin.address;
        let help = format!(
            "set `{BIND} = true` on `{address}`, or `{OPERATION} = \"mandatory\"` on the account's `alicloud_ram_security_preference`"
        );
        // An account-wide preference in the same configuration that makes
        // MFA mandatory covers the user; one not known statically does not.
        let enforcing = resources(ctx, "alicloud_ram_security_preference")
            .filter(|p| p.origin.scope == profile.origin.scope)
            .find(|p| makes_mfa_mandatory(&p.body) == Some(true));
        let (span, label, stated) = match declared(&profile.body, &[BIND]) {
            Declared::Value(value, _) if value.as_bool() == Some(true) => {
                passed(ctx, profile, format!("`{BIND} = true`"));
                continue;
            }
            _ if enforcing.is_some() => {
                let by = enforcing.map(|p| p.origin.address.as_str()).unwrap_or("");
                passed(
                    ctx,
                    profile,
                    format!(
                        "RAM security preference `{by}` makes MFA mandatory for console sign-in"
                    ),
                );
                continue;
            }
            Declared::Unresolved(unknown) => {
                let problem = Problem::unknown(
                    profile,
                    BIND,
                    unknown,
                    "the user must bind an MFA device",
                    help,
                );
                findings.push(report(ctx, profile, problem));
                continue;
            }
            Declared::Value(value, span) => (
                span,
                "MFA binding not required",
                format!("sets `{BIND} = {}`", shown(value)),
            ),
            Declared::Absent => (
                profile.origin.span,
                "no `mfa_bind_required`: the default is false",
                format!("does not set `{BIND}` (the default is false)"),
            ),
        };
        let problem = Problem::new(
            span,
            label,
            format!(
                "Alibaba Cloud RAM login profile `{address}` {stated} and no RAM security preference of this configuration makes MFA mandatory: the user can sign in to the console with a password alone"
            ),
            help,
        );
        findings.push(report(ctx, profile, problem));
    }
}
