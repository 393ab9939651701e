//! MFA022 `azuread-mfa-not-required`. Documentation: `rules/MFA022.toml`.

use std::collections::BTreeMap;

use super::{Declared, Problem, declared, passed_as, report, resources};
use crate::finding::{Finding, Related};
use crate::model::{Reads, ScopeId, ServiceResource, Setting};
use crate::rules::{RuleContext, Severity};

const POLICY: &str = "azuread_conditional_access_policy";

/// What this rule reads (see `crate::rules`): the policy, then the
/// resources that show a configuration manages people or sign-ins
/// ([`PRINCIPALS`]); and the policy's blocks on the way to the arguments
/// read (`conditions.users.included_users`, `grant_controls.operator`).
pub const READS: Reads = Reads {
    resources: &[
        POLICY,
        "azuread_application",
        "azuread_application_registration",
        "azuread_invitation",
        "azuread_service_principal",
        "azuread_user",
    ],
    blocks: &["applications", "conditions", "grant_controls", "users"],
};

/// Every resource type [`READS`] names but the policy.
const PRINCIPALS: &[&str] = READS.resources.split_at(1).1;

/// What a conditional access policy does about MFA.
#[derive(Debug, PartialEq)]
enum Coverage {
    /// Enabled, all users, all applications, MFA required.
    AllUsers,
    /// Enabled and requires MFA, but not for everyone.
    Partial,
    /// Not enabled, or requires no MFA.
    None,
    /// Something could not be resolved statically: what.
    Unknown(String),
}

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    let policies: Vec<&ServiceResource> = resources(ctx, POLICY).collect();
    for policy in &policies {
        if let Some(problem) = exclusions(policy) {
            findings.push(report(ctx, policy, problem));
        }
    }
    // The first principal of each configuration, in source order.
    let mut first_principal: BTreeMap<ScopeId, &ServiceResource> = BTreeMap::new();
    for resource in &ctx.links.model.service_resources {
        if PRINCIPALS.contains(&resource.resource_type.as_str()) {
            let first = first_principal
                .entry(resource.origin.scope)
                .or_insert(resource);
            let position = |r: &ServiceResource| (r.origin.span.file, r.origin.span.start);
            if position(resource) < position(first) {
                *first = resource;
            }
        }
    }
    for (scope, principal) in first_principal {
        let in_scope: Vec<&&ServiceResource> = policies
            .iter()
            .filter(|p| p.origin.scope == scope)
            .collect();
        let coverages: Vec<Coverage> = in_scope.iter().map(|p| coverage(p)).collect();
        let identity = format!(
            "sign-in of the identities `{}` and others manage",
            principal.origin.address
        );
        if let Some((policy, _)) = in_scope
            .iter()
            .zip(&coverages)
            .find(|(_, c)| **c == Coverage::AllUsers)
        {
            passed_as(
                ctx,
                principal,
                identity,
                format!(
                    "conditional access policy `{}` requires MFA for all users and all applications",
                    policy.origin.address
                ),
            );
            continue;
        }
        let address = &principal.origin.address;
        if let Some((policy, Coverage::Unknown(what))) = in_scope
            .iter()
            .zip(&coverages)
            .find(|(_, c)| matches!(c, Coverage::Unknown(_)))
        {
            let mut problem = Problem::new(
                principal.origin.span,
                "whether a policy requires MFA is not known statically",
                format!(
                    "this configuration manages Azure AD identities (`{address}`, the first of them), and whether conditional access policy `{}` requires MFA for all users and all applications is unknown: {what}",
                    policy.origin.address
                ),
                "make the policy's state, grant controls and included users and applications known statically (literal values or variables with values)",
            );
            problem.subject = "configuration".into();
            problem.unknown = true;
            problem.identity = Some(identity);
            problem.related = vec![Related {
                span: policy.origin.span,
                message: format!("`{}` could not be evaluated", policy.origin.address),
            }];
            findings.push(report(ctx, principal, problem));
            continue;
        }
        let mut problem = Problem::new(
            principal.origin.span,
            "no conditional access policy requires MFA",
            format!(
                "this configuration manages Azure AD identities (`{address}`, the first of them) but has no enabled `{POLICY}` that requires MFA for all users and all applications: sign-in MFA rests on settings outside the code"
            ),
            "add an enabled `azuread_conditional_access_policy` with `included_users = [\"All\"]`, `included_applications = [\"All\"]` and `built_in_controls = [\"mfa\"]`",
        );
        problem.subject = "configuration".into();
        problem.identity = Some(identity);
        problem.related = in_scope
            .iter()
            .zip(&coverages)
            .map(|(p, c)| Related {
                span: p.origin.span,
                message: format!(
                    "`{}` {}",
                    p.origin.address,
                    match c {
                        Coverage::Partial => "requires MFA, but not for all users and applications",
                        _ => "is not enabled or requires no MFA",
                    }
                ),
            })
            .collect();
        findings.push(report(ctx, principal, problem));
    }
}

/// The strings of a list argument, or what could not be evaluated.
fn strings(policy: &ServiceResource, path: &[&str]) -> Result<Vec<String>, String> {
    let name = path.last().copied().unwrap_or_default();
    match declared(&policy.body, path) {
        Declared::Absent => Ok(Vec::new()),
        Declared::Unresolved(u) => Err(format!("`{name}` ({})", u.what)),
        Declared::Value(value, _) => value
            .strings()
            .map(|v| v.into_iter().map(str::to_string).collect())
            .ok_or_else(|| format!("`{name}` is not a list of strings")),
    }
}

fn coverage(policy: &ServiceResource) -> Coverage {
    let state = match declared(&policy.body, &["state"]) {
        Declared::Unresolved(u) => return Coverage::Unknown(format!("`state` ({})", u.what)),
        Declared::Value(v, _) => v.as_str().map(str::to_string),
        Declared::Absent => None,
    };
    if state.as_deref() != Some("enabled") {
        return Coverage::None;
    }
    match requires_mfa(policy) {
        Ok(true) => {}
        Ok(false) => return Coverage::None,
        Err(what) => return Coverage::Unknown(what),
    }
    let users = strings(policy, &["conditions", "users", "included_users"]);
    let apps = strings(
        policy,
        &["conditions", "applications", "included_applications"],
    );
    match (users, apps) {
        (Ok(users), Ok(apps)) => {
            if users.iter().any(|u| u == "All") && apps.iter().any(|a| a == "All") {
                Coverage::AllUsers
            } else {
                Coverage::Partial
            }
        }
        (Err(what), _) | (_, Err(what)) => Coverage::Unknown(what),
    }
}

/// Whether the grant controls make MFA necessary: MFA as the only
/// control or combined with AND, or an authentication strength. With OR,
/// another control (a compliant device) satisfies the policy alone.
fn requires_mfa(policy: &ServiceResource) -> Result<bool, String> {
    match declared(
        &policy.body,
        &["grant_controls", "authentication_strength_policy_id"],
    ) {
        Declared::Value(Setting::String(id), _) if !id.is_empty() => return Ok(true),
        Declared::Unresolved(u) => {
            return Err(format!("`authentication_strength_policy_id` ({})", u.what));
        }
        _ => {}
    }
    let controls = strings(policy, &["grant_controls", "built_in_controls"])?;
    if !controls.iter().any(|c| c == "mfa") {
        return Ok(false);
    }
    let operator = match declared(&policy.body, &["grant_controls", "operator"]) {
        Declared::Value(v, _) => v.as_str().map(str::to_string),
        Declared::Unresolved(u) => return Err(format!("`operator` ({})", u.what)),
        Declared::Absent => None,
    };
    let others = strings(policy, &["grant_controls", "custom_authentication_factors"])?;
    let alone = controls.len() == 1 && others.is_empty();
    Ok(operator.as_deref() == Some("AND") || alone)
}

/// An enabled MFA policy that leaves identities out.
fn exclusions(policy: &ServiceResource) -> Option<Problem> {
    if !matches!(coverage(policy), Coverage::AllUsers | Coverage::Partial) {
        return None;
    }
    let mut excluded = Vec::new();
    let mut first_span = None;
    for arg in ["excluded_users", "excluded_groups", "excluded_roles"] {
        // Excluded identities are usually references (`object_id`),
        // known only after apply: count them all the same.
        let Some(argument) = policy.body.get(&["conditions", "users", arg]) else {
            continue;
        };
        // Excluded identities are usually references, kept as unresolved
        // items and counted; a whole list that could not be evaluated may
        // exclude anyone, and counts too.
        let count = match &argument.value {
            Setting::List(items) => items.len(),
            Setting::String(_) | Setting::Unresolved(_) => 1,
            _ => 0,
        };
        if let Setting::Unresolved(u) = &argument.value {
            excluded.push(format!(
                "the identities `{}` names in `{arg}` (not known statically: {})",
                u.expression, u.reason
            ));
            first_span.get_or_insert(argument.span);
            continue;
        }
        if count > 0 {
            excluded.push(format!("{count} in `{arg}`"));
            first_span.get_or_insert(argument.span);
        }
    }
    let span = first_span?;
    let address = &policy.origin.address;
    let mut problem = Problem::new(
        span,
        "these identities sign in without MFA",
        format!(
            "conditional access policy `{address}` requires MFA but excludes {}: those identities sign in without it",
            excluded.join(", ")
        ),
        "exclude only emergency-access (break-glass) accounts, and record each exclusion as an mfalint exception with a reason and an expiry date",
    );
    problem.subject = "exclusions".into();
    problem.severity = Some(Severity::Warning);
    Some(problem)
}
