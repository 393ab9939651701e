//! MFA032 `aws-cognito-user-pool-mfa-off`. Documentation:
//! `rules/MFA032.toml`. Terraform's `aws_cognito_user_pool` and
//! CloudFormation's `AWS::Cognito::UserPool` alike.

use super::{Declared, Problem, declared, passed, report, resources, shown};
use crate::finding::Finding;
use crate::model::{Reads, Setting};
use crate::rules::{RuleContext, Severity};

const TERRAFORM: &str = "aws_cognito_user_pool";
const CLOUDFORMATION: &str = "AWS::Cognito::UserPool";

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &[TERRAFORM, CLOUDFORMATION],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for (resource_type, argument) in [
        (TERRAFORM, "mfa_configuration"),
        (CLOUDFORMATION, "MfaConfiguration"),
    ] {
        for pool in resources(ctx, resource_type) {
            let address = &pool.origin.address;
            let help = format!("set `{argument}` to `\"ON\"` on `{address}`");
            let problem = match declared(&pool.body, &[argument]) {
                Declared::Absent => Problem::new(
                    pool.origin.span,
                    format!("no `{argument}`: MFA is off by default"),
                    format!(
                        "Cognito user pool `{address}` does not set `{argument}`, whose default is `\"OFF\"`: its users sign in without MFA"
                    ),
                    help,
                ),
                Declared::Value(Setting::String(s), _) if s == "ON" => {
                    passed(ctx, pool, format!("`{argument} = \"ON\"`"));
                    continue;
                }
                Declared::Value(Setting::String(s), span) if s == "OPTIONAL" => {
                    let mut problem = Problem::new(
                        span,
                        "MFA only for users who set it up",
                        format!(
                            "Cognito user pool `{address}` sets `{argument} = \"OPTIONAL\"`: users who never set up MFA sign in without it"
                        ),
                        help,
                    );
                    problem.severity = Some(Severity::Warning);
                    problem.subject = "optional".into();
                    problem
                }
                Declared::Value(Setting::String(s), span) if s != "OFF" => Problem::new(
                    span,
                    "not a value the provider accepts",
                    format!(
                        "Cognito user pool `{address}` sets `{argument} = \"{s}\"`, which is none of `OFF`, `ON` and `OPTIONAL` (the provider rejects it): MFA is not known to be required"
                    ),
                    help,
                ),
                Declared::Value(value, span) => Problem::new(
                    span,
                    "MFA is off",
                    format!(
                        "Cognito user pool `{address}` sets `{argument} = {}`: its users sign in without MFA",
                        shown(value)
                    ),
                    help,
                ),
                Declared::Unresolved(unknown) => {
                    Problem::unknown(pool, argument, unknown, "its users must use MFA", help)
                }
            };
            findings.push(report(ctx, pool, problem));
        }
    }
}
