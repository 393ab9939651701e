//! The IAM entities mfalint reasons about.

use super::{Link, Name, Origin};
use crate::source::Span;

/// An IAM user.
#[derive(Debug, Clone)]
pub struct User {
    pub origin: Origin,
    pub name: Name,
}

/// Console password access for a user (`aws_iam_user_login_profile`,
/// CloudFormation `LoginProfile`).
#[derive(Debug, Clone)]
pub struct LoginProfile {
    pub origin: Origin,
    pub user: Link,
}

/// A virtual MFA device declared for a user. Terraform's provider cannot
/// attach a device, so the device's name (or path) is how code ties it to a
/// user; CloudFormation lists the users explicitly.
#[derive(Debug, Clone)]
pub struct VirtualMfaDevice {
    pub origin: Origin,
    pub users: Vec<Link>,
}

/// A command in the code that enables an MFA device for a user
/// (`aws iam enable-mfa-device --user-name X ...` in a `local-exec`
/// provisioner). mfalint reads it, never runs it.
#[derive(Debug, Clone)]
pub struct MfaActivation {
    pub origin: Origin,
    pub users: Vec<Link>,
}

/// An IAM group.
#[derive(Debug, Clone)]
pub struct Group {
    pub origin: Origin,
    pub name: Name,
}

/// Users added to a group.
#[derive(Debug, Clone)]
pub struct GroupMembership {
    pub origin: Origin,
    pub group: Link,
    pub users: Vec<Link>,
}

/// Where a policy document came from; kept as source so that later evidence
/// kinds (MFA-enforcing policies) can analyse it.
#[derive(Debug, Clone)]
pub enum PolicyDocument {
    /// Policy JSON as text, resolved statically.
    Json { text: String, span: Span },
    /// Not a static value (a data source, a function result, ...).
    Unresolved(super::Unresolved),
    /// A managed policy defined outside the scanned code (an AWS-managed ARN).
    External { arn: String, span: Span },
}

/// Who an inline policy belongs to, if anyone.
#[derive(Debug, Clone)]
pub enum PolicyOwner {
    /// A standalone managed policy (`aws_iam_policy`).
    Managed,
    User(Link),
    Group(Link),
}

/// An IAM policy, managed or inline.
#[derive(Debug, Clone)]
pub struct Policy {
    pub origin: Origin,
    pub name: Name,
    pub owner: PolicyOwner,
    pub document: PolicyDocument,
}

/// What a managed policy is attached to.
#[derive(Debug, Clone)]
pub enum AttachmentTarget {
    User(Link),
    Group(Link),
    Role(Link),
}

/// A managed policy attached to users, groups or roles.
#[derive(Debug, Clone)]
pub struct PolicyAttachment {
    pub origin: Origin,
    pub policy: Link,
    pub targets: Vec<AttachmentTarget>,
}

/// An exception recorded in a format's own structure rather than a comment
/// (CloudFormation `Metadata`, since JSON has no comments).
#[derive(Debug, Clone)]
pub struct RecordedException {
    /// The address of the entity it excuses (a logical id).
    pub address: String,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    /// `YYYY-MM-DD`, as written.
    pub until: Option<String>,
    pub span: Span,
}
