//! MFA012 `aws-declared-mfa-not-active`: the code proves MFA for a user,
//! the account says it is not active. Documentation: `rules/MFA012.toml`.

use std::collections::HashMap;

use crate::finding::{Finding, Related};
use crate::model::{Name, ReportFlag};
use crate::resolve::Subject;
use crate::rules::RuleContext;
use crate::rules::evidence::Evidence;

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    let model = ctx.links.model;
    if model.reported_users.is_empty() {
        return;
    }
    let mut users_by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, user) in model.users.iter().enumerate() {
        if let Name::Known(name) = &user.name {
            users_by_name.entry(name).or_default().push(i);
        }
    }
    for row in &model.reported_users {
        if row.is_root || row.mfa_active != ReportFlag::False {
            continue;
        }
        for &i in users_by_name.get(row.name.as_str()).into_iter().flatten() {
            let evidence = ctx.evidence.collect(&Subject::Declared(i));
            let proofs: Vec<&Evidence> = evidence.iter().filter(|e| e.proves_mfa()).collect();
            if proofs.is_empty() {
                continue;
            }
            let user = &model.users[i];
            let mut related = vec![Related {
                span: row.origin.span,
                message: format!(
                    "the credential report: `{}` has `mfa_active=false`",
                    row.name
                ),
            }];
            related.extend(proofs.iter().map(|e| Related {
                span: e.span,
                message: format!("the code's evidence: {}", e.detail),
            }));
            findings.push(Finding {
                rule: ctx.id,
                severity: ctx.meta.severity,
                message: format!(
                    "`{}` has MFA evidence in code ({}), but the account's credential report says user `{}` has no active MFA device",
                    user.origin.address,
                    proofs
                        .iter()
                        .map(|e| e.kind.describe())
                        .collect::<Vec<_>>()
                        .join(", "),
                    row.name
                ),
                primary: user.origin.span,
                label: "MFA declared here is not active in the account".into(),
                related,
                address: Some(user.origin.address.clone()),
                help: format!(
                    "have `{}` enable the declared MFA device (`aws iam enable-mfa-device`), then regenerate the credential report",
                    row.name
                ),
                identity: format!("{}|{}|{}", ctx.meta.id, user.origin.identity(), row.arn),
                suppression: None,
        subject: None,
                scope: Some(user.origin.scope),
            });
        }
    }
}
