//! MFA evidence: facts in the model that show a user has MFA.
//!
//! Each kind of evidence is one provider function, so later kinds
//! (MFA-enforcing policies, groups, enable-mfa-device) plug in beside the
//! virtual MFA device without touching the rules that consume them.

use crate::model::Origin;
use crate::resolve::{Links, Subject};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceKind {
    VirtualMfaDevice,
}

impl EvidenceKind {
    pub fn describe(self) -> &'static str {
        match self {
            EvidenceKind::VirtualMfaDevice => "virtual MFA device",
        }
    }
}

/// One piece of evidence that a subject has MFA.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub address: String,
    pub span: Span,
    /// False when the user's instances (`count`, `for_each`) cannot be
    /// matched one by one with the evidence's instances.
    pub covers_all_instances: bool,
}

type Provider = fn(&Links<'_>, &Subject) -> Vec<Evidence>;

/// Every evidence provider, in the order their evidence is reported.
const PROVIDERS: &[Provider] = &[virtual_mfa_devices];

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

fn virtual_mfa_devices(links: &Links<'_>, subject: &Subject) -> Vec<Evidence> {
    let user_origin = match subject {
        Subject::Declared(i) => Some(&links.model.users[*i].origin),
        _ => None,
    };
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
            covers_all_instances: user_origin
                .is_none_or(|user| same_instances(user, &device.origin)),
        })
        .collect()
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
