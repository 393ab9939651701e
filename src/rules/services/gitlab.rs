//! MFA020 `gitlab-2fa-not-required`. Documentation: `rules/MFA020.toml`.

use super::{Declared, Judged, Problem, Unknown, conclude, declared, report, resources, shown};
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
        let top_level = is_top_level(group);
        if let Err(unknown) = &top_level {
            // A group that requires 2FA passes wherever it sits; one that
            // does not may be top-level.
            if let required @ Judged::Required(_) = judge(group, "group", "its members") {
                conclude(ctx, findings, group, required);
                continue;
            }
            let problem = Problem::unknown(
                group,
                "parent_id",
                unknown.clone(),
                "it is a top-level group, which must require two-factor authentication,",
                format!("set `{REQUIRE} = true` on `{}`", group.origin.address),
            );
            findings.push(report(ctx, group, problem));
            continue;
        }
        if matches!(top_level, Ok(true)) {
            conclude(ctx, findings, group, judge(group, "group", "its members"));
        }
    }
    for settings in resources(ctx, "gitlab_application_settings") {
        conclude(
            ctx,
            findings,
            settings,
            judge(settings, "instance", "its users"),
        );
    }
}

/// A group without `parent_id` (or with `parent_id = 0`) is top-level;
/// a subgroup inherits its parent's requirement. A `parent_id` that is
/// the id of another resource, data source or module output (known once
/// applied) names a real group, so a subgroup; one from a variable, a
/// local or a function that could not be evaluated may be 0.
fn is_top_level(group: &ServiceResource) -> Result<bool, Unknown> {
    match declared(&group.body, &["parent_id"]) {
        Declared::Absent => Ok(true),
        Declared::Value(value, _) => Ok(value.as_number() == Some(0.0)),
        Declared::Unresolved(unknown) => {
            // Only a bare reference to another object's attribute
            // (`gitlab_group.parent.id`, `data.gitlab_group.p.id`,
            // `module.groups.id`) names a real group; a function's or an
            // input's result may be 0.
            let expression = unknown.expression.as_str();
            let bare = !expression.is_empty()
                && expression
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '"'));
            let from_input = ["var.", "local.", "each.", "count.", "path.", "terraform."]
                .iter()
                .any(|p| expression.starts_with(p));
            if bare && !from_input {
                Ok(false)
            } else {
                Err(unknown)
            }
        }
    }
}

fn judge(resource: &ServiceResource, what: &str, who: &str) -> Judged {
    let address = &resource.origin.address;
    let help = format!(
        "set `{REQUIRE} = true` on `{address}`, with a short `two_factor_grace_period` (hours; `0` enforces at next sign-in)"
    );
    Judged::Problem(match declared(&resource.body, &[REQUIRE]) {
        Declared::Absent => Problem::new(
            resource.origin.span,
            format!("no `{REQUIRE}`: 2FA is optional"),
            format!(
                "GitLab {what} `{address}` does not set `{REQUIRE}`, whose default is false: {who} can sign in with a password alone"
            ),
            help,
        ),
        Declared::Value(value, _) if value.as_bool() == Some(true) => {
            return Judged::Required(format!("`{REQUIRE} = true`"));
        }
        Declared::Value(value, span) => Problem::new(
            span,
            "2FA is not required".to_string(),
            format!(
                "GitLab {what} `{address}` sets `{REQUIRE} = {}`: {who} can sign in with a password alone",
                shown(value)
            ),
            help,
        ),
        Declared::Unresolved(unknown) => Problem::unknown(
            resource,
            REQUIRE,
            unknown,
            &format!("{who} must use two-factor authentication"),
            help,
        ),
    })
}
