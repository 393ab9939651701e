//! Resolves links between model entities: which user a login profile, a
//! device or a membership points at, which group a membership or a group
//! policy names, which managed policy an attachment attaches.
//!
//! Format-agnostic: links were already reduced to an address, a name or an
//! unresolved expression by the front-ends. Resolution happens inside one
//! scope (a Terraform module folder, a CloudFormation template), as the
//! formats themselves resolve references.

use std::collections::HashMap;

use crate::model::{Link, Model, Name, Origin, PolicyOwner, ScopeId, Unresolved};

/// Who a link designates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// A user declared in the scanned code (index into `Model::users`).
    Declared(usize),
    /// A user named in the code but not declared in its scope.
    Undeclared { scope: ScopeId, name: String },
    /// An unresolved value known only by its symbol (e.g. `var.user`):
    /// links with the same symbol in one scope designate the same user.
    Symbol { scope: ScopeId, symbol: String },
    /// Could not be resolved and matches nothing else.
    Unknown,
}

/// Which group a link designates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKey {
    /// Index into `Model::groups`.
    Declared(usize),
    /// A group named in the code but not declared in its scope.
    Named {
        scope: ScopeId,
        name: String,
    },
    Unknown,
}

/// Which managed policy an attachment attaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyTarget {
    /// Index into `Model::policies` (a managed policy of the scanned code).
    Declared(usize),
    /// An ARN that no scanned policy declares (AWS-managed or elsewhere).
    External(String),
    /// Not resolvable, and why.
    Unknown(String),
}

/// Address and name indexes of one kind of entity, per scope.
#[derive(Default)]
struct EntityIndex<'m> {
    by_address: HashMap<(ScopeId, &'m str), usize>,
    by_name: HashMap<(ScopeId, &'m str), usize>,
}

impl<'m> EntityIndex<'m> {
    fn add(&mut self, i: usize, origin: &'m Origin, name: &'m Name) {
        self.by_address
            .entry((origin.scope, origin.address.as_str()))
            .or_insert(i);
        if let Name::Known(n) = name {
            self.by_name.entry((origin.scope, n.as_str())).or_insert(i);
        }
    }

    fn address(&self, scope: ScopeId, address: &str) -> Option<usize> {
        self.by_address.get(&(scope, address)).copied()
    }

    fn name(&self, scope: ScopeId, name: &str) -> Option<usize> {
        self.by_name.get(&(scope, name)).copied()
    }
}

/// Indexes over the model's entities for link resolution.
pub struct Links<'m> {
    pub model: &'m Model,
    groups: EntityIndex<'m>,
    managed_policies: EntityIndex<'m>,
    /// Several users can share an address only in invalid code (such as a
    /// folder of unrelated test fixtures); links then prefer their own file.
    by_address: HashMap<(ScopeId, &'m str), Vec<usize>>,
    by_name: HashMap<(ScopeId, &'m str), usize>,
    by_symbol: HashMap<(ScopeId, &'m str), usize>,
}

impl<'m> Links<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut links = Links {
            model,
            groups: EntityIndex::default(),
            managed_policies: EntityIndex::default(),
            by_address: HashMap::new(),
            by_name: HashMap::new(),
            by_symbol: HashMap::new(),
        };
        for (i, group) in model.groups.iter().enumerate() {
            links.groups.add(i, &group.origin, &group.name);
        }
        for (i, policy) in model.policies.iter().enumerate() {
            if matches!(policy.owner, PolicyOwner::Managed) {
                links.managed_policies.add(i, &policy.origin, &policy.name);
            }
        }
        for (i, user) in model.users.iter().enumerate() {
            let scope = user.origin.scope;
            links
                .by_address
                .entry((scope, user.origin.address.as_str()))
                .or_default()
                .push(i);
            match &user.name {
                Name::Known(name) => {
                    links.by_name.entry((scope, name.as_str())).or_insert(i);
                }
                Name::Unresolved(Unresolved {
                    symbol: Some(symbol),
                    ..
                }) => {
                    links.by_symbol.entry((scope, symbol.as_str())).or_insert(i);
                }
                Name::Unresolved(_) => {}
            }
        }
        links
    }

    /// The group a link in `scope` designates.
    pub fn group(&self, scope: ScopeId, link: &Link) -> GroupKey {
        match link {
            Link::Address { address, .. } => self
                .groups
                .address(scope, address)
                .map_or(GroupKey::Unknown, GroupKey::Declared),
            Link::Name { name, .. } => match self.groups.name(scope, name) {
                Some(i) => GroupKey::Declared(i),
                None => GroupKey::Named {
                    scope,
                    name: name.clone(),
                },
            },
            Link::Unresolved(_) => GroupKey::Unknown,
            Link::Imported { scope, target } => self.group(*scope, target),
        }
    }

    /// The managed policy a link in `scope` designates: by address, or by
    /// an ARN whose last segment names a scanned managed policy.
    pub fn managed_policy(&self, scope: ScopeId, link: &Link) -> PolicyTarget {
        match link {
            Link::Address { address, .. } => {
                self.managed_policies.address(scope, address).map_or_else(
                    || PolicyTarget::Unknown(format!("`{address}` matches no declared policy")),
                    PolicyTarget::Declared,
                )
            }
            Link::Name { name, .. } => {
                let policy_name = name.rsplit(['/', ':']).next().unwrap_or(name);
                match self.managed_policies.name(scope, policy_name) {
                    Some(i) if name.contains(":policy/") || !name.starts_with("arn:") => {
                        PolicyTarget::Declared(i)
                    }
                    _ => PolicyTarget::External(name.clone()),
                }
            }
            Link::Unresolved(u) => {
                PolicyTarget::Unknown(format!("`{}`: {}", u.expression, u.reason))
            }
            Link::Imported { scope, target } => self.managed_policy(*scope, target),
        }
    }

    /// The user a link in `scope` designates.
    pub fn user(&self, scope: ScopeId, link: &Link) -> Subject {
        match link {
            Link::Address { address, span } => {
                // An instance of a resource whose instances were not expanded
                // is that resource's one entity.
                let candidates = self.by_address.get(&(scope, address.as_str())).or_else(|| {
                    let base = address.split('[').next().unwrap_or(address);
                    self.by_address
                        .get(&(scope, base))
                        .filter(|c| self.model.users[c[0]].origin.repeated_by.is_some())
                });
                match candidates {
                    Some(candidates) => {
                        let same_file = candidates
                            .iter()
                            .find(|&&i| self.model.users[i].origin.span.file == span.file);
                        Subject::Declared(*same_file.unwrap_or(&candidates[0]))
                    }
                    None => Subject::Unknown,
                }
            }
            Link::Name { name, .. } => match self.by_name.get(&(scope, name.as_str())) {
                Some(&i) => Subject::Declared(i),
                None => Subject::Undeclared {
                    scope,
                    name: name.clone(),
                },
            },
            Link::Unresolved(Unresolved {
                symbol: Some(symbol),
                ..
            }) => match self.by_symbol.get(&(scope, symbol.as_str())) {
                Some(&i) => Subject::Declared(i),
                None => Subject::Symbol {
                    scope,
                    symbol: symbol.clone(),
                },
            },
            Link::Unresolved(_) => Subject::Unknown,
            Link::Imported { scope, target } => self.user(*scope, target),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, User};
    use crate::source::{FileId, Span};

    fn span() -> Span {
        Span::new(FileId(0), 0..1)
    }

    fn user(scope: u32, address: &str, name: Name) -> User {
        User {
            origin: Origin::plain(ScopeId(scope), address, span()),
            name,
        }
    }

    fn unresolved(symbol: Option<&str>) -> Unresolved {
        Unresolved {
            expression: "var.x".into(),
            reason: "no default".into(),
            span: span(),
            symbol: symbol.map(Into::into),
        }
    }

    fn model() -> Model {
        Model {
            users: vec![
                user(0, "aws_iam_user.a", Name::Known("alice".into())),
                user(
                    0,
                    "aws_iam_user.b",
                    Name::Unresolved(unresolved(Some("var.x"))),
                ),
                user(1, "aws_iam_user.a", Name::Known("other".into())),
            ],
            ..Model::default()
        }
    }

    #[test]
    fn addresses_resolve_within_their_scope() {
        let model = model();
        let links = Links::new(&model);
        let link = Link::Address {
            address: "aws_iam_user.a".into(),
            span: span(),
        };
        assert_eq!(links.user(ScopeId(0), &link), Subject::Declared(0));
        assert_eq!(links.user(ScopeId(1), &link), Subject::Declared(2));
        assert_eq!(links.user(ScopeId(2), &link), Subject::Unknown);
    }

    #[test]
    fn names_link_to_declared_users_or_stay_named() {
        let model = model();
        let links = Links::new(&model);
        let name = |n: &str| Link::Name {
            name: n.into(),
            span: span(),
        };
        assert_eq!(links.user(ScopeId(0), &name("alice")), Subject::Declared(0));
        assert_eq!(
            links.user(ScopeId(1), &name("alice")),
            Subject::Undeclared {
                scope: ScopeId(1),
                name: "alice".into()
            }
        );
    }

    #[test]
    fn same_unknown_symbol_links_to_the_user_named_by_it() {
        let model = model();
        let links = Links::new(&model);
        let by_symbol = Link::Unresolved(unresolved(Some("var.x")));
        assert_eq!(links.user(ScopeId(0), &by_symbol), Subject::Declared(1));
        let opaque = Link::Unresolved(unresolved(None));
        assert_eq!(links.user(ScopeId(0), &opaque), Subject::Unknown);
    }
}
