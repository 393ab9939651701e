//! Well-known public modules, modelled from their documented inputs when
//! Terraform has not downloaded them (nothing is ever fetched):
//!
//! - `terraform-aws-modules/iam/aws//modules/iam-user`: a user, and a login
//!   profile unless `create_iam_user_login_profile` / `create_login_profile`
//!   is false.
//! - `terraform-aws-modules/iam/aws//modules/iam-group` and the older
//!   `iam-group-with-policies`: a group with its `users` / `group_users`,
//!   and, while `enable_mfa_enforcement` and the self-management policy are
//!   on (their defaults), the module's "DenyAllExceptListedIfNoMFA" policy.
//!
//! The call's arguments are read through [`Arguments`], as a resource's
//! are. Entities are placed at the module call, with addresses inside it
//! (`module.admins.aws_iam_group.this`), so findings land where the user
//! can change the inputs.

use super::aws::{Arguments, USER};
use crate::model::{
    AttachmentTarget, Group, GroupMembership, Link, LoginProfile, Model, Origin, Policy,
    PolicyAttachment, PolicyDocument, PolicyOwner, User,
};

/// The deny statement the iam-group module renders when MFA enforcement is
/// on (terraform-aws-modules/terraform-aws-iam, modules/iam-group/main.tf).
const IAM_GROUP_MFA_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyAllExceptListedIfNoMFA","Effect":"Deny","NotAction":["iam:CreateVirtualMFADevice","iam:EnableMFADevice","iam:GetUser","iam:GetMFADevice","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:ResyncMFADevice","sts:GetSessionToken","iam:ChangePassword"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":["false"]}}}]}"#;

/// Which well-known module a `source` names, if any.
fn recognise(source: &str) -> Option<&'static str> {
    let source = source.trim_end_matches('/');
    let path = source.rsplit("//").next().unwrap_or("");
    let path = path.split('?').next().unwrap_or(path);
    let is_iam_modules = source.starts_with("terraform-aws-modules/iam/aws")
        || source.contains("github.com/terraform-aws-modules/terraform-aws-iam");
    if !is_iam_modules {
        return None;
    }
    match path {
        "modules/iam-user" => Some("iam-user"),
        "modules/iam-group" | "modules/iam-group-with-policies" => Some("iam-group"),
        _ => None,
    }
}

/// The outputs of the iam-user module (v5 and v6 names), for a whole
/// instance of a call that is not downloaded: those that name the user
/// refer to it, the others are unknown.
pub(super) const IAM_USER_OUTPUTS: &[&str] = &[
    "access_key_id",
    "access_key_secret",
    "arn",
    "iam_access_key_encrypted_secret",
    "iam_access_key_id",
    "iam_access_key_key_fingerprint",
    "iam_access_key_secret",
    "iam_access_key_ses_smtp_password_v4",
    "iam_access_key_status",
    "iam_user_arn",
    "iam_user_login_profile_encrypted_password",
    "iam_user_login_profile_key_fingerprint",
    "iam_user_login_profile_password",
    "iam_user_name",
    "iam_user_ssh_key_fingerprint",
    "iam_user_ssh_key_ssh_public_key_id",
    "iam_user_unique_id",
    "keybase_password_decrypt_command",
    "keybase_password_pgp_message",
    "keybase_secret_key_decrypt_command",
    "keybase_secret_key_pgp_message",
    "login_profile_password",
    "name",
    "pgp_key",
    "policy_arns",
    "unique_id",
];

/// Whether `output` of a module from `source` is the name of the user a
/// well-known iam-user module creates.
pub(super) fn user_output(source: &str, output: &str) -> bool {
    recognise(source) == Some("iam-user")
        && matches!(output, "iam_user_name" | "iam_user_unique_id" | "name")
}

/// Adds what a call of a well-known module from `source` creates, read
/// from the call's arguments (`call`), placed at the call (`call_origin`).
pub(super) fn lower(source: &str, call: &impl Arguments, call_origin: Origin, model: &mut Model) {
    let Some(kind) = recognise(source) else {
        return;
    };
    if !flag(call, &["create", "create_user", "create_group"], true, true) {
        return;
    }
    let inside = |address: &str| {
        let mut origin = call_origin.clone();
        origin.address = format!("{}.{address}", call_origin.address);
        origin
    };
    let link_to = |address: &str| Link::Address {
        address: format!("{}.{address}", call_origin.address),
        span: call_origin.span,
    };
    match kind {
        "iam-user" => {
            model.users.push(User {
                origin: inside("aws_iam_user.this[0]"),
                name: call.name("name"),
            });
            if flag(
                call,
                &["create_iam_user_login_profile", "create_login_profile"],
                true,
                true,
            ) {
                model.login_profiles.push(LoginProfile {
                    origin: inside("aws_iam_user_login_profile.this[0]"),
                    user: link_to("aws_iam_user.this[0]"),
                });
            }
        }
        _ => {
            model.groups.push(Group {
                origin: inside("aws_iam_group.this[0]"),
                name: call.name("name"),
            });
            let users_arg = if call.is_set("group_users") {
                "group_users"
            } else {
                "users"
            };
            if call.is_set(users_arg) {
                model.group_memberships.push(GroupMembership {
                    origin: inside("aws_iam_group_membership.this[0]"),
                    group: link_to("aws_iam_group.this[0]"),
                    users: call.links(users_arg, USER),
                });
            }
            let self_management = flag(
                call,
                &[
                    "enable_self_management_permissions",
                    "attach_iam_self_management_policy",
                ],
                true,
                false,
            );
            if self_management && flag(call, &["enable_mfa_enforcement"], true, false) {
                let policy = inside("aws_iam_policy.this[0]");
                model.policies.push(Policy {
                    name: crate::model::Name::Known(format!(
                        "MFA enforcement of {} (modelled from the module's inputs)",
                        call_origin.address
                    )),
                    owner: PolicyOwner::Managed,
                    document: PolicyDocument::Json {
                        text: IAM_GROUP_MFA_POLICY.to_string(),
                        span: call_origin.span,
                    },
                    origin: policy.clone(),
                });
                model.policy_attachments.push(PolicyAttachment {
                    origin: inside("aws_iam_group_policy_attachment.this[0]"),
                    policy: Link::Address {
                        address: policy.address,
                        span: call_origin.span,
                    },
                    targets: vec![AttachmentTarget::Group(link_to("aws_iam_group.this[0]"))],
                });
            }
        }
    }
}

/// The first of `names` the call sets, as a bool; `default` (the module's
/// documented default) when none is set; `if_unknown` when the value cannot
/// be evaluated. Callers pass the safe side: an unknown creation flag
/// creates (so a user is still checked), an unknown enforcement flag does
/// not enforce (so no protection is assumed).
fn flag(call: &impl Arguments, names: &[&str], default: bool, if_unknown: bool) -> bool {
    for name in names {
        if call.is_set(name) {
            return call.boolean(name).unwrap_or(if_unknown);
        }
    }
    default
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_recognised_in_registry_and_git_forms() {
        assert_eq!(
            recognise("terraform-aws-modules/iam/aws//modules/iam-user"),
            Some("iam-user")
        );
        assert_eq!(
            recognise(
                "git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/iam-group-with-policies?ref=v5.0.0"
            ),
            Some("iam-group")
        );
        assert_eq!(recognise("terraform-aws-modules/vpc/aws"), None);
        assert_eq!(
            recognise("terraform-aws-modules/iam/aws//modules/iam-role"),
            None
        );
    }

    #[test]
    fn the_modelled_policy_enforces_mfa() {
        assert!(matches!(
            crate::policy::mfa_verdict(IAM_GROUP_MFA_POLICY),
            crate::policy::MfaVerdict::Enforces { .. }
        ));
    }
}
