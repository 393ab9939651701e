//! MFA evidence: facts in the model that show a user has MFA.
//!
//! Each kind of evidence is one provider function, so new kinds plug in
//! beside the others without touching the rules that consume them. A
//! provider also reports what it found but could not accept (a policy that
//! mentions MFA without enforcing it, a document it could not resolve), so a
//! finding can say why the user still fails.

use std::cell::OnceCell;
use std::collections::HashMap;

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

/// Who each evidence-bearing entity points at, computed once per scan so
/// that looking up one user's evidence does not walk the whole model (which
/// made large trees quadratic).
pub struct EvidenceIndex<'l, 'm> {
    links: &'l Links<'m>,
    devices: HashMap<Subject, Vec<usize>>,
    activations: HashMap<Subject, Vec<usize>>,
    inline_user_policies: HashMap<Subject, Vec<usize>>,
    /// (attachment, policy it attaches) by user.
    user_attachments: HashMap<Subject, Vec<usize>>,
    /// (membership, group) by user.
    memberships: HashMap<Subject, Vec<(usize, GroupKey)>>,
    inline_group_policies: HashMap<GroupKey, Vec<usize>>,
    group_attachments: HashMap<GroupKey, Vec<usize>>,
    /// MFA verdicts, computed at most once per policy.
    verdicts: Vec<OnceCell<Option<MfaVerdict>>>,
}

impl<'l, 'm> EvidenceIndex<'l, 'm> {
    pub fn new(links: &'l Links<'m>) -> Self {
        let model = links.model;
        let mut index = EvidenceIndex {
            links,
            devices: HashMap::new(),
            activations: HashMap::new(),
            inline_user_policies: HashMap::new(),
            user_attachments: HashMap::new(),
            memberships: HashMap::new(),
            inline_group_policies: HashMap::new(),
            group_attachments: HashMap::new(),
            verdicts: (0..model.policies.len()).map(|_| OnceCell::new()).collect(),
        };
        for (i, device) in model.mfa_devices.iter().enumerate() {
            for subject in subjects(links, device.origin.scope, &device.users) {
                index.devices.entry(subject).or_default().push(i);
            }
        }
        for (i, activation) in model.mfa_activations.iter().enumerate() {
            for subject in subjects(links, activation.origin.scope, &activation.users) {
                index.activations.entry(subject).or_default().push(i);
            }
        }
        for (i, policy) in model.policies.iter().enumerate() {
            match &policy.owner {
                PolicyOwner::User(link) => {
                    for subject in subjects(links, policy.origin.scope, std::slice::from_ref(link))
                    {
                        index
                            .inline_user_policies
                            .entry(subject)
                            .or_default()
                            .push(i);
                    }
                }
                PolicyOwner::Group(link) => {
                    let group = links.group(policy.origin.scope, link);
                    if group != GroupKey::Unknown {
                        index
                            .inline_group_policies
                            .entry(group)
                            .or_default()
                            .push(i);
                    }
                }
                PolicyOwner::Managed => {}
            }
        }
        for (i, attachment) in model.policy_attachments.iter().enumerate() {
            let scope = attachment.origin.scope;
            for target in &attachment.targets {
                match target {
                    AttachmentTarget::User(link) => {
                        for subject in subjects(links, scope, std::slice::from_ref(link)) {
                            index.user_attachments.entry(subject).or_default().push(i);
                        }
                    }
                    AttachmentTarget::Group(link) => {
                        let group = links.group(scope, link);
                        if group != GroupKey::Unknown {
                            index.group_attachments.entry(group).or_default().push(i);
                        }
                    }
                    AttachmentTarget::Role(_) => {}
                }
            }
        }
        for (i, membership) in model.group_memberships.iter().enumerate() {
            let scope = membership.origin.scope;
            let group = links.group(scope, &membership.group);
            if group == GroupKey::Unknown {
                continue;
            }
            for subject in subjects(links, scope, &membership.users) {
                index
                    .memberships
                    .entry(subject)
                    .or_default()
                    .push((i, group.clone()));
            }
        }
        index
    }

    /// All MFA evidence for a subject, accepted or not.
    pub fn collect(&self, subject: &Subject) -> Vec<Evidence> {
        if *subject == Subject::Unknown {
            return Vec::new();
        }
        let mut evidence = self.virtual_mfa_devices(subject);
        evidence.extend(self.mfa_activations(subject));
        evidence.extend(self.enforcing_policies(subject));
        evidence
    }

    fn user_origin(&self, subject: &Subject) -> Option<&'m Origin> {
        match subject {
            Subject::Declared(i) => Some(&self.links.model.users[*i].origin),
            _ => None,
        }
    }

    fn virtual_mfa_devices(&self, subject: &Subject) -> Vec<Evidence> {
        let user = self.user_origin(subject);
        let devices = &self.links.model.mfa_devices;
        self.devices
            .get(subject)
            .into_iter()
            .flatten()
            .map(|&i| {
                let device = &devices[i];
                Evidence {
                    kind: EvidenceKind::VirtualMfaDevice,
                    address: device.origin.address.clone(),
                    span: device.origin.span,
                    covers_all_instances: user.is_none_or(|u| same_instances(u, &device.origin)),
                    rejected: None,
                    detail: format!(
                        "virtual MFA device `{}` is named for the user",
                        device.origin.address
                    ),
                }
            })
            .collect()
    }

    fn mfa_activations(&self, subject: &Subject) -> Vec<Evidence> {
        let user = self.user_origin(subject);
        let activations = &self.links.model.mfa_activations;
        self.activations
            .get(subject)
            .into_iter()
            .flatten()
            .map(|&i| {
                let a = &activations[i];
                Evidence {
                    kind: EvidenceKind::MfaActivation,
                    address: a.origin.address.clone(),
                    span: a.origin.span,
                    covers_all_instances: user.is_none_or(|u| same_instances(u, &a.origin)),
                    rejected: None,
                    detail: format!(
                        "`{}` runs `aws iam enable-mfa-device` for the user",
                        a.origin.address
                    ),
                }
            })
            .collect()
    }

    /// Policies that apply to the user, directly or through its groups,
    /// judged by [`mfa_verdict`].
    fn enforcing_policies(&self, subject: &Subject) -> Vec<Evidence> {
        let links = self.links;
        let model = links.model;
        let user = self.user_origin(subject);
        let mut found = Vec::new();
        let mut reach = |target: PolicyTarget, how: String, linking: &Origin, span: Span| {
            let covers = user.is_none_or(|u| same_instances(u, linking));
            let evidence = match target {
                PolicyTarget::Declared(i) => match self.judge(i, how, covers) {
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
        for &i in self.inline_user_policies.get(subject).into_iter().flatten() {
            let policy = &model.policies[i];
            reach(
                PolicyTarget::Declared(i),
                "inline policy of the user".into(),
                &policy.origin,
                policy.origin.span,
            );
        }
        for &i in self.user_attachments.get(subject).into_iter().flatten() {
            let attachment = &model.policy_attachments[i];
            let how = format!("attached to the user by `{}`", attachment.origin.address);
            let policy = links.managed_policy(attachment.origin.scope, &attachment.policy);
            reach(policy, how, &attachment.origin, attachment.origin.span);
        }
        for (m, group) in self.memberships.get(subject).into_iter().flatten() {
            let membership = &model.group_memberships[*m];
            let group_name = group_label(links, group);
            for &i in self.inline_group_policies.get(group).into_iter().flatten() {
                let how = format!(
                    "inline policy of group {group_name}, which `{}` adds the user to",
                    membership.origin.address
                );
                reach(
                    PolicyTarget::Declared(i),
                    how,
                    &membership.origin,
                    model.policies[i].origin.span,
                );
            }
            for &a in self.group_attachments.get(group).into_iter().flatten() {
                let attachment = &model.policy_attachments[a];
                let how = format!(
                    "attached to group {group_name} by `{}`, and `{}` adds the user to the group",
                    attachment.origin.address, membership.origin.address
                );
                let policy = links.managed_policy(attachment.origin.scope, &attachment.policy);
                reach(policy, how, &membership.origin, attachment.origin.span);
            }
        }
        found
    }

    /// Evidence from one scanned policy reaching the user in a given way;
    /// `None` when the policy has nothing to do with MFA.
    fn judge(&self, index: usize, how: String, covers: bool) -> Option<Evidence> {
        let policy = &self.links.model.policies[index];
        let address = policy.origin.address.clone();
        let (rejected, detail) = match &policy.document {
            PolicyDocument::Json { .. } => match self.verdict(index)?.clone() {
                MfaVerdict::Enforces { statement } => (
                    None,
                    format!(
                        "policy `{address}` ({how}) denies everything without MFA in its {statement}"
                    ),
                ),
                MfaVerdict::DoesNotEnforce { near_misses } if near_misses.is_empty() => {
                    return None;
                }
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

    /// The MFA verdict of a scanned policy's JSON document, computed once.
    fn verdict(&self, policy: usize) -> Option<&MfaVerdict> {
        self.verdicts[policy]
            .get_or_init(|| match &self.links.model.policies[policy].document {
                PolicyDocument::Json { text, .. } => Some(mfa_verdict(text)),
                _ => None,
            })
            .as_ref()
    }
}

/// The subjects a list of user links designates (unknown ones dropped).
fn subjects(
    links: &Links<'_>,
    scope: crate::model::ScopeId,
    users: &[crate::model::Link],
) -> Vec<Subject> {
    let mut out: Vec<Subject> = users
        .iter()
        .map(|l| links.user(scope, l))
        .filter(|s| *s != Subject::Unknown)
        .collect();
    out.sort();
    out.dedup();
    out
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
