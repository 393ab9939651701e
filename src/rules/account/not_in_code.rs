//! MFA013 `aws-console-user-not-in-code`: a console user of the account
//! that no scanned code declares. Documentation: `rules/MFA013.toml`.

use std::collections::HashSet;

use super::console_rows;
use crate::finding::Finding;
use crate::model::Name;
use crate::resolve::Subject;
use crate::rules::RuleContext;

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    let links = ctx.links;
    let model = links.model;
    // Only meaningful when the run also read IAM code.
    if model.users.is_empty() && model.login_profiles.is_empty() {
        return;
    }
    // Declared users, and users that a login profile names without
    // declaring them (declared in another configuration).
    let mut in_code: HashSet<String> = model
        .users
        .iter()
        .filter_map(|u| match &u.name {
            Name::Known(name) => Some(name.clone()),
            Name::Unresolved(_) => None,
        })
        .collect();
    for profile in &model.login_profiles {
        if let Subject::Undeclared { name, .. } = links.user(profile.origin.scope, &profile.user) {
            in_code.insert(name);
        }
    }
    for row in console_rows(ctx) {
        if in_code.contains(&row.name) {
            continue;
        }
        findings.push(Finding {
            rule: ctx.id,
            severity: ctx.meta.severity,
            message: format!(
                "the credential report lists console user `{}`, which no scanned code declares: created by hand, or in code outside this scan",
                row.name
            ),
            primary: row.origin.span,
            label: "not declared in the scanned code".into(),
            related: Vec::new(),
            address: Some(row.name.clone()),
            help: format!(
                "import `{}` into Terraform (`terraform import aws_iam_user.<name> {}`), delete it if unused, or scan the code that manages it in the same run",
                row.name, row.name
            ),
            identity: format!("{}|{}", ctx.meta.id, row.arn),
            suppression: None,
        subject: None,
            scope: Some(row.origin.scope),
        });
    }
}
