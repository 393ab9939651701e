//! MFA004 `aws-iam-console-user-mfa-bypass-credential`. Documentation:
//! `rules/MFA004.toml`. A console user who also holds a credential that
//! signs in to an AWS service without MFA: CodeCommit HTTPS credentials
//! (`aws_iam_service_specific_credential`) and SSH public keys
//! (`aws_iam_user_ssh_key`).

use super::{Declared, Problem, declared, report, resources};
use crate::finding::Finding;
use crate::model::{Reads, Setting};
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
];

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &[
        "aws_iam_service_specific_credential",
        "aws_iam_user_ssh_key",
    ],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    let model = ctx.links.model;
    for (kind, argument, what) in CREDENTIALS {
        for credential in resources(ctx, kind) {
            let Declared::Value(Setting::String(name), span) =
                declared(&credential.body, &[argument])
            else {
                continue;
            };
            let scope = credential.origin.scope;
            // A console user: a login profile for a user of this name.
            let profile = model.login_profiles.iter().find(|p| {
                p.origin.scope == scope
                    && match ctx.links.user(scope, &p.user) {
                        Subject::Declared(i) => model.users[i].name.known() == Some(name.as_str()),
                        Subject::Undeclared { name: n, .. } => n == *name,
                        _ => false,
                    }
            });
            let Some(profile) = profile else {
                continue;
            };
            let address = &credential.origin.address;
            let mut problem = Problem::new(
                span,
                "a credential that needs no MFA",
                format!(
                    "IAM user `{name}` can sign in to the console (`{}`) and `{address}` gives it {what}, which sign in to AWS CodeCommit without MFA, whatever the console requires",
                    profile.origin.address
                ),
                format!(
                    "delete `{address}` if `{name}` does not push to CodeCommit over HTTPS or SSH; otherwise use the git-remote-codecommit helper with temporary, MFA-backed credentials, or give the Git access to a separate user without console access"
                ),
            );
            problem.related.push(crate::finding::Related {
                span: profile.origin.span,
                message: format!("`{name}`'s console password"),
            });
            findings.push(report(ctx, credential, problem));
        }
    }
}
