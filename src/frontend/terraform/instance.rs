//! Instances: of a module in a tree (`module.a["k"].module.b`), and why a
//! module call is not followed; of a resource or module call
//! (`count`/`for_each`), and what `each.*` and `count.index` mean in one.
//! What the evaluator and the module tree both speak of, in a file of its
//! own so that neither imports the other for it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use super::value::{InstanceKey, ResourceRef, Value};
use crate::source::Span;

/// The values a caller passes to a module instance's variables, shared
/// (a map of all users passed to a module called once per user is one map).
pub type Inputs = BTreeMap<String, Rc<Value>>;

/// A memoised `local.x` or `var.x` of a module instance: its value and the
/// resources it referred to.
pub type Named = (Rc<Value>, Rc<[ResourceRef]>);

/// One instance of a module in the tree.
#[derive(Debug)]
pub struct ModuleInstance {
    /// `""` for the root, else `module.a`, `module.a["k"].module.b`.
    pub address: String,
    pub dir: PathBuf,
    pub parent: Option<Rc<ModuleInstance>>,
    /// How the parent calls this instance.
    pub call: Option<CallSite>,
    pub depth: usize,
}

#[derive(Debug, Clone)]
pub struct CallSite {
    pub name: String,
    pub key: Option<InstanceKey>,
    /// The `module "name"` header in the caller.
    pub span: Span,
}

impl ModuleInstance {
    /// The manifest key of a call made by this instance: call names from
    /// the root, joined with dots, without instance keys (`a.b`).
    pub fn call_path(&self, name: &str) -> String {
        let mut names = vec![name.to_string()];
        let mut current = Some(self);
        while let Some(instance) = current {
            if let Some(call) = &instance.call {
                names.push(call.name.clone());
            }
            current = instance.parent.as_deref();
        }
        names.reverse();
        names.join(".")
    }

    /// Module call headers from the root down to this instance.
    pub fn callers(&self) -> Vec<(String, Span)> {
        let mut chain = Vec::new();
        let mut current = Some(self);
        while let Some(instance) = current {
            if let Some(call) = &instance.call {
                chain.push((instance.address.clone(), call.span));
            }
            current = instance.parent.as_deref();
        }
        chain.reverse();
        chain
    }
}

/// Why a module call is not followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotFollowed {
    /// A registry, git or other remote source: not scanned, never fetched.
    Remote(String),
    /// A local path that is not among the scanned folders.
    Missing(String),
    /// The call would recurse (a module calling itself) or nest too deep.
    Recursion(String),
    /// The tree already has as many instances as mfalint expands.
    TooMany,
}

/// Words for a call that is not followed.
pub fn describe(why: &NotFollowed) -> String {
    match why {
        NotFollowed::Remote(source) => format!("its source `{source}` is not a local path"),
        NotFollowed::Missing(source) => {
            format!("its source `{source}` is not among the scanned folders")
        }
        NotFollowed::Recursion(reason) => reason.clone(),
        NotFollowed::TooMany => format!(
            "the configuration expands to more than {} resource and module instances, more than mfalint expands",
            super::budget::MAX_INSTANCES
        ),
    }
}

/// The instances a `resource` block declares.
#[derive(Debug, Clone, PartialEq)]
pub enum Instances {
    /// No `count` or `for_each`.
    Single,
    /// `count = n`.
    Count(usize),
    /// `for_each`: keys and their `each.value`.
    ForEach(BTreeMap<String, Value>),
    /// `count` or `for_each` that cannot be evaluated statically.
    Unknown {
        meta: &'static str,
        reason: String,
        /// `for_each = aws_iam_user.team` over a resource whose instances
        /// are themselves unknown: `each.value` is still that resource.
        iterates: Option<ResourceRef>,
    },
}

/// What `each.*` and `count.index` mean while evaluating one instance.
#[derive(Debug, Clone, PartialEq)]
pub enum InstanceContext {
    /// Outside any repeated block.
    None,
    Count(usize),
    Each {
        key: String,
        value: Value,
    },
    /// Inside a repeated block whose instances are not known.
    Unexpanded {
        meta: &'static str,
        reason: String,
        each_value: Option<Value>,
    },
}

impl InstanceContext {
    /// The context of one instance of a resource.
    pub fn of(instances: &Instances, key: Option<&InstanceKey>) -> InstanceContext {
        match (instances, key) {
            (Instances::Count(_), Some(InstanceKey::Index(i))) => InstanceContext::Count(*i),
            (Instances::ForEach(map), Some(InstanceKey::Key(k))) => InstanceContext::Each {
                key: k.clone(),
                value: map.get(k).cloned().unwrap_or(Value::Null),
            },
            (
                Instances::Unknown {
                    meta,
                    reason,
                    iterates,
                },
                _,
            ) => InstanceContext::Unexpanded {
                meta,
                reason: reason.clone(),
                each_value: iterates.as_ref().map(|r| {
                    Value::Ref(Box::new(ResourceRef {
                        instance_key: Some(InstanceKey::Unknown("each.key".into())),
                        ..r.clone()
                    }))
                }),
            },
            _ => InstanceContext::None,
        }
    }
}
