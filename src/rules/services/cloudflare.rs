//! MFA027 `cloudflare-2fa-not-enforced`. Documentation:
//! `rules/MFA027.toml`.

use super::{Declared, Problem, Unknown, declared, passed, report, resources, shown};
use crate::finding::Finding;
use crate::model::{Body, Reads, Setting};
use crate::rules::{RuleContext, Severity};

const ENFORCE: &str = "enforce_twofactor";

/// Zero Trust Access applications and policies (provider v4 and v5
/// names), whose `mfa_config` may turn MFA off.
const ACCESS: &[&str] = &[
    "cloudflare_zero_trust_access_application",
    "cloudflare_access_application",
    "cloudflare_zero_trust_access_policy",
    "cloudflare_access_policy",
];

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &[
        "cloudflare_account",
        "cloudflare_zero_trust_access_application",
        "cloudflare_access_application",
        "cloudflare_zero_trust_access_policy",
        "cloudflare_access_policy",
    ],
    blocks: &["settings", "mfa_config"],
};

/// A setting written as a nested block (`x { k = v }`) or as a map
/// attribute (`x = { k = v }`, provider v5).
fn nested<'b>(body: &'b Body, outer: &str, key: &str) -> Declared<'b> {
    match declared(body, &[outer, key]) {
        Declared::Absent => match declared(body, &[outer]) {
            Declared::Value(Setting::Map(map), span) => match map.get(key) {
                Some(value) if value.is_unresolved() => Declared::Unresolved(Unknown {
                    what: value
                        .unresolved()
                        .map(|u| format!("`{}`: {}", u.expression, u.reason))
                        .unwrap_or_default(),
                    expression: value
                        .unresolved()
                        .map(|u| u.expression.clone())
                        .unwrap_or_default(),
                    span: Some(span),
                }),
                Some(Setting::Null) | None => Declared::Absent,
                Some(value) => Declared::Value(value, span),
            },
            Declared::Unresolved(unknown) => Declared::Unresolved(unknown),
            _ => Declared::Absent,
        },
        other => other,
    }
}

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for account in resources(ctx, "cloudflare_account") {
        let address = &account.origin.address;
        // v4's top-level argument, or v5's `settings.enforce_twofactor`.
        let setting = match declared(&account.body, &[ENFORCE]) {
            Declared::Absent => nested(&account.body, "settings", ENFORCE),
            other => other,
        };
        let help = format!(
            "set `settings = {{ {ENFORCE} = true }}` (provider v4: `{ENFORCE} = true`) on `{address}`"
        );
        let problem = match setting {
            Declared::Unresolved(unknown) => Problem::unknown(
                account,
                ENFORCE,
                unknown,
                "its members must use two-factor authentication",
                help,
            ),
            Declared::Value(value, _) if value.as_bool() == Some(true) => {
                passed(ctx, account, format!("`{ENFORCE} = true`"));
                continue;
            }
            Declared::Value(value, span) => Problem::new(
                span,
                "two-factor authentication is not enforced",
                format!(
                    "Cloudflare account `{address}` sets `{ENFORCE} = {}`: its members can sign in without two-factor authentication",
                    shown(value)
                ),
                help,
            ),
            Declared::Absent => Problem::new(
                account.origin.span,
                "no `enforce_twofactor`: the default is false",
                format!(
                    "Cloudflare account `{address}` does not set `{ENFORCE}` (the default is false): its members can sign in without two-factor authentication"
                ),
                help,
            ),
        };
        findings.push(report(ctx, account, problem));
    }
    for kind in ACCESS {
        for resource in resources(ctx, kind) {
            let (value, span) = match nested(&resource.body, "mfa_config", "mfa_disabled") {
                Declared::Value(value, span) => (value, span),
                // May turn MFA off: said, as the lesser problem it would be.
                Declared::Unresolved(u) => {
                    let mut problem = Problem::unknown(
                        resource,
                        "mfa_disabled",
                        u,
                        "MFA is turned off for this access",
                        format!(
                            "remove `mfa_disabled` from `{}`, or set it literally",
                            resource.origin.address
                        ),
                    );
                    problem.severity = Some(Severity::Warning);
                    problem.subject = "access".into();
                    findings.push(report(ctx, resource, problem));
                    continue;
                }
                Declared::Absent => continue,
            };
            if value.as_bool() != Some(true) {
                continue;
            }
            let address = &resource.origin.address;
            let mut problem = Problem::new(
                span,
                "MFA turned off for this access",
                format!(
                    "Cloudflare Zero Trust `{address}` sets `mfa_config.mfa_disabled = true`: users reach it without the MFA the organization requires"
                ),
                format!("remove `mfa_disabled = true` from `{address}`"),
            );
            problem.severity = Some(Severity::Warning);
            problem.subject = "access".into();
            findings.push(report(ctx, resource, problem));
        }
    }
}
