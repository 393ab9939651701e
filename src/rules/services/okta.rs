//! MFA021 `okta-mfa-not-required`. Documentation: `rules/MFA021.toml`.

use super::{Declared, Problem, declared, report, resources};
use crate::finding::Finding;
use crate::model::{Reads, ServiceResource, Setting};
use crate::rules::RuleContext;

/// The authenticator arguments of `okta_policy_mfa`, each a map with an
/// `enroll` key; `okta_password` is the first factor, not a second one.
const AUTHENTICATORS: &[&str] = &[
    "duo",
    "external_idp",
    "fido_u2f",
    "fido_webauthn",
    "google_otp",
    "hotp",
    "okta_call",
    "okta_email",
    "okta_otp",
    "okta_push",
    "okta_question",
    "okta_sms",
    "okta_verify",
    "onprem_mfa",
    "phone_number",
    "rsa_token",
    "security_question",
    "symantec_vip",
    "webauthn",
    "yubikey_token",
];

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &[
        "okta_app_signon_policy_rule",
        "okta_policy_mfa",
        "okta_policy_mfa_default",
        "okta_policy_rule_signon",
    ],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for rule in resources(ctx, "okta_app_signon_policy_rule") {
        if let Some(problem) = one_factor_rule(rule) {
            findings.push(report(ctx, rule, problem));
        }
    }
    // The default MFA enrollment policy is read like any other.
    for policy in resources(ctx, "okta_policy_mfa").chain(resources(ctx, "okta_policy_mfa_default"))
    {
        if let Some(problem) = no_required_factor(policy) {
            findings.push(report(ctx, policy, problem));
        }
    }
    for rule in resources(ctx, "okta_policy_rule_signon") {
        if let Some(problem) = sign_on_without_mfa(rule) {
            findings.push(report(ctx, rule, problem));
        }
    }
}

/// An Okta (global session) sign-on policy rule that lets users in
/// without MFA: active (the default), allowing access (`"ALLOW"`, the
/// default), `mfa_required` false (the default); or one that requires MFA
/// but excludes users or groups (a warning).
fn sign_on_without_mfa(rule: &ServiceResource) -> Option<Problem> {
    if is_active(rule) != Some(true) {
        return None;
    }
    match declared(&rule.body, &["access"]) {
        Declared::Absent => {}
        Declared::Value(access, _) if access.as_str() == Some("ALLOW") => {}
        _ => return None,
    }
    let address = &rule.origin.address;
    let help = format!("set `mfa_required = true` on `{address}`");
    match declared(&rule.body, &["mfa_required"]) {
        Declared::Unresolved => None,
        Declared::Value(value, _) if value.as_bool() == Some(true) => {
            // Required, except for whom the rule excludes.
            let (key, span) = ["users_excluded", "groups_excluded"]
                .iter()
                .find_map(|key| match declared(&rule.body, &[key]) {
                    Declared::Value(Setting::List(items), span) if !items.is_empty() => {
                        Some((*key, span))
                    }
                    _ => None,
                })?;
            let mut problem = Problem::new(
                span,
                "these identities sign in without MFA",
                format!(
                    "Okta sign-on policy rule `{address}` requires MFA but `{key}` exempts some: they sign in with a password alone"
                ),
                "exempt only emergency-access accounts, and record each as an mfalint exception with a reason and an expiry date",
            );
            problem.subject = "exclusions";
            problem.severity = Some(crate::rules::Severity::Warning);
            Some(problem)
        }
        Declared::Value(value, span) => Some(Problem::new(
            span,
            "MFA is not required",
            format!(
                "Okta sign-on policy rule `{address}` allows access with `mfa_required = {}`: a password alone opens an Okta session",
                super::shown(value)
            ),
            help,
        )),
        Declared::Absent => Some(Problem::new(
            rule.origin.span,
            "no `mfa_required`: the default is false",
            format!(
                "Okta sign-on policy rule `{address}` allows access and does not set `mfa_required` (the default is false): a password alone opens an Okta session"
            ),
            help,
        )),
    }
}

/// Whether `status` leaves the resource active (the default).
fn is_active(resource: &ServiceResource) -> Option<bool> {
    match declared(&resource.body, &["status"]) {
        Declared::Absent => Some(true),
        Declared::Value(value, _) => Some(value.as_str() != Some("INACTIVE")),
        Declared::Unresolved => None,
    }
}

fn one_factor_rule(rule: &ServiceResource) -> Option<Problem> {
    let Declared::Value(mode, span) = declared(&rule.body, &["factor_mode"]) else {
        // Absent means the default, "2FA".
        return None;
    };
    if mode.as_str() != Some("1FA") || is_active(rule) != Some(true) {
        return None;
    }
    let allows = match declared(&rule.body, &["access"]) {
        Declared::Absent => true,
        Declared::Value(access, _) => access.as_str() == Some("ALLOW"),
        Declared::Unresolved => false,
    };
    if !allows {
        return None;
    }
    let address = &rule.origin.address;
    Some(Problem::new(
        span,
        "one factor is enough",
        format!(
            "Okta sign-on policy rule `{address}` allows access with `factor_mode = \"1FA\"`: a password alone signs in to the application"
        ),
        format!("set `factor_mode = \"2FA\"` (the default) on `{address}`"),
    ))
}

fn no_required_factor(policy: &ServiceResource) -> Option<Problem> {
    if is_active(policy) != Some(true) {
        return None;
    }
    let mut entries: Vec<&Setting> = Vec::new();
    for name in AUTHENTICATORS {
        match declared(&policy.body, &[name]) {
            Declared::Unresolved => return None,
            Declared::Value(value, _) => entries.push(value),
            Declared::Absent => {}
        }
    }
    match declared(&policy.body, &["external_idps"]) {
        Declared::Unresolved => return None,
        Declared::Value(Setting::List(items), _) => entries.extend(items),
        _ => {}
    }
    let required = |entry: &Setting| match entry {
        Setting::Map(map) => map.get("enroll").and_then(Setting::as_str) == Some("REQUIRED"),
        _ => false,
    };
    if entries.iter().any(|e| required(e)) {
        return None;
    }
    let address = &policy.origin.address;
    Some(Problem::new(
        policy.origin.span,
        "no factor beyond the password is required",
        format!(
            "Okta MFA enrollment policy `{address}` requires no authenticator other than the password (no `enroll = \"REQUIRED\"`): its users need not enroll a second factor"
        ),
        format!(
            "require a possession factor on `{address}`, for example `okta_verify = {{ enroll = \"REQUIRED\" }}` or `fido_webauthn = {{ enroll = \"REQUIRED\" }}`"
        ),
    ))
}
