//! MFA020-MFA027 and MFA029-MFA032: whether the other services
//! a configuration manages (GitLab, Okta, Azure AD, MongoDB Atlas, Alibaba
//! Cloud, IBM Cloud, HCP Terraform, Auth0, Cognito)
//! require MFA. Each rule reads the provider's arguments from
//! [`ServiceResource`]s; a value that could not be resolved statically is
//! never reported (no guess), an absent one takes the provider's default.

pub mod alicloud;
pub mod auth0;
pub mod azuread;
pub mod bypass;
pub mod cloudflare;
pub mod cognito;
pub mod gitlab;
pub mod ibm;
pub mod mongodbatlas;
pub mod okta;
pub mod snowflake;
pub mod tfe;

use super::{RuleContext, Severity};
use crate::finding::{Finding, Related};
use crate::model::{Argument, Body, ServiceResource, Setting};
use crate::source::Span;

/// The resources of one type, in model order. The type must be one the
/// rule declares it reads: the model keeps no other.
fn resources<'m>(
    ctx: &RuleContext<'m>,
    resource_type: &'static str,
) -> impl Iterator<Item = &'m ServiceResource> {
    debug_assert!(
        ctx.reads.resources.contains(&resource_type),
        "{} reads `{resource_type}` without declaring it in its READS",
        ctx.id
    );
    ctx.links
        .model
        .service_resources
        .iter()
        .filter(move |r| r.resource_type == resource_type)
}

/// An argument as a rule sees it.
enum Declared<'a> {
    /// Not written: the provider's default applies.
    Absent,
    /// Written, but not known statically.
    Unresolved,
    Value(&'a Setting, Span),
}

fn declared<'a>(body: &'a Body, path: &[&str]) -> Declared<'a> {
    match body.get(path) {
        None => {
            // A `dynamic` block on the way may hold the argument.
            let blocks = &path[..path.len().saturating_sub(1)];
            if blocks
                .first()
                .is_some_and(|b| body.dynamic_blocks.iter().any(|d| d == b))
            {
                Declared::Unresolved
            } else {
                Declared::Absent
            }
        }
        Some(Argument { value, .. }) if value.is_unresolved() => Declared::Unresolved,
        Some(Argument {
            value: Setting::Null,
            ..
        }) => Declared::Absent,
        Some(Argument { value, span }) => Declared::Value(value, *span),
    }
}

/// What is wrong with one resource, before it becomes a finding.
struct Problem {
    /// Where to look: the offending argument, or the resource header.
    span: Span,
    label: String,
    message: String,
    help: String,
    /// Distinguishes several problems of one resource in the finding's
    /// identity (baselines, fingerprints).
    subject: &'static str,
    /// Overrides the rule's severity (a lesser problem of the same rule).
    severity: Option<Severity>,
    related: Vec<Related>,
}

impl Problem {
    fn new(span: Span, label: impl Into<String>, message: String, help: impl Into<String>) -> Self {
        Problem {
            span,
            label: label.into(),
            message,
            help: help.into(),
            subject: "",
            severity: None,
            related: Vec::new(),
        }
    }
}

fn report(ctx: &RuleContext<'_>, resource: &ServiceResource, problem: Problem) -> Finding {
    let mut related = problem.related;
    if problem.span != resource.origin.span {
        related.insert(
            0,
            Related {
                span: resource.origin.span,
                message: format!("`{}` is declared here", resource.origin.address),
            },
        );
    }
    related.extend(super::origin_context(&resource.origin, "it"));
    Finding {
        rule: ctx.id,
        severity: problem.severity.unwrap_or(ctx.meta.severity),
        message: problem.message,
        primary: problem.span,
        label: problem.label,
        related,
        address: Some(resource.origin.address.clone()),
        help: problem.help,
        identity: format!(
            "{}|{}|{}",
            ctx.meta.id,
            resource.origin.identity(),
            problem.subject
        ),
        suppression: None,
        scope: Some(resource.origin.scope),
    }
}

/// How a value reads in a message.
fn shown(setting: &Setting) -> String {
    match setting {
        Setting::Null => "null".into(),
        Setting::Bool(b) => b.to_string(),
        Setting::Number(n) => n.to_string(),
        Setting::String(s) => format!("\"{s}\""),
        Setting::List(_) => "a list".into(),
        Setting::Map(_) => "a map".into(),
        Setting::Unresolved(u) => u.expression.clone(),
    }
}
