//! Facts beyond AWS IAM: the declared settings of other services' resources
//! (GitLab, Okta, Azure AD, MongoDB Atlas, Alibaba Cloud, IBM Cloud), and
//! the rows of an AWS IAM credential report.
//!
//! Service resources are kept as the provider sees them (argument names,
//! nested blocks, values) because their meaning is the provider's schema,
//! which the rules interpret; how the values were written (HCL, JSON, a
//! plan) is gone by the time they get here.

use std::collections::{BTreeMap, BTreeSet};

use super::{Origin, Unresolved};
use crate::source::Span;

/// What one rule reads of other services' resources, declared beside its
/// check (`crate::rules`): the resource types, and the nested block types
/// it follows into. The front-ends learn from the union of these
/// ([`Schema`]) which resources to keep and how to read a `.tf.json`
/// object, so that what a rule reads is written down once.
#[derive(Debug, Clone, Copy)]
pub struct Reads {
    pub resources: &'static [&'static str],
    /// Nested block types on the way to an argument the rule reads
    /// (`conditions` in `conditions.users.included_users`): in JSON
    /// syntax an object cannot say whether it is a map argument or a
    /// block, and Terraform asks the provider's schema.
    pub blocks: &'static [&'static str],
}

impl Reads {
    /// For rules that read the IAM model or exception comments, not
    /// service resources.
    pub const NOTHING: Reads = Reads {
        resources: &[],
        blocks: &[],
    };
}

/// What every rule reads together: the resource types of other services
/// that the model keeps (those whose settings decide whether people must
/// use MFA, and those that show a module manages people or sign-ins), and
/// the nested block types they are read through.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    resources: BTreeSet<&'static str>,
    blocks: BTreeSet<&'static str>,
}

impl Schema {
    pub fn of<'a>(reads: impl IntoIterator<Item = &'a Reads>) -> Self {
        let mut schema = Schema::default();
        for r in reads {
            schema.resources.extend(r.resources);
            schema.blocks.extend(r.blocks);
        }
        schema
    }

    /// Whether the model keeps resources of this type as
    /// [`ServiceResource`]s.
    pub fn keeps(&self, resource_type: &str) -> bool {
        self.resources.contains(resource_type)
    }

    /// Whether a rule reads nested blocks of this type.
    pub fn is_block(&self, block_type: &str) -> bool {
        self.blocks.contains(block_type)
    }

    /// The kept resource types, sorted.
    pub fn resource_types(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.resources.iter().copied()
    }

    /// The kept type (`data.github_organization`) of a data source type
    /// (`github_organization`), if rules read it: data sources are kept
    /// as service resources whose type has the `data.` prefix.
    pub fn kept_data_source(&self, data_type: &str) -> Option<&'static str> {
        self.resources
            .iter()
            .copied()
            .find(|t| t.strip_prefix("data.") == Some(data_type))
    }
}

/// A declared value, statically resolved or not.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Setting>),
    Map(BTreeMap<String, Setting>),
    Unresolved(Unresolved),
}

impl Setting {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Setting::Bool(b) => Some(*b),
            // Terraform converts "true"/"false" strings to booleans.
            Setting::String(s) if s == "true" => Some(true),
            Setting::String(s) if s == "false" => Some(false),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Setting::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Setting::Number(n) => Some(*n),
            Setting::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    /// The strings of a list (or a single string), or `None` when any
    /// element is not a resolved string.
    pub fn strings(&self) -> Option<Vec<&str>> {
        match self {
            Setting::String(s) => Some(vec![s]),
            Setting::List(items) => items.iter().map(Setting::as_str).collect(),
            _ => None,
        }
    }

    pub fn is_unresolved(&self) -> bool {
        match self {
            Setting::Unresolved(_) => true,
            Setting::List(items) => items.iter().any(Setting::is_unresolved),
            Setting::Map(map) => map.values().any(Setting::is_unresolved),
            _ => false,
        }
    }

    pub fn unresolved(&self) -> Option<&Unresolved> {
        match self {
            Setting::Unresolved(u) => Some(u),
            Setting::List(items) => items.iter().find_map(Setting::unresolved),
            Setting::Map(map) => map.values().find_map(Setting::unresolved),
            _ => None,
        }
    }
}

/// An argument as written: its value and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Argument {
    pub value: Setting,
    pub span: Span,
}

/// The body of a resource or of a nested block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    pub arguments: BTreeMap<String, Argument>,
    /// Nested blocks in order, by type (`grant_controls`, `conditions`).
    pub blocks: Vec<(String, Body)>,
    /// Blocks generated by `dynamic`, whose content is not expanded: a
    /// rule must not treat an argument as absent when one of these may
    /// set it.
    pub dynamic_blocks: Vec<String>,
}

impl Body {
    pub fn argument(&self, name: &str) -> Option<&Argument> {
        self.arguments.get(name)
    }

    /// The first nested block of a type.
    pub fn block(&self, kind: &str) -> Option<&Body> {
        self.blocks.iter().find(|(k, _)| k == kind).map(|(_, b)| b)
    }

    /// Follows nested blocks, then reads an argument:
    /// `get(&["conditions", "users", "included_users"])`.
    pub fn get(&self, path: &[&str]) -> Option<&Argument> {
        let (last, blocks) = path.split_last()?;
        let mut body = self;
        for kind in blocks {
            body = body.block(kind)?;
        }
        body.argument(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_is_the_union_of_what_rules_read() {
        let a = Reads {
            resources: &["gitlab_group"],
            blocks: &[],
        };
        let b = Reads {
            resources: &["okta_policy_mfa", "gitlab_group"],
            blocks: &["conditions"],
        };
        let schema = Schema::of([&a, &b, &Reads::NOTHING]);
        assert!(schema.keeps("gitlab_group") && schema.keeps("okta_policy_mfa"));
        assert!(!schema.keeps("aws_iam_user"));
        assert!(schema.is_block("conditions") && !schema.is_block("users"));
        assert_eq!(
            schema.resource_types().collect::<Vec<_>>(),
            ["gitlab_group", "okta_policy_mfa"]
        );
    }
}

/// A resource of another service whose settings decide whether its
/// people must use MFA.
#[derive(Debug, Clone)]
pub struct ServiceResource {
    pub origin: Origin,
    /// The provider's resource type (`gitlab_group`); a data source's has
    /// the `data.` prefix (`data.github_organization`).
    pub resource_type: String,
    pub body: Body,
    /// What the configuration's `check` blocks and the resource's own
    /// postconditions assert about its attributes.
    pub assertions: Vec<Assertion>,
}

/// A condition a configuration asserts about one attribute of a resource
/// or data source (`data.github_organization.org.two_factor_requirement_enabled`),
/// in one of the forms read: the attribute alone or `== true` (it holds),
/// negated or `== false` (it does not); any other condition naming the
/// attribute is kept with `expected: None` (not understood).
#[derive(Debug, Clone, PartialEq)]
pub struct Assertion {
    pub attribute: String,
    pub expected: Option<bool>,
    /// The condition.
    pub span: Span,
    /// `check "name"`, or `postcondition`.
    pub by: String,
}

/// A credential report field that is `true`, `false`, or something else
/// (`not_supported` for the root account's password, `N/A`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFlag {
    True,
    False,
    Other,
}

/// One row of an AWS IAM credential report: what the account says about a
/// user, as opposed to what code declares.
#[derive(Debug, Clone)]
pub struct ReportedUser {
    /// `address` is the user name (`<root_account>` for the root); `span`
    /// is the name's cell.
    pub origin: Origin,
    pub name: String,
    /// The `mfa_active` cell, where a missing MFA shows.
    pub mfa_active_span: Span,
    pub arn: String,
    pub is_root: bool,
    pub password_enabled: ReportFlag,
    pub mfa_active: ReportFlag,
    /// `access_key_1_active` or `access_key_2_active` is true.
    pub active_access_key: bool,
}
