//! MFA030 `snowflake-mfa-not-required`. Documentation:
//! `rules/MFA030.toml`.

use super::{Declared, Problem, declared, passed, report, resources, shown};
use crate::finding::Finding;
use crate::model::{Reads, Setting};
use crate::rules::{RuleContext, Severity};

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &["snowflake_authentication_policy", "snowflake_user"],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for policy in resources(ctx, "snowflake_authentication_policy") {
        let address = &policy.origin.address;
        let help = format!("set `mfa_enrollment = \"REQUIRED\"` on `{address}`");
        match declared(&policy.body, &["mfa_enrollment"]) {
            Declared::Value(Setting::String(s), span) if s == "OPTIONAL" => {
                let problem = Problem::new(
                    span,
                    "MFA enrollment is optional",
                    format!(
                        "Snowflake authentication policy `{address}` sets `mfa_enrollment = \"OPTIONAL\"`: the users and accounts it applies to may sign in with a password alone"
                    ),
                    help,
                );
                findings.push(report(ctx, policy, problem));
            }
            Declared::Value(Setting::String(s), _)
                if s == "REQUIRED" || s == "REQUIRED_PASSWORD_ONLY" =>
            {
                passed(ctx, policy, format!("`mfa_enrollment = \"{s}\"`"));
            }
            Declared::Unresolved(unknown) => {
                let problem = Problem::unknown(
                    policy,
                    "mfa_enrollment",
                    unknown,
                    "the users it applies to must enroll in MFA",
                    help,
                );
                findings.push(report(ctx, policy, problem));
            }
            _ => {}
        }
    }
    for user in resources(ctx, "snowflake_user") {
        let address = &user.origin.address;
        let help = format!("remove `disable_mfa` from `{address}`");
        match declared(&user.body, &["disable_mfa"]) {
            Declared::Value(value, span) if value.as_bool() == Some(true) => {
                let problem = Problem::new(
                    span,
                    "MFA disabled for this user",
                    format!(
                        "Snowflake user `{address}` sets `disable_mfa = true`: it signs in without MFA"
                    ),
                    help,
                );
                findings.push(report(ctx, user, problem));
            }
            Declared::Unresolved(unknown) => {
                let problem = Problem::unknown(
                    user,
                    "disable_mfa",
                    unknown,
                    "the user signs in with MFA",
                    help,
                );
                findings.push(report(ctx, user, problem));
            }
            _ => {}
        }
        if let Declared::Unresolved(u) = declared(&user.body, &["mins_to_bypass_mfa"]) {
            let mut problem = Problem::unknown(
                user,
                "mins_to_bypass_mfa",
                u,
                "the user may sign in without MFA for a while",
                format!("remove `mins_to_bypass_mfa` from `{address}`"),
            );
            problem.severity = Some(Severity::Warning);
            problem.subject = "bypass".into();
            findings.push(report(ctx, user, problem));
        }
        if let Declared::Value(value, span) = declared(&user.body, &["mins_to_bypass_mfa"])
            && matches!(value, Setting::Number(n) if *n > 0.0)
        {
            let mut problem = Problem::new(
                span,
                "MFA bypassed for a while",
                format!(
                    "Snowflake user `{address}` sets `mins_to_bypass_mfa = {}`: it signs in without MFA for that many minutes after each apply",
                    shown(value)
                ),
                format!("remove `mins_to_bypass_mfa` from `{address}`"),
            );
            problem.severity = Some(Severity::Warning);
            problem.subject = "bypass".into();
            findings.push(report(ctx, user, problem));
        }
    }
}
