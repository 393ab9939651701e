//! MFA003 `aws-iam-console-user-mfa-not-enforced` (opt-in): a console
//! user whose only MFA evidence is a declared device. Documentation:
//! `rules/MFA003.toml`.

use super::RuleContext;
use super::console_user_without_mfa::profiles_by_user;
use super::evidence::EvidenceKind;
use crate::finding::{Finding, Related};
use crate::resolve::Subject;

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    for (subject, profiles) in profiles_by_user(ctx.links) {
        let evidence = ctx.evidence.collect(&subject);
        let proofs: Vec<_> = evidence.iter().filter(|e| e.proves_mfa()).collect();
        if proofs.is_empty()
            || proofs
                .iter()
                .any(|e| e.kind == EvidenceKind::EnforcingPolicy)
        {
            continue; // MFA001's business, or enforced.
        }
        let (primary, address, identity, who) = match &subject {
            Subject::Declared(i) => {
                let user = &ctx.links.model.users[*i];
                let root = user.origin.root_note();
                let who = match user.name.known() {
                    Some(name) if !name.is_empty() => {
                        format!("IAM user `{name}` (`{}`{root})", user.origin.address)
                    }
                    _ => format!("IAM user `{}`", user.origin.address),
                };
                (
                    user.origin.span,
                    user.origin.address.clone(),
                    user.origin.identity(),
                    who,
                )
            }
            _ => {
                let p = profiles[0];
                (
                    p.origin.span,
                    p.origin.address.clone(),
                    p.origin.identity(),
                    format!("the user of `{}`{}", p.origin.address, p.origin.root_note()),
                )
            }
        };
        let mut related: Vec<Related> = proofs
            .iter()
            .map(|e| Related {
                span: e.span,
                message: format!(
                    "{}: the device still has to be enabled by its owner",
                    e.detail
                ),
            })
            .collect();
        related.extend(profiles.iter().map(|p| Related {
            span: p.origin.span,
            message: format!("console password granted here by `{}`", p.origin.address),
        }));
        findings.push(Finding {
            rule: ctx.id,
            severity: ctx.meta.severity,
            message: format!(
                "{who} can sign in to the AWS console and its MFA rests only on a declared virtual MFA device: no policy that applies to it denies access without MFA, so it works without MFA until the device is enabled"
            ),
            primary,
            label: "MFA is declared but not enforced for this user".into(),
            related,
            address: Some(address.clone()),
            help: "add the user to a group whose policy denies every action without MFA".into(),
            suppression: None,
        subject: None,
            scope: Some(profiles[0].origin.scope),
        identity: format!("{}|{identity}", ctx.meta.id),
        });
    }
}
