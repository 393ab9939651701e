//! MFA020-MFA027 and MFA029-MFA032: whether the other services
//! a configuration manages (GitLab, Okta, Azure AD, MongoDB Atlas, Alibaba
//! Cloud, IBM Cloud, HCP Terraform, Auth0, Cognito)
//! require MFA. Each rule reads the provider's arguments from
//! [`ServiceResource`]s; an absent one takes the provider's default, and
//! one that could not be resolved statically never excuses: the finding
//! says what could not be evaluated. Each resource a rule judges is also
//! recorded for the inventory: a finding is recorded by [`report`], a
//! pass by [`passed`].

pub mod alicloud;
pub mod auth0;
pub mod azuread;
pub mod bypass;
pub mod cloudflare;
pub mod cognito;
pub mod github;
pub mod gitlab;
pub mod ibm;
pub mod mongodbatlas;
pub mod okta;
pub mod snowflake;
pub mod tfe;

use super::{RuleContext, Severity};
use crate::finding::{Finding, Related};
use crate::inventory::record::{Access, Record, Status};
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
    Unresolved(Unknown),
    Value(&'a Setting, Span),
}

/// What could not be evaluated, and where.
#[derive(Debug, Clone)]
struct Unknown {
    /// `var.require_mfa (no value is given for the variable)`, or the
    /// dynamic block that may set the argument.
    what: String,
    /// The expression as written (empty for a dynamic block).
    expression: String,
    span: Option<Span>,
}

fn declared<'a>(body: &'a Body, path: &[&str]) -> Declared<'a> {
    match body.get(path) {
        None => {
            // A `dynamic` block on the way may hold the argument.
            let blocks = &path[..path.len().saturating_sub(1)];
            match blocks
                .first()
                .filter(|b| body.dynamic_blocks.iter().any(|d| d == *b))
            {
                Some(block) => Declared::Unresolved(Unknown {
                    what: format!("a `dynamic \"{block}\"` block may set it"),
                    expression: String::new(),
                    span: None,
                }),
                None => Declared::Absent,
            }
        }
        Some(Argument { value, span }) if value.is_unresolved() => Declared::Unresolved(Unknown {
            what: value
                .unresolved()
                .map(|u| {
                    if u.expression.is_empty() {
                        u.reason.clone()
                    } else {
                        format!("`{}`: {}", u.expression, u.reason)
                    }
                })
                .unwrap_or_default(),
            expression: value
                .unresolved()
                .map(|u| u.expression.clone())
                .unwrap_or_default(),
            span: Some(*span),
        }),
        Some(Argument {
            value: Setting::Null,
            ..
        }) => Declared::Absent,
        Some(Argument { value, span }) => Declared::Value(value, *span),
    }
}

/// What a rule concludes about one resource (or one rule block of it).
enum Judged {
    /// MFA is required, and how (for the inventory).
    Required(String),
    Problem(Problem),
    /// Lets nobody in, or says nothing of MFA (an inactive or denying
    /// rule): not listed.
    NotApplicable,
}

/// Turns a conclusion into a finding or an inventory record.
fn conclude(
    ctx: &RuleContext<'_>,
    findings: &mut Vec<Finding>,
    resource: &ServiceResource,
    judged: Judged,
) {
    match judged {
        Judged::Required(how) => passed(ctx, resource, how),
        Judged::Problem(problem) => findings.push(report(ctx, resource, problem)),
        Judged::NotApplicable => {}
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
    subject: std::borrow::Cow<'static, str>,
    /// Overrides the rule's severity (a lesser problem of the same rule).
    severity: Option<Severity>,
    related: Vec<Related>,
    /// The problem is that a value could not be evaluated (the
    /// inventory's `unknown`), not a value that leaves MFA optional.
    unknown: bool,
    /// How the inventory names what the problem is about, when not the
    /// resource's name (a whole configuration).
    identity: Option<String>,
    /// False when the problem is not about whether someone must use MFA
    /// to sign in (a credential that bypasses it): no inventory entry.
    inventoried: bool,
}

impl Problem {
    fn new(span: Span, label: impl Into<String>, message: String, help: impl Into<String>) -> Self {
        Problem {
            span,
            label: label.into(),
            message,
            help: help.into(),
            subject: "".into(),
            severity: None,
            related: Vec::new(),
            unknown: false,
            identity: None,
            inventoried: true,
        }
    }

    /// `argument` of `resource` could not be evaluated, so whether
    /// `consequence` holds is unknown: reported, never excused.
    fn unknown(
        resource: &ServiceResource,
        argument: &str,
        unknown: Unknown,
        consequence: &str,
        help: impl Into<String>,
    ) -> Self {
        Problem {
            subject: "unknown".into(),
            unknown: true,
            ..Problem::new(
                unknown.span.unwrap_or(resource.origin.span),
                format!("`{argument}` is not known statically"),
                format!(
                    "`{}` sets `{argument}` to a value mfalint could not evaluate ({}), so whether {consequence} is unknown",
                    resource.origin.address, unknown.what
                ),
                help,
            )
        }
    }
}

/// Resource types whose each resource is one person's sign-in, rather
/// than a setting of an organisation, tenant or pool.
const PER_USER: &[&str] = &["alicloud_ram_login_profile", "snowflake_user"];

/// Arguments that name a resource's identity, most telling first.
const NAMES: &[&str] = &[
    "name",
    "display_name",
    "user_name",
    "login_name",
    "UserPoolName",
];

/// How the inventory names a resource: its first resolved name argument,
/// else its address.
fn inventory_identity(resource: &ServiceResource) -> String {
    NAMES
        .iter()
        .find_map(|n| match declared(&resource.body, &[n]) {
            Declared::Value(Setting::String(s), _) if !s.is_empty() => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_else(|| resource.origin.address.clone())
}

fn access_of(resource: &ServiceResource) -> Access {
    if PER_USER.contains(&resource.resource_type.as_str()) {
        Access::Password
    } else {
        Access::ServiceWide
    }
}

/// Records, for the inventory, that `resource` requires MFA, and how
/// (`require_two_factor_authentication = true`).
fn passed(ctx: &RuleContext<'_>, resource: &ServiceResource, how: impl Into<String>) {
    passed_as(ctx, resource, inventory_identity(resource), how);
}

/// [`passed`], for an identity named otherwise than the resource.
fn passed_as(
    ctx: &RuleContext<'_>,
    resource: &ServiceResource,
    identity: String,
    how: impl Into<String>,
) {
    ctx.record(|| {
        let access = access_of(resource);
        Record {
            rule: ctx.id,
            identity,
            address: resource.origin.address.clone(),
            span: resource.origin.span,
            access,
            status: match access {
                Access::Password => Status::Enforced,
                Access::ServiceWide | Access::External => Status::ServiceRequired,
            },
            detail: how.into(),
            evidence: Vec::new(),
            finding: None,
        }
    });
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
    let unknown = problem.unknown;
    let identity = problem.identity;
    let inventoried = problem.inventoried;
    let subject = identity
        .clone()
        .unwrap_or_else(|| inventory_identity(resource));
    let finding = Finding {
        rule: ctx.id,
        severity: problem.severity.unwrap_or(ctx.meta.severity),
        message: problem.message,
        primary: problem.span,
        label: problem.label,
        related,
        address: Some(resource.origin.address.clone()),
        subject: Some(subject.clone()),
        help: problem.help,
        identity: format!(
            "{}|{}|{}",
            ctx.meta.id,
            resource.origin.identity(),
            problem.subject
        ),
        suppression: None,
        scope: Some(resource.origin.scope),
    };
    if !inventoried {
        return finding;
    }
    ctx.record(|| Record {
        rule: ctx.id,
        identity: subject,
        address: resource.origin.address.clone(),
        span: resource.origin.span,
        access: access_of(resource),
        status: if unknown {
            Status::Unknown
        } else {
            Status::None
        },
        detail: finding.message.clone(),
        evidence: finding.related.clone(),
        finding: Some(finding.identity.clone()),
    });
    finding
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
