//! MFA004 `aws-iam-console-user-mfa-bypass-credential`. Documentation:
//! `rules/MFA004.toml`. A console user who also holds a credential that
//! signs in to an AWS service without MFA: CodeCommit HTTPS credentials
//! (`aws_iam_service_specific_credential`, CloudFormation's
//! `AWS::IAM::ServiceSpecificCredential`) and SSH public keys
//! (`aws_iam_user_ssh_key`; CloudFormation has no SSH key resource).

use super::{Problem, report, resources};
use crate::finding::Finding;
use crate::model::{Argument, Reads, Setting};
use crate::resolve::Subject;
use crate::rules::RuleContext;

/// Each credential resource, the argument naming its user, and what it is.
const CREDENTIALS: &[(&str, &str, &str)] = &[
    (
        "aws_iam_service_specific_credential",
        "user_name",
        "service-specific (CodeCommit HTTPS) credentials",
    ),
    (
        "aws_iam_user_ssh_key",
        "username",
        "an SSH public key (CodeCommit over SSH)",
    ),
    (
        "AWS::IAM::ServiceSpecificCredential",
        "UserName",
        "service-specific (CodeCommit HTTPS) credentials",
    ),
];

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &[
        "aws_iam_service_specific_credential",
        "aws_iam_user_ssh_key",
        "AWS::IAM::ServiceSpecificCredential",
    ],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    let model = ctx.links.model;
    for (kind, argument, what) in CREDENTIALS {
        for credential in resources(ctx, kind) {
            // The user by name, or (CloudFormation's `!Ref User`) by the
            // resource the reference names.
            let (name, resource, span) = match credential.body.get(&[argument]) {
                Some(Argument {
                    value: Setting::String(name),
                    span,
                }) => (Some(name.as_str()), None, *span),
                Some(Argument {
                    value: Setting::Unresolved(u),
                    span,
                }) => match u.symbol.as_deref().and_then(|s| s.strip_prefix("Ref ")) {
                    Some(resource) => (None, Some(resource), *span),
                    None => continue,
                },
                _ => continue,
            };
            let scope = credential.origin.scope;
            // A console user: a login profile for that user.
            let profile = model.login_profiles.iter().find(|p| {
                p.origin.scope == scope
                    && match ctx.links.user(scope, &p.user) {
                        Subject::Declared(i) => {
                            let user = &model.users[i];
                            name.is_some_and(|n| user.name.known() == Some(n))
                                || resource == Some(user.origin.address.as_str())
                        }
                        Subject::Undeclared { name: n, .. } => name == Some(n.as_str()),
                        _ => false,
                    }
            });
            let Some(profile) = profile else {
                continue;
            };
            let who = name.or(resource).unwrap_or_default();
            let address = &credential.origin.address;
            let mut problem = Problem::new(
                span,
                "a credential that needs no MFA",
                format!(
                    "IAM user `{who}` can sign in to the console (`{}`) and `{address}` gives it {what}, which sign in to AWS CodeCommit without MFA, whatever the console requires",
                    profile.origin.address
                ),
                format!(
                    "delete `{address}` if `{who}` does not push to CodeCommit over HTTPS or SSH; otherwise use the git-remote-codecommit helper with temporary, MFA-backed credentials, or give the Git access to a separate user without console access"
                ),
            );
            problem.inventoried = false;
            problem.related.push(crate::finding::Related {
                span: profile.origin.span,
                message: format!("`{who}`'s console password"),
            });
            findings.push(report(ctx, credential, problem));
        }
    }
}
