//! The generic evaluator's only AWS knowledge (its hooks): which
//! attribute reads which argument ([`attribute_argument`]) and which data
//! sources are computed from their own arguments ([`static_data_source`]).
//! What each AWS IAM resource declares is in [`crate::providers::aws`],
//! shared with plans and Pulumi.

pub(super) use crate::providers::aws::{Arguments, GROUP, ROLE, USER, lower};

/// The argument whose value an attribute of a resource has: an IAM
/// user's, group's or role's `id` is its name.
pub(super) fn attribute_argument<'s>(resource_type: &str, attribute: &'s str) -> &'s str {
    match (resource_type, attribute) {
        (USER | GROUP | ROLE, "id") => "name",
        // A Terragrunt dependency's outputs are its real outputs, known
        // once it is applied: its `mock_outputs` are placeholders for
        // plans, never evidence (no argument holds them).
        ("dependency", "outputs") => "outputs (known once the dependency is applied)",
        _ => attribute,
    }
}

/// Data sources that Terraform computes from their own arguments, which
/// the evaluator computes the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StaticData {
    /// `aws_iam_policy_document`: the JSON of its statements.
    PolicyDocument,
}

pub(super) fn static_data_source(data_type: &str) -> Option<StaticData> {
    match data_type {
        "aws_iam_policy_document" => Some(StaticData::PolicyDocument),
        _ => None,
    }
}
