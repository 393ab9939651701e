//! MFA021 `okta-mfa-not-required`. Documentation: `rules/MFA021.toml`.

use super::{Declared, Judged, Problem, Unknown, conclude, declared, passed_as, report, resources};
use crate::finding::Finding;
use crate::model::{Body, Reads, ServiceResource, Setting};
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
        "okta_app_signon_policy_rules",
        "okta_policy_mfa",
        "okta_policy_mfa_default",
        "okta_policy_rule_signon",
    ],
    blocks: &["rule"],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for rule in resources(ctx, "okta_app_signon_policy_rule") {
        conclude(ctx, findings, rule, one_factor_rule(rule, &rule.body, None));
    }
    // The grouped form: each `rule` block is one rule.
    for rules in resources(ctx, "okta_app_signon_policy_rules") {
        for (i, (_, body)) in rules
            .body
            .blocks
            .iter()
            .filter(|(k, _)| k == "rule")
            .enumerate()
        {
            let name = match declared(body, &["name"]) {
                Declared::Value(Setting::String(name), _) => name.clone(),
                _ => format!("rule {}", i + 1),
            };
            match one_factor_rule(rules, body, Some(&name)) {
                Judged::Required(how) => passed_as(ctx, rules, name, how),
                Judged::Problem(mut problem) => {
                    problem.subject = format!("{}|{name}", problem.subject).into();
                    problem.identity = Some(name);
                    findings.push(report(ctx, rules, problem));
                }
                Judged::NotApplicable => {}
            }
        }
        if rules.body.dynamic_blocks.iter().any(|b| b == "rule") {
            let problem = Problem::unknown(
                rules,
                "rule",
                Unknown {
                    what: "a `dynamic \"rule\"` block makes its rules".into(),
                    expression: String::new(),
                    span: None,
                },
                "each of its rules requires two factors",
                format!(
                    "write the rules of `{}` as `rule` blocks",
                    rules.origin.address
                ),
            );
            findings.push(report(ctx, rules, problem));
        }
    }
    // The default MFA enrollment policy is read like any other.
    for policy in resources(ctx, "okta_policy_mfa").chain(resources(ctx, "okta_policy_mfa_default"))
    {
        conclude(ctx, findings, policy, no_required_factor(policy));
    }
    for rule in resources(ctx, "okta_policy_rule_signon") {
        conclude(ctx, findings, rule, sign_on_without_mfa(rule));
    }
}

/// Whether a rule or policy lets anyone in: active (the default) and,
/// for rules, allowing access (`"ALLOW"`, the default). `None` when it
/// does; otherwise what to conclude: not applicable, or, for an unknown
/// `status` or `access`, a problem (it never excuses).
fn lets_in(
    resource: &ServiceResource,
    body: &Body,
    with_access: bool,
    consequence: &str,
    help: &str,
) -> Option<Judged> {
    let mut keys = vec!["status"];
    if with_access {
        keys.push("access");
    }
    for key in keys {
        match declared(body, &[key]) {
            Declared::Absent => {}
            Declared::Value(value, _) => {
                let lets_in = match key {
                    "status" => value.as_str() != Some("INACTIVE"),
                    _ => value.as_str() == Some("ALLOW"),
                };
                if !lets_in {
                    return Some(Judged::NotApplicable);
                }
            }
            Declared::Unresolved(unknown) => {
                return Some(Judged::Problem(Problem::unknown(
                    resource,
                    key,
                    unknown,
                    consequence,
                    help,
                )));
            }
        }
    }
    None
}

/// An Okta (global session) sign-on policy rule that lets users in
/// without MFA: active (the default), allowing access (`"ALLOW"`, the
/// default), `mfa_required` false (the default); or one that requires MFA
/// but excludes users or groups (a warning).
fn sign_on_without_mfa(rule: &ServiceResource) -> Judged {
    let address = &rule.origin.address;
    let help = format!("set `mfa_required = true` on `{address}`");
    // A rule that lets nobody in is not listed; one whose status or
    // access is unknown still passes when it requires MFA.
    let gate = lets_in(
        rule,
        &rule.body,
        true,
        "the rule lets users in without MFA",
        &help,
    );
    if matches!(gate, Some(Judged::NotApplicable)) {
        return Judged::NotApplicable;
    }
    let requires = matches!(
        declared(&rule.body, &["mfa_required"]),
        Declared::Value(value, _) if value.as_bool() == Some(true)
    );
    if let (Some(judged), false) = (gate, requires) {
        return judged;
    }
    Judged::Problem(match declared(&rule.body, &["mfa_required"]) {
        Declared::Unresolved(unknown) => Problem::unknown(
            rule,
            "mfa_required",
            unknown,
            "an Okta session needs MFA",
            help,
        ),
        Declared::Value(value, _) if value.as_bool() == Some(true) => {
            // Required, except for whom the rule excludes (a list that
            // cannot be evaluated may exclude anyone).
            let mut unknown = None;
            let excluded = ["users_excluded", "groups_excluded"]
                .iter()
                .find_map(|key| {
                    // Items are usually references (`data.okta_user.x.id`),
                    // known only after apply: a list of them excludes as many.
                    if let Some(crate::model::Argument {
                        value: Setting::List(items),
                        span,
                    }) = rule.body.get(&[key])
                        && !items.is_empty()
                    {
                        return Some((*key, *span));
                    }
                    if let Declared::Unresolved(u) = declared(&rule.body, &[key]) {
                        unknown.get_or_insert((*key, u));
                    }
                    None
                });
            let Some((key, span)) = excluded else {
                if let Some((key, u)) = unknown {
                    let mut problem = Problem::unknown(
                        rule,
                        key,
                        u,
                        "it exempts identities from MFA",
                        "exempt only emergency-access accounts, listed literally, and record each as an mfalint exception with a reason and an expiry date",
                    );
                    problem.subject = "exclusions".into();
                    problem.severity = Some(crate::rules::Severity::Warning);
                    return Judged::Problem(problem);
                }
                return Judged::Required("`mfa_required = true`".into());
            };
            let mut problem = Problem::new(
                span,
                "these identities sign in without MFA",
                format!(
                    "Okta sign-on policy rule `{address}` requires MFA but `{key}` exempts some: they sign in with a password alone"
                ),
                "exempt only emergency-access accounts, and record each as an mfalint exception with a reason and an expiry date",
            );
            problem.subject = "exclusions".into();
            problem.severity = Some(crate::rules::Severity::Warning);
            problem
        }
        Declared::Value(value, span) => Problem::new(
            span,
            "MFA is not required",
            format!(
                "Okta sign-on policy rule `{address}` allows access with `mfa_required = {}`: a password alone opens an Okta session",
                super::shown(value)
            ),
            help,
        ),
        Declared::Absent => Problem::new(
            rule.origin.span,
            "no `mfa_required`: the default is false",
            format!(
                "Okta sign-on policy rule `{address}` allows access and does not set `mfa_required` (the default is false): a password alone opens an Okta session"
            ),
            help,
        ),
    })
}

/// An application sign-on policy rule (a resource, or one `rule` block,
/// named `block`, of the grouped resource) that allows access with one
/// factor.
fn one_factor_rule(resource: &ServiceResource, body: &Body, block: Option<&str>) -> Judged {
    let address = &resource.origin.address;
    let rule = match block {
        Some(name) => format!("`{name}` of `{address}`"),
        None => format!("`{address}`"),
    };
    let help = format!("set `factor_mode = \"2FA\"` (the default) on {rule}");
    // A rule that lets nobody in is not listed, whatever its factors.
    let gate = lets_in(
        resource,
        body,
        true,
        "one factor is enough to sign in",
        &help,
    );
    if matches!(gate, Some(Judged::NotApplicable)) {
        return Judged::NotApplicable;
    }
    let (mode, span) = match declared(body, &["factor_mode"]) {
        // Absent means the default, "2FA".
        Declared::Absent => {
            return Judged::Required("`factor_mode` is \"2FA\" (the default)".into());
        }
        Declared::Value(mode, _) if mode.as_str() != Some("1FA") => {
            return Judged::Required(format!("`factor_mode = {}`", super::shown(mode)));
        }
        Declared::Value(_, span) => (None, span),
        Declared::Unresolved(unknown) => (Some(unknown), resource.origin.span),
    };
    if let Some(judged) = gate {
        return judged;
    }
    if let Some(unknown) = mode {
        return Judged::Problem(Problem::unknown(
            resource,
            "factor_mode",
            unknown,
            "the rule requires two factors",
            help,
        ));
    }
    Judged::Problem(Problem::new(
        span,
        "one factor is enough",
        format!(
            "Okta sign-on policy rule {rule} allows access with `factor_mode = \"1FA\"`: a password alone signs in to the application"
        ),
        help,
    ))
}

fn no_required_factor(policy: &ServiceResource) -> Judged {
    let address = &policy.origin.address;
    let help = format!(
        "require a possession factor on `{address}`, for example `okta_verify = {{ enroll = \"REQUIRED\" }}` or `fido_webauthn = {{ enroll = \"REQUIRED\" }}`"
    );
    // Not active: not listed. Of unknown status: judged on its factors
    // (a required one passes it; otherwise the status is the problem).
    let gate = lets_in(
        policy,
        &policy.body,
        false,
        "its users must enroll a second factor",
        &help,
    );
    if matches!(gate, Some(Judged::NotApplicable)) {
        return Judged::NotApplicable;
    }
    let mut entries: Vec<(&str, &Setting)> = Vec::new();
    // One authenticator that cannot be evaluated matters only when no
    // other is required.
    let mut first_unknown = None;
    for name in AUTHENTICATORS.iter().chain(&["external_idps"]) {
        match declared(&policy.body, &[name]) {
            Declared::Unresolved(unknown) => {
                first_unknown.get_or_insert((*name, unknown));
            }
            Declared::Value(Setting::List(items), _) if *name == "external_idps" => {
                entries.extend(items.iter().map(|i| (*name, i)));
            }
            Declared::Value(value, _) => entries.push((name, value)),
            Declared::Absent => {}
        }
    }
    let required = |entry: &Setting| match entry {
        Setting::Map(map) => map.get("enroll").and_then(Setting::as_str) == Some("REQUIRED"),
        _ => false,
    };
    if let Some((name, _)) = entries.iter().find(|(_, e)| required(e)) {
        return Judged::Required(format!("`{name}` enrollment is REQUIRED"));
    }
    if let Some(judged) = gate {
        return judged;
    }
    if let Some((name, unknown)) = first_unknown {
        return Judged::Problem(Problem::unknown(
            policy,
            name,
            unknown,
            "it requires a second factor",
            help,
        ));
    }
    Judged::Problem(Problem::new(
        policy.origin.span,
        "no factor beyond the password is required",
        format!(
            "Okta MFA enrollment policy `{address}` requires no authenticator other than the password (no `enroll = \"REQUIRED\"`): its users need not enroll a second factor"
        ),
        help,
    ))
}
