//! MFA001 `aws-iam-console-user-without-mfa`: a user with a console
//! password and no MFA evidence. Documentation: `rules/MFA001.toml`.

use std::collections::BTreeMap;

use super::evidence::{self, Evidence, EvidenceKind};
use super::{RuleContext, RuleMeta};
use crate::finding::{Finding, Related};
use crate::inventory::record::{Access, Record, Status};
use crate::model::{Link, LoginProfile, Name, User};
use crate::resolve::{Links, Subject};
use crate::source::Span;

/// Why each console user that passes MFA001 passes: the evidence accepted,
/// at the user's declaration (or its login profile).
pub fn passing(links: &Links<'_>) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let index = evidence::EvidenceIndex::new(links);
    for (subject, profiles) in profiles_by_user(links) {
        let evidence = index.collect(&subject);
        let proofs: Vec<&Evidence> = evidence.iter().filter(|e| e.proves_mfa()).collect();
        if proofs.is_empty() {
            continue;
        }
        let (span, who) = match &subject {
            Subject::Declared(i) => {
                let user = &links.model.users[*i];
                (user.origin.span, format!("`{}`", user.origin.address))
            }
            _ => (
                profiles[0].origin.span,
                format!("the user of `{}`", profiles[0].origin.address),
            ),
        };
        let reasons: Vec<&str> = proofs.iter().map(|e| e.detail.as_str()).collect();
        out.push((
            span,
            format!(
                "{who} has a console password and passes MFA001: {}",
                reasons.join("; ")
            ),
        ));
    }
    out
}

pub fn check(ctx: &RuleContext<'_>, findings: &mut Vec<Finding>) {
    use rayon::prelude::*;
    let recording = ctx.inventory.is_some();
    // Each user judged on a task of its own (the evidence index's memos
    // are shared), the findings and records kept in user order (recorded
    // here, from one thread): on large scans this rule was the last to
    // finish, on one core.
    let judged: Vec<(Option<Finding>, Option<Record>)> = profiles_by_user(ctx.links)
        .par_iter()
        .map(|(subject, profiles)| {
            let evidence = ctx.evidence.collect(subject);
            let proofs: Vec<&Evidence> = evidence.iter().filter(|e| e.proves_mfa()).collect();
            if !proofs.is_empty() {
                let record = recording.then(|| passing_record(ctx, subject, profiles, &proofs));
                return (None, record);
            }
            let finding = finding(ctx, subject, profiles, &evidence);
            let record =
                recording.then(|| failing_record(ctx, subject, profiles, &evidence, &finding));
            (Some(finding), record)
        })
        .collect();
    for (finding, record) in judged {
        if let Some(record) = record {
            ctx.record(|| record);
        }
        findings.extend(finding);
    }
}

/// The user's name as the inventory shows it, where it is declared, and
/// its address.
fn inventory_identity(
    ctx: &RuleContext<'_>,
    subject: &Subject,
    profiles: &[&LoginProfile],
) -> (String, Span, String) {
    let first = profiles[0];
    match subject {
        Subject::Declared(i) => {
            let user = &ctx.links.model.users[*i];
            let name = match &user.name {
                Name::Known(name) if !name.is_empty() => name.clone(),
                _ => user.origin.address.clone(),
            };
            (name, user.origin.span, user.origin.address.clone())
        }
        Subject::Undeclared { name, .. } => (
            name.clone(),
            first.origin.span,
            first.origin.address.clone(),
        ),
        Subject::Symbol { symbol, .. } => (
            symbol.clone(),
            first.origin.span,
            first.origin.address.clone(),
        ),
        Subject::Unknown => (
            first.origin.address.clone(),
            first.origin.span,
            first.origin.address.clone(),
        ),
    }
}

/// A console user that passes: enforced when a policy proves MFA, else
/// its declared device (or enable-mfa-device command).
fn passing_record(
    ctx: &RuleContext<'_>,
    subject: &Subject,
    profiles: &[&LoginProfile],
    proofs: &[&Evidence],
) -> Record {
    let (identity, span, address) = inventory_identity(ctx, subject, profiles);
    let enforced: Vec<&&Evidence> = proofs
        .iter()
        .filter(|e| e.kind == EvidenceKind::EnforcingPolicy)
        .collect();
    let (status, shown) = if enforced.is_empty() {
        (Status::Device, proofs.iter().collect::<Vec<_>>())
    } else {
        (Status::Enforced, enforced)
    };
    Record {
        rule: ctx.id,
        identity,
        span,
        address,
        access: Access::Password,
        status,
        detail: shown
            .iter()
            .map(|e| e.detail.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        evidence: proofs
            .iter()
            .map(|e| Related {
                span: e.span,
                message: e.detail.clone(),
            })
            .collect(),
        finding: None,
    }
}

/// A console user that fails: unknown when the user, or evidence that
/// may prove MFA for it, could not be evaluated; none otherwise.
fn failing_record(
    ctx: &RuleContext<'_>,
    subject: &Subject,
    profiles: &[&LoginProfile],
    evidence: &[Evidence],
    finding: &Finding,
) -> Record {
    let (identity, span, address) = inventory_identity(ctx, subject, profiles);
    let unresolved_user = match subject {
        Subject::Symbol { .. } | Subject::Unknown => Some(format!(
            "which user `{}` gives a password to could not be evaluated{}",
            profiles[0].origin.address,
            unresolved_note(&profiles[0].user)
        )),
        _ => None,
    };
    let undetermined = evidence.iter().find_map(|e| match &e.rejected {
        Some(why) if e.undetermined => Some(why.clone()),
        None => Some(format!(
            "{} `{}` applies, but its instances cannot be matched to the user's",
            e.kind.describe(),
            e.address
        )),
        _ => None,
    });
    let (status, detail) = match unresolved_user.or(undetermined) {
        Some(why) => (Status::Unknown, why),
        None => {
            let mut why = "no MFA device is declared for the user and no policy that applies to it denies access without MFA".to_string();
            for reason in evidence.iter().filter_map(|e| e.rejected.as_ref()) {
                why.push_str("; ");
                why.push_str(reason);
            }
            (Status::None, why)
        }
    };
    Record {
        rule: ctx.id,
        identity,
        span,
        address,
        access: Access::Password,
        status,
        detail,
        evidence: finding.related.clone(),
        finding: Some(finding.identity.clone()),
    }
}

/// Login profiles grouped by the user they give console access to; each
/// unresolvable profile stands alone.
pub(super) fn profiles_by_user<'m>(links: &Links<'m>) -> Vec<(Subject, Vec<&'m LoginProfile>)> {
    let mut grouped: BTreeMap<Subject, Vec<&LoginProfile>> = BTreeMap::new();
    let mut unknown = Vec::new();
    for profile in &links.model.login_profiles {
        match links.user(profile.origin.scope, &profile.user) {
            Subject::Unknown => unknown.push((Subject::Unknown, vec![profile])),
            subject => grouped.entry(subject).or_default().push(profile),
        }
    }
    grouped.into_iter().chain(unknown).collect()
}

fn finding(
    ctx: &RuleContext<'_>,
    subject: &Subject,
    profiles: &[&LoginProfile],
    evidence: &[Evidence],
) -> Finding {
    let meta: &'static RuleMeta = ctx.meta;
    let first = profiles[0];
    // A password that may not be set says on what it depends, unless
    // the user's own existence says it already.
    let user_condition = match subject {
        Subject::Declared(i) => ctx.links.model.users[*i].origin.condition.as_ref(),
        _ => None,
    };
    let profile_addresses = profiles
        .iter()
        .map(|p| match &p.origin.condition {
            Some(condition) if Some(condition) != user_condition => {
                format!("`{}`, which exists {condition}", p.origin.address)
            }
            _ => format!("`{}`", p.origin.address),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut related: Vec<Related> = Vec::new();
    let (primary, label, address, mut who, identity_subject);
    match subject {
        Subject::Declared(i) => {
            let user = &ctx.links.model.users[*i];
            primary = user.origin.span;
            who = user_description(user);
            label = "this user can sign in to the console without MFA".to_string();
            address = user.origin.address.clone();
            identity_subject = user.origin.identity();
            for p in profiles {
                related.push(Related {
                    span: p.origin.span,
                    message: format!("console password granted here by `{}`", p.origin.address),
                });
            }
            related.extend(super::origin_context(&user.origin, "the user"));
        }
        other => {
            primary = first.origin.span;
            label = "console password granted here".to_string();
            address = first.origin.address.clone();
            (who, identity_subject) = match other {
                Subject::Undeclared { name, .. } => (
                    format!("IAM user `{name}` (not declared in the same module)"),
                    name.clone(),
                ),
                Subject::Symbol { symbol, .. } => (
                    format!(
                        "the IAM user named by `{symbol}`{}",
                        unresolved_note(&first.user)
                    ),
                    symbol.clone(),
                ),
                _ => (
                    format!(
                        "an IAM user that could not be resolved{}",
                        unresolved_note(&first.user)
                    ),
                    first.origin.identity(),
                ),
            };
            if let Some(root) = first
                .origin
                .root
                .as_ref()
                .filter(|_| first.origin.root_shown)
            {
                who.push_str(&format!(" in root module `{root}`"));
            }
            related.extend(super::origin_context(&first.origin, "the login profile"));
            for p in &profiles[1..] {
                related.push(Related {
                    span: p.origin.span,
                    message: format!("console password also granted by `{}`", p.origin.address),
                });
            }
        }
    }
    for e in evidence {
        let message = match &e.rejected {
            Some(why) => why.clone(),
            None => format!(
                "{} `{}` applies to this user, but its instances cannot be matched to the user's",
                e.kind.describe(),
                e.address
            ),
        };
        related.push(Related {
            span: e.span,
            message,
        });
    }
    let accepted_but_partial = evidence.iter().any(|e| e.rejected.is_none());
    let why = if *subject == Subject::Unknown {
        "no MFA evidence can be tied to it".to_string()
    } else if accepted_but_partial {
        "no MFA evidence covers every instance of it".to_string()
    } else {
        // With rejected evidence, some policy may apply that could not be
        // judged: the message claims only what is known.
        let mut why = if evidence.iter().any(|e| e.rejected.is_some()) {
            "no virtual MFA device is declared for it and no policy known to apply to it denies access without MFA"
        } else {
            "no virtual MFA device is declared for it and no policy that applies to it denies access without MFA"
        }
        .to_string();
        for e in evidence {
            if let Some(reason) = &e.rejected {
                why.push_str(&format!("; {reason}"));
            }
        }
        why
    };
    let subject = match subject {
        Subject::Declared(i) => ctx.links.model.users[*i].name.known().map(str::to_string),
        Subject::Undeclared { name, .. } => Some(name.clone()),
        _ => None,
    };
    Finding {
        rule: ctx.id,
        severity: meta.severity,
        message: format!("{who} can sign in to the AWS console with a password ({profile_addresses}) but {why}"),
        primary,
        label,
        related,
        address: Some(address),
        subject,
        help: "enable a virtual MFA device for the user (`aws iam create-virtual-mfa-device`, then `aws iam enable-mfa-device` with two consecutive codes) and declare the device in code, named after the user; or put the user in a group whose policy denies every action without MFA; or remove the login profile if the user does not need the console".to_string(),
        suppression: None,
        scope: Some(first.origin.scope),
        identity: format!("{}|{}", meta.id, identity_subject),
    }
}

fn user_description(user: &User) -> String {
    let root = user.origin.root_note();
    let mut text = match &user.name {
        Name::Known(name) if !name.is_empty() => {
            format!("IAM user `{name}` (`{}`{root})", user.origin.address)
        }
        Name::Known(_) => format!(
            "IAM user `{}` (its name is empty{root})",
            user.origin.address
        ),
        Name::Unresolved(u) if u.expression.is_empty() => {
            format!("IAM user `{}` ({}{root})", user.origin.address, u.reason)
        }
        Name::Unresolved(u) => format!(
            "IAM user `{}` (its name `{}` is not known statically: {}{root})",
            user.origin.address, u.expression, u.reason
        ),
    };
    if let Some(condition) = &user.origin.condition {
        text.push_str(&format!(", which exists {condition},"));
    }
    if let Some(repeated) = &user.origin.repeated_by {
        text.push_str(&format!(
            ", every instance of which is affected ({})",
            repeated.reason
        ));
    }
    text
}

/// The key of an address's last instance step when it is an expression
/// rather than a literal (`aws_iam_user.this[each.value.user_key]`).
fn unknown_instance_key(address: &str) -> Option<&str> {
    let key = address.strip_suffix(']')?.rsplit_once('[')?.1;
    let literal = key.starts_with('"') || key.chars().all(|c| c.is_ascii_digit());
    (!literal && !key.is_empty()).then_some(key)
}

fn unresolved_note(link: &Link) -> String {
    match link {
        Link::Unresolved(u) => format!(" (`{}`: {})", u.expression, u.reason),
        Link::Address { address, .. } => match unknown_instance_key(address) {
            Some(key) => {
                format!(" (`{address}`: which instance `{key}` designates is not known statically)")
            }
            None => format!(" (`{address}` matches no declared user)"),
        },
        Link::Name { name, .. } => format!(" (`{name}`)"),
        Link::Imported { target, .. } => unresolved_note(target),
    }
}
