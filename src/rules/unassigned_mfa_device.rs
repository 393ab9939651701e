//! MFA002 `aws-iam-mfa-device-unassigned`: a virtual MFA device tied to no
//! user. Documentation: `rules/MFA002.toml`.

use std::collections::BTreeSet;

use super::RuleContext;
use crate::finding::{Finding, Related};
use crate::model::Link;
use crate::resolve::Subject;

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    let links = ctx.links;
    // Subjects that login profiles give console access to: a device named
    // for one of them is assigned even if the user is declared elsewhere.
    let console_subjects: BTreeSet<Subject> = links
        .model
        .login_profiles
        .iter()
        .map(|p| links.user(p.origin.scope, &p.user))
        .filter(|s| *s != Subject::Unknown)
        .collect();
    for device in &links.model.mfa_devices {
        let assigned =
            device
                .users
                .iter()
                .any(|link| match links.user(device.origin.scope, link) {
                    Subject::Declared(_) => true,
                    Subject::Unknown => false,
                    other => console_subjects.contains(&other),
                });
        if assigned || device.users.iter().any(is_unresolved) {
            // An unresolved name may well be a user's: never guess.
            continue;
        }
        let names: Vec<String> = device.users.iter().map(describe).collect();
        findings.push(Finding {
            rule: ctx.id,
            severity: ctx.meta.severity,
            message: format!(
                "virtual MFA device `{}` is named for {}, which is no user declared or given console access in the scanned code, so it protects nobody",
                device.origin.address,
                names.join(", ")
            ),
            primary: device.origin.span,
            label: "this device is tied to no user".into(),
            related: device
                .users
                .iter()
                .map(|l| Related {
                    span: l.span(),
                    message: format!("names {}", describe(l)),
                })
                .collect(),
            scope: Some(device.origin.scope),
            address: Some(device.origin.address.clone()),
            help: "name the device after the user it protects, preferably by reference (`aws_iam_user.<name>.name`), or delete it".into(),
            suppression: None,
        subject: None,
        identity: format!("{}|{}", ctx.meta.id, device.origin.identity()),
        });
    }
}

fn is_unresolved(link: &Link) -> bool {
    matches!(link, Link::Unresolved(_))
}

fn describe(link: &Link) -> String {
    match link {
        Link::Name { name, .. } => format!("`{name}`"),
        Link::Address { address, .. } => format!("`{address}`"),
        Link::Imported { target, .. } => describe(target),
        Link::Unresolved(u) => format!("`{}`", u.expression),
    }
}
