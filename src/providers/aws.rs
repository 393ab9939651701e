//! The AWS provider's IAM resources, mapped into the model once, for
//! Terraform configurations, Terraform plans and Pulumi programs (whose
//! AWS provider is bridged from Terraform's: `aws:iam:User` is
//! `aws_iam_user`, with its arguments in camelCase). How an argument is
//! read differs (a `.tf` expression is evaluated statically; a plan holds
//! the value Terraform resolved, or the references of a value known only
//! after apply; a Pulumi program interpolates its own expressions), so
//! each source implements [`Arguments`]; what each resource type means (a
//! login profile's `user`, an attachment's `users`, `groups` and `roles`)
//! is written here only. The plan and the configuration of one resource
//! cannot disagree about what it declares.

use crate::model::{
    AttachmentTarget, Group, GroupMembership, Link, LoginProfile, Model, Name, Origin, Policy,
    PolicyAttachment, PolicyDocument, PolicyOwner, User, VirtualMfaDevice,
};

pub const USER: &str = "aws_iam_user";
pub const GROUP: &str = "aws_iam_group";
pub const POLICY: &str = "aws_iam_policy";
pub const ROLE: &str = "aws_iam_role";

/// The IAM resource types [`lower`] reads, by their Terraform names.
pub const TYPES: &[&str] = &[
    "aws_iam_user",
    "aws_iam_user_login_profile",
    "aws_iam_virtual_mfa_device",
    "aws_iam_group",
    "aws_iam_group_membership",
    "aws_iam_user_group_membership",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_iam_policy",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
];

/// How one resource instance's arguments are read.
pub trait Arguments {
    /// Whether the argument is written (or, in a plan, has a value or is
    /// known after apply).
    fn is_set(&self, arg: &str) -> bool;

    /// A name (`name`).
    fn name(&self, arg: &str) -> Name;

    /// A reference to one resource of `target_type`, by address or name.
    fn link(&self, arg: &str, target_type: &str) -> Link;

    /// A list of references (`users`, `groups`).
    fn links(&self, arg: &str, target_type: &str) -> Vec<Link>;

    /// A policy document (`policy`).
    fn document(&self, arg: &str) -> PolicyDocument;

    /// A boolean, `None` when it cannot be evaluated (or is no boolean).
    fn boolean(&self, arg: &str) -> Option<bool>;

    /// The user a virtual MFA device is named for (its
    /// `virtual_mfa_device_name`).
    fn device_user(&self, arg: &str) -> Link {
        self.link(arg, USER)
    }
}

/// Adds what an AWS IAM resource instance declares to the model; other
/// types add nothing.
pub fn lower(kind: &str, args: &impl Arguments, origin: Origin, model: &mut Model) {
    match kind {
        "aws_iam_user" => model.users.push(User {
            name: args.name("name"),
            origin,
        }),
        "aws_iam_user_login_profile" => model.login_profiles.push(LoginProfile {
            user: args.link("user", USER),
            origin,
        }),
        "aws_iam_virtual_mfa_device" => model.mfa_devices.push(VirtualMfaDevice {
            users: vec![args.device_user("virtual_mfa_device_name")],
            origin,
        }),
        "aws_iam_group" => model.groups.push(Group {
            name: args.name("name"),
            origin,
        }),
        "aws_iam_group_membership" => model.group_memberships.push(GroupMembership {
            group: args.link("group", GROUP),
            users: args.links("users", USER),
            origin,
        }),
        "aws_iam_user_group_membership" => {
            let user = args.link("user", USER);
            for group in args.links("groups", GROUP) {
                model.group_memberships.push(GroupMembership {
                    group,
                    users: vec![user.clone()],
                    origin: origin.clone(),
                });
            }
        }
        "aws_iam_user_policy" => model.policies.push(Policy {
            name: args.name("name"),
            owner: PolicyOwner::User(args.link("user", USER)),
            document: args.document("policy"),
            origin,
        }),
        "aws_iam_group_policy" => model.policies.push(Policy {
            name: args.name("name"),
            owner: PolicyOwner::Group(args.link("group", GROUP)),
            document: args.document("policy"),
            origin,
        }),
        "aws_iam_policy" => model.policies.push(Policy {
            name: args.name("name"),
            owner: PolicyOwner::Managed,
            document: args.document("policy"),
            origin,
        }),
        "aws_iam_user_policy_attachment" => model.policy_attachments.push(PolicyAttachment {
            policy: args.link("policy_arn", POLICY),
            targets: vec![AttachmentTarget::User(args.link("user", USER))],
            origin,
        }),
        "aws_iam_group_policy_attachment" => model.policy_attachments.push(PolicyAttachment {
            policy: args.link("policy_arn", POLICY),
            targets: vec![AttachmentTarget::Group(args.link("group", GROUP))],
            origin,
        }),
        // `users`, `groups` and `roles` are each optional.
        "aws_iam_policy_attachment" => {
            let mut targets = Vec::new();
            type Target = fn(Link) -> AttachmentTarget;
            let kinds: [(&str, &str, Target); 3] = [
                ("users", USER, AttachmentTarget::User),
                ("groups", GROUP, AttachmentTarget::Group),
                ("roles", ROLE, AttachmentTarget::Role),
            ];
            for (arg, target_type, target) in kinds {
                if args.is_set(arg) {
                    targets.extend(args.links(arg, target_type).into_iter().map(target));
                }
            }
            model.policy_attachments.push(PolicyAttachment {
                policy: args.link("policy_arn", POLICY),
                targets,
                origin,
            });
        }
        _ => {}
    }
}
