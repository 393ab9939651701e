//! MFA evidence: facts in the model that show a user has MFA.
//!
//! Each kind of evidence is one provider function, so new kinds plug in
//! beside the others without touching the rules that consume them. A
//! provider also reports what it found but could not accept (a policy that
//! mentions MFA without enforcing it, a document it could not resolve), so a
//! finding can say why the user still fails.

use crate::model::{AttachmentTarget, Origin, PolicyDocument, PolicyOwner};
use crate::policy::{MfaVerdict, mfa_verdict};
use crate::resolve::{GroupKey, Links, PolicyTarget, Subject};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceKind {
    VirtualMfaDevice,
    /// A command in the code enables an MFA device for the user.
    MfaActivation,
    /// A policy that denies everything without MFA applies to the user.
    EnforcingPolicy,
}

impl EvidenceKind {
    pub fn describe(self) -> &'static str {
        match self {
            EvidenceKind::VirtualMfaDevice => "virtual MFA device",
            EvidenceKind::MfaActivation => "enable-mfa-device command",
            EvidenceKind::EnforcingPolicy => "MFA-enforcing policy",
        }
    }
}

/// One piece of evidence, accepted or not.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub address: String,
    pub span: Span,
    /// False when the user's instances (`count`, `for_each`) cannot be
    /// matched one by one with the evidence's instances.
    pub covers_all_instances: bool,
    /// Why the evidence is rejected; `None` when it proves MFA.
    pub rejected: Option<String>,
    /// How it reaches the user and what it says, for explanations.
    pub detail: String,
}

impl Evidence {
    /// Whether this evidence proves MFA for every instance of the user.
    pub fn proves_mfa(&self) -> bool {
        self.rejected.is_none() && self.covers_all_instances
    }
}

type Provider = fn(&Links<'_>, &Subject) -> Vec<Evidence>;

/// Every evidence provider, in the order their evidence is reported.
const PROVIDERS: &[Provider] = &[virtual_mfa_devices, mfa_activations, enforcing_policies];

/// All MFA evidence for a subject.
pub fn collect(links: &Links<'_>, subject: &Subject) -> Vec<Evidence> {
    if *subject == Subject::Unknown {
        return Vec::new();
    }
    PROVIDERS
        .iter()
        .flat_map(|provider| provider(links, subject))
        .collect()
}

fn user_origin<'m>(links: &Links<'m>, subject: &Subject) -> Option<&'m Origin> {
    match subject {
        Subject::Declared(i) => Some(&links.model.users[*i].origin),
        _ => None,
    }
}

fn virtual_mfa_devices(links: &Links<'_>, subject: &Subject) -> Vec<Evidence> {
    let user = user_origin(links, subject);
    links
        .model
        .mfa_devices
        .iter()
        .filter(|device| {
            device
                .users
                .iter()
                .any(|link| links.user(device.origin.scope, link) == *subject)
        })
        .map(|device| Evidence {
            kind: EvidenceKind::VirtualMfaDevice,
            address: device.origin.address.clone(),
            span: device.origin.span,
            covers_all_instances: user.is_none_or(|u| same_instances(u, &device.origin)),
            rejected: None,
            detail: format!(
                "virtual MFA device `{}` is named for the user",
                device.origin.address
            ),
        })
        .collect()
}

fn mfa_activations(links: &Links<'_>, subject: &Subject) -> Vec<Evidence> {
    let user = user_origin(links, subject);
    links
        .model
        .mfa_activations
        .iter()
        .filter(|a| {
            a.users
                .iter()
                .any(|l| links.user(a.origin.scope, l) == *subject)
        })
        .map(|a| Evidence {
            kind: EvidenceKind::MfaActivation,
            address: a.origin.address.clone(),
            span: a.origin.span,
            covers_all_instances: user.is_none_or(|u| same_instances(u, &a.origin)),
            rejected: None,
            detail: format!(
                "`{}` runs `aws iam enable-mfa-device` for the user",
                a.origin.address
            ),
        })
        .collect()
}

/// Policies that apply to the user, directly or through its groups, judged
/// by [`mfa_verdict`].
fn enforcing_policies(links: &Links<'_>, subject: &Subject) -> Vec<Evidence> {
    let model = links.model;
    let user = user_origin(links, subject);
    let mut found = Vec::new();
    // (policy index or external ARN, how it reaches the user, the origin
    // that links it, for instance matching)
    let mut reach = |target: PolicyTarget, how: String, linking: &Origin, span: Span| {
        let covers = user.is_none_or(|u| same_instances(u, linking));
        let evidence = match target {
            PolicyTarget::Declared(i) => match judge(links, i, how, covers) {
                Some(evidence) => evidence,
                None => return,
            },
            PolicyTarget::External(arn) => {
                if arn.starts_with("arn:aws:iam::aws:policy/") {
                    return; // AWS-managed policies do not enforce MFA.
                }
                Evidence {
                    kind: EvidenceKind::EnforcingPolicy,
                    address: linking.address.clone(),
                    span,
                    covers_all_instances: covers,
                    rejected: Some(format!(
                        "policy `{arn}` ({how}) is not declared in the scanned code, so its content is unknown"
                    )),
                    detail: String::new(),
                }
            }
            PolicyTarget::Unknown => return,
        };
        found.push(evidence);
    };

    // Inline user policies.
    for (i, policy) in model.policies.iter().enumerate() {
        if let PolicyOwner::User(link) = &policy.owner
            && links.user(policy.origin.scope, link) == *subject
        {
            reach(
                PolicyTarget::Declared(i),
                "inline policy of the user".into(),
                &policy.origin,
                policy.origin.span,
            );
        }
    }
    // Managed policies attached to the user.
    for attachment in &model.policy_attachments {
        for target in &attachment.targets {
            if let AttachmentTarget::User(link) = target
                && links.user(attachment.origin.scope, link) == *subject
            {
                let how = format!("attached to the user by `{}`", attachment.origin.address);
                let policy = links.managed_policy(attachment.origin.scope, &attachment.policy);
                reach(policy, how, &attachment.origin, attachment.origin.span);
            }
        }
    }
    // Policies of the user's groups.
    for membership in &model.group_memberships {
        let scope = membership.origin.scope;
        if !membership
            .users
            .iter()
            .any(|l| links.user(scope, l) == *subject)
        {
            continue;
        }
        let group = links.group(scope, &membership.group);
        if group == GroupKey::Unknown {
            continue;
        }
        let group_name = group_label(links, &group);
        for (i, policy) in model.policies.iter().enumerate() {
            if let PolicyOwner::Group(link) = &policy.owner
                && links.group(policy.origin.scope, link) == group
            {
                let how = format!(
                    "inline policy of group {group_name}, which `{}` adds the user to",
                    membership.origin.address
                );
                reach(
                    PolicyTarget::Declared(i),
                    how,
                    &membership.origin,
                    policy.origin.span,
                );
            }
        }
        for attachment in &model.policy_attachments {
            for target in &attachment.targets {
                if let AttachmentTarget::Group(link) = target
                    && links.group(attachment.origin.scope, link) == group
                {
                    let how = format!(
                        "attached to group {group_name} by `{}`, and `{}` adds the user to the group",
                        attachment.origin.address, membership.origin.address
                    );
                    let policy = links.managed_policy(attachment.origin.scope, &attachment.policy);
                    reach(policy, how, &membership.origin, attachment.origin.span);
                }
            }
        }
    }
    found
}

fn group_label(links: &Links<'_>, group: &GroupKey) -> String {
    match group {
        GroupKey::Declared(i) => {
            let g = &links.model.groups[*i];
            match g.name.known() {
                Some(name) => format!("`{name}`"),
                None => format!("`{}`", g.origin.address),
            }
        }
        GroupKey::Named { name, .. } => format!("`{name}`"),
        GroupKey::Unknown => "(unknown)".into(),
    }
}

/// Evidence from one scanned policy reaching the user in a given way;
/// `None` when the policy has nothing to do with MFA.
fn judge(links: &Links<'_>, policy: usize, how: String, covers: bool) -> Option<Evidence> {
    let policy = &links.model.policies[policy];
    let address = policy.origin.address.clone();
    let (rejected, detail) = match &policy.document {
        PolicyDocument::Json { text, .. } => match mfa_verdict(text) {
            MfaVerdict::Enforces { statement } => (
                None,
                format!(
                    "policy `{address}` ({how}) denies everything without MFA in its {statement}"
                ),
            ),
            MfaVerdict::DoesNotEnforce { near_misses } if near_misses.is_empty() => return None,
            MfaVerdict::DoesNotEnforce { near_misses } => (
                Some(format!(
                    "policy `{address}` ({how}) mentions MFA but does not enforce it: its {}",
                    near_misses.join("; its ")
                )),
                String::new(),
            ),
            MfaVerdict::Invalid(why) => (
                Some(format!(
                    "policy `{address}` ({how}) could not be read: {why}"
                )),
                String::new(),
            ),
        },
        PolicyDocument::Unresolved(u) => (
            Some(format!(
                "the document of policy `{address}` ({how}) could not be resolved (`{}`: {})",
                u.expression, u.reason
            )),
            String::new(),
        ),
        PolicyDocument::External { arn, .. } => (
            Some(format!(
                "policy `{arn}` ({how}) is defined outside the scanned code"
            )),
            String::new(),
        ),
    };
    Some(Evidence {
        kind: EvidenceKind::EnforcingPolicy,
        address,
        span: policy.origin.span,
        covers_all_instances: covers,
        rejected,
        detail,
    })
}

/// Whether the instances of `evidence` match those of `user` one to one:
/// the user is single, or both are repeated over the same set of instances
/// (the front-end gives equal symbols to equal instance sets).
fn same_instances(user: &Origin, evidence: &Origin) -> bool {
    match (&user.repeated_by, &evidence.repeated_by) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(u), Some(e)) => u.symbol.is_some() && u.symbol == e.symbol,
    }
}
