//! References: what a traversal names (`var.x`, `local.y`, `each.value`,
//! `module.m.out`, `aws_iam_user.u[0].name`), evaluated once per module
//! instance and shared, and the attribute and index operators applied to
//! what it names.

use super::*;
use crate::frontend::terraform::aws::{self, StaticData};

impl<'a> Evaluator<'a> {
    pub(super) fn eval_traversal(&self, traversal: &Traversal) -> Value {
        match &traversal.expr {
            Expression::Variable(root) => self.eval_root(root, &traversal.operators),
            base => {
                let value = self.eval(base);
                self.apply(value, &traversal.operators)
            }
        }
    }

    /// Evaluates `root.op.op...` where root is a bare identifier.
    pub(super) fn eval_root(
        &self,
        root: &Decorated<Ident>,
        ops: &[Decorated<TraversalOperator>],
    ) -> Value {
        let root = root.as_str();
        let scoped = self
            .scopes
            .borrow()
            .iter()
            .rev()
            .find_map(|scope| scope.get(root).cloned());
        if let Some(value) = scoped {
            return self.apply(value, ops);
        }
        let first = ops.first().and_then(|op| match op.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        });
        let rest = ops.get(1..).unwrap_or(&[]);
        match (root, first) {
            ("var", Some(name)) => {
                let value = self.variable(name);
                self.apply_shared(&value, rest)
            }
            ("local", Some(name)) => {
                let value = self.local(name);
                self.apply_shared(&value, rest)
            }
            ("each" | "count", Some(attr)) => {
                let value = self.instance_value(root, attr);
                if let Value::Ref(r) = &value {
                    self.note_ref(r);
                }
                self.apply(value, rest)
            }
            ("data", Some(data_type)) => {
                let name = rest.first().and_then(|op| match op.value() {
                    TraversalOperator::GetAttr(name) => Some(name.as_str()),
                    _ => None,
                });
                let decl = name.and_then(|n| self.index.data.get(&format!("{data_type}.{n}")));
                match decl {
                    Some(decl)
                        if aws::static_data_source(data_type)
                            == Some(StaticData::PolicyDocument) =>
                    {
                        let value = self.policy_document(decl);
                        self.apply_shared(&value, &rest[1..])
                    }
                    _ => Value::unknown(format!(
                        "data source `data.{data_type}.{}` is only known when Terraform runs",
                        name.unwrap_or("?")
                    )),
                }
            }
            ("module", Some(call)) => self.module_output(call, rest),
            ("path", Some(attr)) => self.apply(self.path_value(attr), rest),
            ("path" | "terraform" | "self", _) => {
                Value::unknown(format!("`{root}.*` is only known when Terraform runs"))
            }
            (resource_type, Some(name)) if self.index.has_resource_type(resource_type) => {
                match self.index.resource(resource_type, name) {
                    Some(decl) => self.resource_ref(decl, rest),
                    None => Value::error(format!(
                        "`{resource_type}.{name}` is not declared in this module"
                    )),
                }
            }
            (other, Some(name)) => {
                Value::error(format!("`{other}.{name}` is not declared in this module"))
            }
            (other, None) => Value::error(format!("`{other}` cannot be evaluated statically")),
        }
    }

    /// `module.NAME.OUTPUT` (or `module.NAME[KEY].OUTPUT`): the output as
    /// the called module instance evaluates it.
    pub(super) fn module_output(
        &self,
        call_name: &str,
        ops: &[Decorated<TraversalOperator>],
    ) -> Value {
        let Some(call) = self.index.calls.get(call_name) else {
            return Value::error(format!("module `{call_name}` is not declared"));
        };
        let (key, ops) = match ops.first().map(|op| op.value()) {
            Some(TraversalOperator::Index(key)) => (
                Some(instance_key(self.materialize(self.eval(key)), key)),
                &ops[1..],
            ),
            Some(TraversalOperator::LegacyIndex(i)) => {
                (Some(InstanceKey::Index(*i.value() as usize)), &ops[1..])
            }
            _ => (None, ops),
        };
        if let Some(InstanceKey::Unknown(text)) = &key {
            return Value::unknown(format!(
                "the instance `{text}` of module `{call_name}` is not known statically"
            ));
        }
        let Some(TraversalOperator::GetAttr(output)) = ops.first().map(|op| op.value()) else {
            // The call (a map of instances for `for_each`, a list for
            // `count`) or one instance of it, as a value: `for` expressions,
            // splats, `values()` and `length()` work on it as on resources.
            let value = match key {
                Some(key) => self.module_instance_value(call, call_name, Some(key)),
                None => self.module_call_value(call, call_name),
            };
            return self.apply(value, ops);
        };
        match self
            .tree
            .child(&self.module, call, key.clone(), call_span(call))
        {
            Ok(child) => {
                let value = self.tree.output(&child, output.as_str());
                self.apply_shared(&value, &ops[1..])
            }
            Err(crate::frontend::terraform::instance::NotFollowed::Remote(source))
                if crate::frontend::terraform::known_modules::user_output(
                    &source,
                    output.as_str(),
                ) =>
            {
                self.known_user_ref(call_name, key.as_ref())
            }
            Err(why) => Value::unknown(format!(
                "module `{call_name}` is not followed ({}), so its outputs are unknown",
                crate::frontend::terraform::instance::describe(&why)
            )),
        }
    }

    /// The user a well-known iam-user module creates (modelled by
    /// `known_modules`), referred to by one of its outputs.
    pub(super) fn known_user_ref(&self, call_name: &str, key: Option<&InstanceKey>) -> Value {
        let mut module = format!("module.{call_name}");
        if let Some(k) = key {
            module.push_str(&k.render());
        }
        let reference = ResourceRef {
            module: self.qualify(&module),
            resource_type: aws::USER.into(),
            name: "this".into(),
            instance_key: Some(InstanceKey::Index(0)),
            attribute: vec!["name".into()],
        };
        self.note_ref(&reference);
        Value::Ref(Box::new(reference))
    }

    /// `module.NAME`: one object of outputs per instance, in a map keyed
    /// as `for_each` is, a list for `count`, or the one object.
    pub(super) fn module_call_value(&self, call: &Decl<'_>, call_name: &str) -> Value {
        match &*self.instances(call) {
            Instances::Single => self.module_instance_value(call, call_name, None),
            Instances::Count(n) => Value::List(
                (0..*n)
                    .map(|i| {
                        self.module_instance_value(call, call_name, Some(InstanceKey::Index(i)))
                    })
                    .collect(),
            ),
            Instances::ForEach(map) => Value::Object(
                map.keys()
                    .map(|k| {
                        let key = Some(InstanceKey::Key(k.clone()));
                        (k.clone(), self.module_instance_value(call, call_name, key))
                    })
                    .collect(),
            ),
            Instances::Unknown { meta, reason, .. } => Value::unknown(format!(
                "the instances of module `{call_name}` are not known statically (`{meta}`: {reason})"
            )),
        }
    }

    /// One instance of a module call: the object of all its outputs.
    pub(super) fn module_instance_value(
        &self,
        call: &Decl<'_>,
        call_name: &str,
        key: Option<InstanceKey>,
    ) -> Value {
        match self
            .tree
            .child(&self.module, call, key.clone(), call_span(call))
        {
            Ok(child) => {
                let mut names: Vec<&str> =
                    self.tree.index(&child).outputs.keys().copied().collect();
                names.sort_unstable();
                Value::Object(
                    names
                        .into_iter()
                        .map(|name| {
                            // A whole instance is a copy of every output,
                            // charged by its size: outputs that hold whole
                            // module calls (modules of modules of modules)
                            // would otherwise copy gigabytes.
                            let value = self.tree.output(&child, name);
                            let copy = self
                                .budget()
                                .charge(&value)
                                .unwrap_or_else(|| (*value).clone());
                            (name.to_string(), copy)
                        })
                        .collect(),
                )
            }
            Err(crate::frontend::terraform::instance::NotFollowed::Remote(source))
                if crate::frontend::terraform::known_modules::user_output(&source, "name") =>
            {
                let unknown = Value::unknown(format!(
                    "module `{call_name}` is not followed (its source `{source}` is not a local path), so this output is unknown"
                ));
                Value::Object(
                    crate::frontend::terraform::known_modules::IAM_USER_OUTPUTS
                        .iter()
                        .map(|&name| {
                            let value = if crate::frontend::terraform::known_modules::user_output(
                                &source, name,
                            ) {
                                self.known_user_ref(call_name, key.as_ref())
                            } else {
                                unknown.clone()
                            };
                            (name.to_string(), value)
                        })
                        .collect(),
                )
            }
            Err(why) => Value::unknown(format!(
                "module `{call_name}` is not followed ({}), so its outputs are unknown",
                crate::frontend::terraform::instance::describe(&why)
            )),
        }
    }

    /// `each.key`, `each.value`, `count.index` for the current instance.
    pub(super) fn instance_value(&self, root: &str, attr: &str) -> Value {
        let context = self
            .contexts
            .borrow()
            .last()
            .cloned()
            .unwrap_or(InstanceContext::None);
        match (root, attr, context) {
            ("each", "key", InstanceContext::Each { key, .. }) => Value::String(key),
            ("each", "value", InstanceContext::Each { value, .. }) => value,
            ("count", "index", InstanceContext::Count(i)) => Value::Number(i as f64),
            (
                "each",
                "value",
                InstanceContext::Unexpanded {
                    each_value: Some(value),
                    ..
                },
            ) => value,
            (_, _, InstanceContext::Unexpanded { meta, reason, .. }) => Value::unknown(format!(
                "`{root}.{attr}` depends on `{meta}` instances, which are not expanded: {reason}"
            )),
            _ => Value::error(format!("`{root}.{attr}` is not available here")),
        }
    }

    /// `var.name`: what the caller passed (shared with the caller), else
    /// the default (evaluated once per module instance).
    pub(super) fn variable(&self, name: &str) -> Rc<Value> {
        if let Some(value) = self.inputs.get(name) {
            return value.clone();
        }
        self.memoised(&format!("var.{name}"), || self.variable_default(name))
    }

    pub(super) fn variable_default(&self, name: &str) -> Value {
        match self.index.variables.get(name) {
            None => Value::unknown_symbol(
                format!("variable `{name}` is not declared"),
                self.qualify(&format!("var.{name}")),
            ),
            Some(decl) => match decl.default {
                None => Value::unknown_symbol(
                    format!("variable `{name}` has no default value and no value was given"),
                    self.qualify(&format!("var.{name}")),
                ),
                Some(default) => {
                    let value = self.in_module_scope(|| self.eval(default));
                    match value {
                        Value::Unknown(u) => Value::Unknown(Unknown {
                            symbol: Some(self.qualify(&format!("var.{name}")).into()),
                            ..u
                        }),
                        value => value,
                    }
                }
            },
        }
    }

    pub(super) fn local(&self, name: &str) -> Rc<Value> {
        let Some(local) = self.index.locals.get(name) else {
            return Rc::new(Value::error(format!("`local.{name}` is not declared")));
        };
        let key = format!("local.{name}");
        if !self.tree.is_memoised(&self.module.address, &key)
            && self.active_locals.borrow().iter().any(|l| l == name)
        {
            return Rc::new(Value::error(format!("`local.{name}` refers to itself")));
        }
        self.active_locals.borrow_mut().push(name.to_string());
        let value = self.memoised(&key, || self.in_module_scope(|| self.eval(local)));
        self.active_locals.borrow_mut().pop();
        value
    }

    /// A `data "aws_iam_policy_document"`, evaluated once per module
    /// instance as the module itself (not in the scope of the expression
    /// that refers to it); one that refers to itself is an error.
    pub(super) fn policy_document(&self, decl: &Decl<'_>) -> Rc<Value> {
        let key = format!("data.{}", decl.address());
        if !self.tree.is_memoised(&self.module.address, &key)
            && self.active_locals.borrow().contains(&key)
        {
            return Rc::new(Value::error(format!("`{key}` refers to itself")));
        }
        self.active_locals.borrow_mut().push(key.clone());
        let value = self.memoised(&key, || {
            self.in_module_scope(|| {
                crate::frontend::terraform::policy_document::evaluate(self, decl)
            })
        });
        self.active_locals.borrow_mut().pop();
        value
    }

    /// The value of `local.x` or `var.x`, computed once per module
    /// instance (memoised in the tree, for every evaluator of it); the
    /// references met computing it are reported again at each read.
    pub(super) fn memoised(&self, key: &str, compute: impl FnOnce() -> Value) -> Rc<Value> {
        if let Some((value, refs)) = self.tree.memoised_value(&self.module.address, key) {
            if !refs.is_empty() {
                // Shared, not copied: a map of a thousand users' names read
                // once per user would copy a million references.
                self.refs.borrow_mut().push(refs);
            }
            return value;
        }
        let outer_refs = std::mem::take(&mut *self.refs.borrow_mut());
        let value = Rc::new(compute());
        let chunks = std::mem::replace(&mut *self.refs.borrow_mut(), outer_refs);
        let refs: Rc<[ResourceRef]> = chunks.iter().flat_map(|c| c.iter().cloned()).collect();
        if !refs.is_empty() {
            self.refs.borrow_mut().push(refs.clone());
        }
        self.tree
            .memoise_value(&self.module.address, key, (value.clone(), refs));
        value
    }

    /// Like [`Self::eval`], but a plain `local.x` or `var.x` is shared, not
    /// copied: a module called once per user with the map of all users
    /// gets that one map, not a copy per call.
    pub(in crate::frontend::terraform) fn eval_shared(&self, expr: &Expression) -> Rc<Value> {
        if let Expression::Traversal(traversal) = expr
            && let Expression::Variable(root) = &traversal.expr
            && let [op] = traversal.operators.as_slice()
            && let TraversalOperator::GetAttr(name) = op.value()
            && matches!(root.as_str(), "local" | "var")
            && !self
                .scopes
                .borrow()
                .iter()
                .any(|scope| scope.contains_key(root.as_str()))
        {
            if !self.tree.budget().spend(1) {
                return Rc::new(budget::out_of_steps());
            }
            return if root.as_str() == "local" {
                self.local(name.as_str())
            } else {
                self.variable(name.as_str())
            };
        }
        Rc::new(self.eval(expr))
    }

    /// `type.name` followed by `ops`: a reference to the resource, one
    /// instance, or (for a repeated resource) the list or map of instances.
    pub(super) fn resource_ref(
        &self,
        decl: &Decl<'_>,
        ops: &[Decorated<TraversalOperator>],
    ) -> Value {
        let reference = |instance_key: Option<InstanceKey>| {
            let r = ResourceRef {
                module: self.module.address.clone(),
                resource_type: decl.kind.to_string(),
                name: decl.name.to_string(),
                instance_key,
                attribute: Vec::new(),
            };
            self.note_ref(&r);
            Value::Ref(Box::new(r))
        };
        let (first, rest) = match ops.split_first() {
            Some((first, rest)) => (Some(first.value()), rest),
            None => (None, ops),
        };
        let key = match first {
            Some(TraversalOperator::Index(key)) => {
                Some(instance_key(self.materialize(self.eval(key)), key))
            }
            Some(TraversalOperator::LegacyIndex(i)) => {
                Some(InstanceKey::Index(*i.value() as usize))
            }
            _ => None,
        };
        if let Some(key) = key {
            return self.apply(reference(Some(key)), rest);
        }
        let instances = self.instances(decl);
        let whole = match &*instances {
            Instances::Count(n) => Value::List(
                (0..*n)
                    .map(|i| reference(Some(InstanceKey::Index(i))))
                    .collect(),
            ),
            Instances::ForEach(map) => Value::Object(
                map.keys()
                    .map(|k| (k.clone(), reference(Some(InstanceKey::Key(k.clone())))))
                    .collect(),
            ),
            Instances::Single | Instances::Unknown { .. } => reference(None),
        };
        match first {
            Some(TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_))
                if !matches!(whole, Value::List(_)) =>
            {
                // A splat over a single value makes a one-element list.
                let one = self.apply(whole, rest);
                Value::List(vec![one])
            }
            _ => self.apply(whole, ops),
        }
    }

    /// `ops` applied to a shared value, copying only what they select:
    /// `local.users[each.key].name`, read once per user, must not copy
    /// every user each time. Anything but plain attribute and index steps
    /// into maps and lists goes on through [`Self::apply`].
    pub(super) fn apply_shared(
        &self,
        value: &Value,
        ops: &[Decorated<TraversalOperator>],
    ) -> Value {
        let mut current = value;
        for (i, op) in ops.iter().enumerate() {
            let key = match (op.value(), current) {
                (TraversalOperator::GetAttr(name), Value::Object(map)) => {
                    match map.get(name.as_str()) {
                        Some(child) => {
                            current = child;
                            continue;
                        }
                        None => {
                            return Value::error(format!(
                                "the object has no attribute `{}`",
                                name.as_str()
                            ));
                        }
                    }
                }
                (TraversalOperator::Index(expr), Value::Object(_) | Value::List(_)) => {
                    self.materialize(self.eval(expr))
                }
                (TraversalOperator::LegacyIndex(n), Value::List(_)) => {
                    Value::Number(*n.value() as f64)
                }
                _ => return self.apply(current.clone(), &ops[i..]),
            };
            let child = match (current, &key) {
                (_, Value::Unknown(u)) => {
                    return self.apply(Value::Unknown(u.clone()), &ops[i + 1..]);
                }
                (Value::Object(map), key) => key.to_template_string().and_then(|k| map.get(&k)),
                (Value::List(items), Value::Number(n)) if *n >= 0.0 => items.get(*n as usize),
                (Value::List(items), Value::String(s)) => {
                    s.parse::<usize>().ok().and_then(|i| items.get(i))
                }
                _ => None,
            };
            match child {
                Some(child) => current = child,
                None => return missing(current, &key),
            }
        }
        current.clone()
    }

    pub(super) fn apply(&self, mut value: Value, ops: &[Decorated<TraversalOperator>]) -> Value {
        for (i, op) in ops.iter().enumerate() {
            value = match op.value() {
                TraversalOperator::GetAttr(name) => get_attr(value, name.as_str()),
                TraversalOperator::Index(key) => {
                    let key = self.materialize(self.eval(key));
                    index(self.materialize(value), &key)
                }
                TraversalOperator::LegacyIndex(key) => {
                    index(self.materialize(value), &Value::Number(*key.value() as f64))
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    return match value {
                        Value::List(items) => Value::List(
                            items
                                .into_iter()
                                .map(|item| self.apply(item, rest))
                                .collect(),
                        ),
                        Value::Null => Value::List(Vec::new()),
                        Value::Unknown(u) => Value::Unknown(u),
                        other => Value::List(vec![self.apply(other, rest)]),
                    };
                }
            };
        }
        value
    }
}

pub(super) fn get_attr(value: Value, name: &str) -> Value {
    match value {
        Value::Object(mut map) => map
            .remove(name)
            .unwrap_or_else(|| Value::error(format!("the object has no attribute `{name}`"))),
        Value::Unknown(u) => Value::Unknown(Unknown {
            symbol: u.symbol.map(|s| format!("{s}.{name}").into()),
            ..u
        }),
        Value::Ref(mut r) => {
            r.attribute.push(name.to_string());
            Value::Ref(r)
        }
        other => Value::error(format!("a {} has no attribute `{name}`", other.type_name())),
    }
}

/// What [`index`] says when `key` selects nothing in `container`, without
/// taking the container.
fn missing(container: &Value, key: &Value) -> Value {
    match (container, key) {
        (Value::List(_), Value::String(s)) => Value::error(format!("index `{s}` is out of range")),
        (Value::Object(_), key) => match key.to_template_string() {
            Some(k) => Value::error(format!("the map has no key `{k}`")),
            None => Value::error("the map key is not a string"),
        },
        (value, key) => Value::error(format!(
            "cannot index a {} with a {}",
            value.type_name(),
            key.type_name()
        )),
    }
}

fn index(value: Value, key: &Value) -> Value {
    match (value, key) {
        (Value::Unknown(u), _) => Value::Unknown(u),
        (_, Value::Unknown(u)) => Value::Unknown(u.clone()),
        (Value::List(mut items), Value::Number(n)) if *n >= 0.0 && (*n as usize) < items.len() => {
            items.swap_remove(*n as usize)
        }
        (Value::List(items), Value::String(s)) => match s.parse::<usize>() {
            Ok(i) if i < items.len() => items.into_iter().nth(i).unwrap_or(Value::Null),
            _ => Value::error(format!("index `{s}` is out of range")),
        },
        (Value::Object(mut map), key) => match key.to_template_string() {
            Some(k) => map
                .remove(&k)
                .unwrap_or_else(|| Value::error(format!("the map has no key `{k}`"))),
            None => Value::error("the map key is not a string"),
        },
        (value, key) => Value::error(format!(
            "cannot index a {} with a {}",
            value.type_name(),
            key.type_name()
        )),
    }
}
