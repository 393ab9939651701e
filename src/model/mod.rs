//! The IAM model: the format-agnostic facts every rule reads.
//!
//! Front-ends fill it; rules never see HCL, YAML or JSON. Each entity keeps
//! the span of its declaration and the scope (a Terraform module folder, a
//! CloudFormation template) inside which its references resolve.
//!
//! Values a front-end could not resolve stay explicitly [`Unresolved`], with
//! the expression that blocked them, so a rule can report instead of guessing.

use crate::source::Span;

mod entities;
mod services;

pub use entities::*;
pub use services::*;

/// Identifies the scope in which addresses resolve (one Terraform module
/// folder, one CloudFormation template).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScopeId(pub u32);

/// Where and what an entity is: its scope, logical address and declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub scope: ScopeId,
    /// Logical address in the source format, e.g. `aws_iam_user.alice`.
    pub address: String,
    /// The declaration header (e.g. `resource "aws_iam_user" "alice"`).
    pub span: Span,
    /// Set when the declaration expands to several instances (`count`,
    /// `for_each`) that the front-end did not expand. Its `symbol` names the
    /// set of instances: equal symbols mean instances that match one to one.
    pub repeated_by: Option<Unresolved>,
    /// The module calls (address, call header) through which the entity is
    /// created, outermost first; empty in a root module or a template.
    pub via: Vec<(String, Span)>,
    /// When the entity exists only under a condition (a CloudFormation
    /// `Condition`), in words; it is still checked.
    pub condition: Option<String>,
    /// Where a Terraform plan records the entity, when `span` is its
    /// declaration in a scanned `.tf` file.
    pub planned_at: Option<Span>,
    /// The root module folder the entity is created from, when it is
    /// created through module calls: a module reached from two roots (two
    /// environments, two accounts) makes two entities at one place, told
    /// apart by their root.
    pub root: Option<String>,
    /// Whether messages name the root: not when it is a folder the scan
    /// was asked for (it is evident), nor the only one.
    pub root_shown: bool,
}

impl Origin {
    /// An entity declared directly in a scope's file: no module calls, no
    /// condition, no plan, no instances.
    pub fn plain(scope: ScopeId, address: impl Into<String>, span: Span) -> Self {
        Origin {
            scope,
            address: address.into(),
            span,
            repeated_by: None,
            via: Vec::new(),
            condition: None,
            planned_at: None,
            root: None,
            root_shown: false,
        }
    }

    /// The entity's identity across runs: its address, and its root when
    /// it is created through module calls.
    pub fn identity(&self) -> String {
        match &self.root {
            Some(root) => format!("{}@{root}", self.address),
            None => self.address.clone(),
        }
    }

    /// `, root module `prod``, when the root is not evident (not the
    /// folder the scan was run on).
    pub fn root_note(&self) -> String {
        match &self.root {
            Some(root) if self.root_shown => format!(", root module `{root}`"),
            _ => String::new(),
        }
    }
}

/// A value that could not be resolved statically, and why.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unresolved {
    /// The source text of the expression that could not be resolved.
    pub expression: String,
    /// Why, in words (e.g. "variable `user` has no default value").
    pub reason: String,
    pub span: Span,
    /// A canonical symbol for the unknown value (e.g. `var.user`), when two
    /// expressions that mention it are known to hold the same value.
    pub symbol: Option<String>,
}

/// A name that is either known or unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Known(String),
    Unresolved(Unresolved),
}

impl Name {
    pub fn known(&self) -> Option<&str> {
        match self {
            Name::Known(name) => Some(name),
            Name::Unresolved(_) => None,
        }
    }
}

/// How one entity points at another (a user, a group, a policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A reference to the entity declared at this logical address in the
    /// same scope (`aws_iam_user.alice.name`, `!Ref Alice`).
    Address { address: String, span: Span },
    /// A literal or resolved name (`"alice"`, `"${var.prefix}-alice"`).
    Name { name: String, span: Span },
    /// Could not be resolved.
    Unresolved(Unresolved),
    /// A link resolved in another scope: a CloudFormation
    /// `Fn::ImportValue` of what another scanned template exports.
    Imported { scope: ScopeId, target: Box<Link> },
}

impl Link {
    pub fn span(&self) -> Span {
        match self {
            Link::Address { span, .. } | Link::Name { span, .. } => *span,
            Link::Unresolved(u) => u.span,
            Link::Imported { target, .. } => target.span(),
        }
    }
}

/// Everything the front-ends found in one scan.
#[derive(Debug, Default)]
pub struct Model {
    pub users: Vec<User>,
    pub login_profiles: Vec<LoginProfile>,
    pub mfa_devices: Vec<VirtualMfaDevice>,
    pub mfa_activations: Vec<MfaActivation>,
    pub groups: Vec<Group>,
    pub group_memberships: Vec<GroupMembership>,
    pub policies: Vec<Policy>,
    pub policy_attachments: Vec<PolicyAttachment>,
    pub exceptions: Vec<RecordedException>,
    pub service_resources: Vec<ServiceResource>,
    pub reported_users: Vec<ReportedUser>,
    /// What each scope was built from: the folders whose files it read
    /// (any file changed, added or deleted directly in one may change it)
    /// and the files it read or tried to read elsewhere. `--changed` maps
    /// a change to the scopes it reaches with this.
    pub scope_inputs: Vec<(ScopeId, std::collections::BTreeSet<std::path::PathBuf>)>,
    /// Scopes that import what other scopes export (CloudFormation
    /// `Fn::ImportValue`): a change to any template may reach them.
    pub importing: Vec<ScopeId>,
    /// Input warnings found while building the model (a local module whose
    /// folder is not in the scan): shown, without failing the scan.
    pub warnings: Vec<crate::diagnostic::InputError>,
}

/// Calls `$then!` with the name of every list of a [`Model`], named once
/// here for joining models. `Model::concat` destructures with them and no
/// `..`, so a list added to `Model` and not named here does not compile.
macro_rules! with_model_lists {
    ($then:ident) => {
        $then!(
            users,
            login_profiles,
            mfa_devices,
            mfa_activations,
            groups,
            group_memberships,
            policies,
            policy_attachments,
            exceptions,
            service_resources,
            reported_users,
            scope_inputs,
            importing,
            warnings
        )
    };
}

impl Model {
    /// The models joined in order, each list allocated once and joined on
    /// a task of its own: thousands of scopes on a large scan, which one
    /// thread joined while the other waited.
    pub fn concat(parts: Vec<Model>) -> Model {
        let mut model = Model::default();
        macro_rules! join {
            ($($list:ident),*) => {
                $(let mut $list = Vec::with_capacity(parts.len());)*
                for mut part in parts {
                    $($list.push(std::mem::take(&mut part.$list));)*
                    // Every list is named: no `..`.
                    let Model { $($list: _),* } = part;
                }
                rayon::scope(|tasks| {
                    $(
                        let joined = &mut model.$list;
                        tasks.spawn(move |_| {
                            joined.reserve_exact($list.iter().map(Vec::len).sum());
                            for list in $list {
                                joined.extend(list);
                            }
                        });
                    )*
                });
            };
        }
        with_model_lists!(join);
        model
    }
}
