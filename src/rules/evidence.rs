//! MFA evidence: facts in the model that show a user has MFA.
//!
//! Each kind of evidence is one provider function, so new kinds plug in
//! beside the others without touching the rules that consume them. A
//! provider also reports what it found but could not accept (a policy that
//! mentions MFA without enforcing it, a document it could not resolve), so a
//! finding can say why the user still fails.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::{
    AttachmentTarget, Link, Origin, PolicyDocument, PolicyOwner, ScopeId, Unresolved,
};
use crate::policy::{MfaVerdict, mfa_verdict};
use crate::resolve::{GroupKey, Links, PolicyTarget, Subject};
use crate::source::Span;

/// Evidence of undetermined user that one finding names; more are counted.
const MAX_NOTES: usize = 5;

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
    /// Rejected because it could not be judged (an unresolved link or
    /// document, a policy outside the scanned code): it may prove MFA, so
    /// the user's status is unknown rather than none.
    pub undetermined: bool,
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
    /// Memberships that add a user to a group that could not be resolved.
    unknown_group_memberships: HashMap<Subject, Vec<usize>>,
    /// MFA verdicts, computed at most once per policy.
    verdicts: Vec<OnceLock<Option<MfaVerdict>>>,
    /// Evidence that reaches users through a link that could not be
    /// evaluated, by scope: it may reach any user of the scope, so every
    /// finding there names it (computed once, on first use).
    /// The subject, when the link is an unresolved symbol, is skipped for
    /// the user it designates (who is linked to it already).
    undetermined: OnceLock<HashMap<ScopeId, Vec<(Subject, Evidence)>>>,
}

impl<'l, 'm> EvidenceIndex<'l, 'm> {
    pub fn new(links: &'l Links<'m>) -> Self {
        let model = links.model;
        // Each kind of evidence indexed on a task of its own (each map is
        // filled in model order, so the same whatever the threads).
        let devices = || by_users(links, &model.mfa_devices, |d| (&d.origin, &d.users));
        let activations = || by_users(links, &model.mfa_activations, |a| (&a.origin, &a.users));
        let policies = || {
            let mut users: HashMap<Subject, Vec<usize>> = HashMap::new();
            let mut groups: HashMap<GroupKey, Vec<usize>> = HashMap::new();
            for (i, policy) in model.policies.iter().enumerate() {
                match &policy.owner {
                    PolicyOwner::User(link) => {
                        let link = std::slice::from_ref(link);
                        for subject in subjects(links, policy.origin.scope, link) {
                            users.entry(subject).or_default().push(i);
                        }
                    }
                    PolicyOwner::Group(link) => {
                        let group = links.group(policy.origin.scope, link);
                        if group != GroupKey::Unknown {
                            groups.entry(group).or_default().push(i);
                        }
                    }
                    PolicyOwner::Managed => {}
                }
            }
            (users, groups)
        };
        let attachments = || {
            let mut users: HashMap<Subject, Vec<usize>> = HashMap::new();
            let mut groups: HashMap<GroupKey, Vec<usize>> = HashMap::new();
            for (i, attachment) in model.policy_attachments.iter().enumerate() {
                let scope = attachment.origin.scope;
                for target in &attachment.targets {
                    match target {
                        AttachmentTarget::User(link) => {
                            for subject in subjects(links, scope, std::slice::from_ref(link)) {
                                users.entry(subject).or_default().push(i);
                            }
                        }
                        AttachmentTarget::Group(link) => {
                            let group = links.group(scope, link);
                            if group != GroupKey::Unknown {
                                groups.entry(group).or_default().push(i);
                            }
                        }
                        AttachmentTarget::Role(_) => {}
                    }
                }
            }
            (users, groups)
        };
        let memberships = || {
            let mut known: HashMap<Subject, Vec<(usize, GroupKey)>> = HashMap::new();
            let mut unknown: HashMap<Subject, Vec<usize>> = HashMap::new();
            for (i, membership) in model.group_memberships.iter().enumerate() {
                let scope = membership.origin.scope;
                let group = links.group(scope, &membership.group);
                if group == GroupKey::Unknown {
                    for subject in subjects(links, scope, &membership.users) {
                        unknown.entry(subject).or_default().push(i);
                    }
                    continue;
                }
                for subject in subjects(links, scope, &membership.users) {
                    known.entry(subject).or_default().push((i, group.clone()));
                }
            }
            (known, unknown)
        };
        let ((devices, activations), (policies, (attachments, memberships))) = rayon::join(
            || rayon::join(devices, activations),
            || rayon::join(policies, || rayon::join(attachments, memberships)),
        );
        EvidenceIndex {
            links,
            devices,
            activations,
            inline_user_policies: policies.0,
            user_attachments: attachments.0,
            memberships: memberships.0,
            inline_group_policies: policies.1,
            group_attachments: attachments.1,
            unknown_group_memberships: memberships.1,
            verdicts: (0..model.policies.len()).map(|_| OnceLock::new()).collect(),
            undetermined: OnceLock::new(),
        }
    }

    /// All MFA evidence for a subject, accepted or not.
    pub fn collect(&self, subject: &Subject) -> Vec<Evidence> {
        if *subject == Subject::Unknown {
            return Vec::new();
        }
        let mut evidence = self.virtual_mfa_devices(subject);
        evidence.extend(self.mfa_activations(subject));
        evidence.extend(self.enforcing_policies(subject));
        evidence.extend(self.unresolved_groups(subject));
        if let Some(scope) = self.scope_of(subject) {
            // A few are named; the others are counted (a scope may hold
            // thousands, and every user of it would repeat them all).
            let mut notes = self
                .undetermined()
                .get(&scope)
                .into_iter()
                .flatten()
                .filter(|(linked, _)| linked != subject);
            evidence.extend(notes.by_ref().take(MAX_NOTES).map(|(_, e)| e.clone()));
            let more = notes.count();
            if more > 0
                && let Some(mut last) = evidence.last().cloned()
            {
                last.rejected = Some(format!(
                    "and {more} more such links in this module tree could not be evaluated"
                ));
                evidence.push(last);
            }
        }
        evidence
    }

    fn scope_of(&self, subject: &Subject) -> Option<ScopeId> {
        match subject {
            Subject::Declared(i) => Some(self.links.model.users[*i].origin.scope),
            Subject::Undeclared { scope, .. } | Subject::Symbol { scope, .. } => Some(*scope),
            Subject::Unknown => None,
        }
    }

    /// Groups the user is added to that could not be resolved, or that no
    /// scanned code declares: their policies are unknown, and the finding
    /// says so rather than claim no policy applies.
    fn unresolved_groups(&self, subject: &Subject) -> Vec<Evidence> {
        let model = self.links.model;
        let mut out = Vec::new();
        for &m in self
            .unknown_group_memberships
            .get(subject)
            .into_iter()
            .flatten()
        {
            let membership = &model.group_memberships[m];
            let what = match &membership.group {
                Link::Unresolved(u) => format!("`{}`: {}", u.expression, u.reason),
                _ => "it matches no group in the scanned code".into(),
            };
            out.push(rejected(
                &membership.origin,
                format!(
                    "`{}` adds the user to a group that could not be resolved ({what}), so whether its policies enforce MFA is unknown",
                    membership.origin.address
                ),
            ));
        }
        for (m, group) in self.memberships.get(subject).into_iter().flatten() {
            let GroupKey::Named { name, .. } = group else {
                continue;
            };
            if self.inline_group_policies.contains_key(group)
                || self.group_attachments.contains_key(group)
            {
                continue;
            }
            let membership = &model.group_memberships[*m];
            out.push(rejected(
                &membership.origin,
                format!(
                    "`{}` adds the user to group `{name}`, which no scanned code declares, so whether its policies enforce MFA is unknown",
                    membership.origin.address
                ),
            ));
        }
        out
    }

    /// Evidence whose user could not be determined, by scope: a device
    /// whose name, a membership whose users, a policy or attachment whose
    /// user or group could not be evaluated. Only what could prove MFA is
    /// kept: a membership of a group with policies, a policy that enforces
    /// MFA or could not be read.
    fn undetermined(&self) -> &HashMap<ScopeId, Vec<(Subject, Evidence)>> {
        self.undetermined.get_or_init(|| {
            let links = self.links;
            let model = links.model;
            let mut out: HashMap<ScopeId, Vec<(Subject, Evidence)>> = HashMap::new();
            let unknown_users = |scope: ScopeId, users: &'m [Link]| {
                users
                    .iter()
                    .filter_map(move |l| undetermined_user(links, scope, l))
            };
            for device in &model.mfa_devices {
                for (linked, u) in unknown_users(device.origin.scope, &device.users) {
                    out.entry(device.origin.scope).or_default().push((linked, rejected(
                        &device.origin,
                        format!(
                            "virtual MFA device `{}` may be named for this user, but its name could not be evaluated (`{}`: {})",
                            device.origin.address, u.expression, u.reason
                        ),
                    )));
                }
            }
            for membership in &model.group_memberships {
                let scope = membership.origin.scope;
                let group = links.group(scope, &membership.group);
                if !self.inline_group_policies.contains_key(&group)
                    && !self.group_attachments.contains_key(&group)
                {
                    continue;
                }
                for (linked, u) in unknown_users(scope, &membership.users) {
                    out.entry(scope).or_default().push((linked, rejected(
                        &membership.origin,
                        format!(
                            "the members of group {} that `{}` adds could not be evaluated (`{}`: {})",
                            group_label(links, &group),
                            membership.origin.address,
                            u.expression,
                            u.reason
                        ),
                    )));
                }
            }
            for (i, policy) in model.policies.iter().enumerate() {
                let scope = policy.origin.scope;
                let unknown_owner = match &policy.owner {
                    PolicyOwner::User(link) => undetermined_user(links, scope, link),
                    PolicyOwner::Group(link) => undetermined_group(links, scope, link),
                    PolicyOwner::Managed => None,
                };
                let Some((linked, u)) = unknown_owner else {
                    continue;
                };
                if let Some(what) = self.may_enforce(i) {
                    out.entry(scope).or_default().push((linked, rejected(
                        &policy.origin,
                        format!(
                            "policy `{}` {what}, but the user or group it belongs to could not be evaluated (`{}`: {})",
                            policy.origin.address, u.expression, u.reason
                        ),
                    )));
                }
            }
            for attachment in &model.policy_attachments {
                let scope = attachment.origin.scope;
                let PolicyTarget::Declared(i) = links.managed_policy(scope, &attachment.policy)
                else {
                    continue;
                };
                let Some(what) = self.may_enforce(i) else {
                    continue;
                };
                for target in &attachment.targets {
                    let unknown = match target {
                        AttachmentTarget::User(link) => undetermined_user(links, scope, link),
                        AttachmentTarget::Group(link) => undetermined_group(links, scope, link),
                        AttachmentTarget::Role(_) => None,
                    };
                    if let Some((linked, u)) = unknown {
                        out.entry(scope).or_default().push((linked, rejected(
                            &attachment.origin,
                            format!(
                                "`{}` attaches policy `{}`, which {what}, to a user or group that could not be evaluated (`{}`: {})",
                                attachment.origin.address,
                                model.policies[i].origin.address,
                                u.expression,
                                u.reason
                            ),
                        )));
                    }
                }
            }
            out
        })
    }

    /// How a scanned policy might enforce MFA: it does, or its document
    /// could not be resolved; `None` when it certainly does not.
    fn may_enforce(&self, policy: usize) -> Option<&'static str> {
        match &self.links.model.policies[policy].document {
            PolicyDocument::Json { .. } => match self.verdict(policy)? {
                MfaVerdict::Enforces { .. } => Some("denies everything without MFA"),
                MfaVerdict::Undetermined { .. } => Some("could not be fully evaluated"),
                _ => None,
            },
            PolicyDocument::Unresolved(_) => Some("could not be resolved"),
            PolicyDocument::External { .. } => None,
        }
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
                    undetermined: false,
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
                    undetermined: false,
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
                        undetermined: true,
                        detail: String::new(),
                    }
                }
                PolicyTarget::Unknown(why) => Evidence {
                    kind: EvidenceKind::EnforcingPolicy,
                    address: linking.address.clone(),
                    span,
                    covers_all_instances: covers,
                    rejected: Some(format!(
                        "the policy {how} could not be resolved ({why}), so whether it enforces MFA is unknown"
                    )),
                    undetermined: true,
                    detail: String::new(),
                },
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
                MfaVerdict::Undetermined { unknown } => (
                    Some(format!(
                        "policy `{address}` ({how}) may enforce MFA, but its {} could not be evaluated",
                        unknown.join(", its ")
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
        // Only a policy read whole and found not to enforce MFA is known
        // not to prove it.
        let undetermined = rejected.is_some()
            && !matches!(self.verdict(index), Some(MfaVerdict::DoesNotEnforce { .. }));
        Some(Evidence {
            kind: EvidenceKind::EnforcingPolicy,
            address,
            span: policy.origin.span,
            covers_all_instances: covers,
            rejected,
            undetermined,
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

/// A user link that could not be resolved and may therefore stand for any
/// user of its scope (unknown, or an unknown symbol), with why.
fn undetermined_user<'m>(
    links: &Links<'_>,
    scope: ScopeId,
    link: &'m Link,
) -> Option<(Subject, &'m Unresolved)> {
    match (links.user(scope, link), link) {
        (subject @ (Subject::Unknown | Subject::Symbol { .. }), Link::Unresolved(u)) => {
            Some((subject, u))
        }
        _ => None,
    }
}

/// A group link that could not be resolved, with why.
fn undetermined_group<'m>(
    links: &Links<'_>,
    scope: ScopeId,
    link: &'m Link,
) -> Option<(Subject, &'m Unresolved)> {
    match (links.group(scope, link), link) {
        (GroupKey::Unknown, Link::Unresolved(u)) => Some((Subject::Unknown, u)),
        _ => None,
    }
}

/// Evidence that does not prove MFA, for the reason given.
fn rejected(origin: &Origin, why: String) -> Evidence {
    Evidence {
        kind: EvidenceKind::EnforcingPolicy,
        address: origin.address.clone(),
        span: origin.span,
        covers_all_instances: false,
        rejected: Some(why),
        undetermined: true,
        detail: String::new(),
    }
}

/// Each item's index by the users it names (in model order).
fn by_users<T>(
    links: &Links<'_>,
    items: &[T],
    named: impl Fn(&T) -> (&Origin, &[Link]),
) -> HashMap<Subject, Vec<usize>> {
    let mut by_user: HashMap<Subject, Vec<usize>> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let (origin, users) = named(item);
        for subject in subjects(links, origin.scope, users) {
            by_user.entry(subject).or_default().push(i);
        }
    }
    by_user
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
