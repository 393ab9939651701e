//! MFA020 `gitlab-2fa-not-required`. Documentation: `rules/MFA020.toml`.

use super::{Declared, Problem, declared, report, resources, shown};
use crate::finding::Finding;
use crate::model::{Reads, ServiceResource};
use crate::rules::RuleContext;

const REQUIRE: &str = "require_two_factor_authentication";

/// What this rule reads (see `crate::rules`).
pub const READS: Reads = Reads {
    resources: &["gitlab_application_settings", "gitlab_group"],
    blocks: &[],
};

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for group in resources(ctx, "gitlab_group") {
        if is_top_level(group)
            && let Some(problem) = not_required(group, "group", "its members")
        {
            findings.push(report(ctx, group, problem));
        }
    }
    for settings in resources(ctx, "gitlab_application_settings") {
        if let Some(problem) = not_required(settings, "instance", "its users") {
            findings.push(report(ctx, settings, problem));
        }
    }
}

/// A group without `parent_id` (or with `parent_id = 0`) is top-level;
/// a subgroup inherits its parent's requirement.
fn is_top_level(group: &ServiceResource) -> bool {
    match declared(&group.body, &["parent_id"]) {
        Declared::Absent => true,
        Declared::Value(value, _) => value.as_number() == Some(0.0),
        Declared::Unresolved => false,
    }
}

fn not_required(resource: &ServiceResource, what: &str, who: &str) -> Option<Problem> {
    let address = &resource.origin.address;
    let help = format!(
        "set `{REQUIRE} = true` on `{address}`, with a short `two_factor_grace_period` (hours; `0` enforces at next sign-in)"
    );
    match declared(&resource.body, &[REQUIRE]) {
        Declared::Absent => Some(Problem::new(
            resource.origin.span,
            format!("no `{REQUIRE}`: 2FA is optional"),
            format!(
                "GitLab {what} `{address}` does not set `{REQUIRE}`, whose default is false: {who} can sign in with a password alone"
            ),
            help,
        )),
        Declared::Value(value, span) if value.as_bool() != Some(true) => Some(Problem::new(
            span,
            "2FA is not required".to_string(),
            format!(
                "GitLab {what} `{address}` sets `{REQUIRE} = {}`: {who} can sign in with a password alone",
                shown(value)
            ),
            help,
        )),
        _ => None,
    }
}
