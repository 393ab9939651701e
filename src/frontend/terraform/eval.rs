//! Static evaluation of Terraform expressions within one module.
//!
//! Resolves what Terraform itself could resolve from the files alone:
//! literals, variable values, locals, string templates, a set of pure
//! functions, conditionals with known conditions, `for` expressions, splats,
//! `count`/`for_each` instances (`each.key`, `each.value`, `count.index`) and
//! arguments of other resources. Everything else is [`Value::Unknown`] with a
//! reason.
//!
//! Our own evaluator rather than `hcl::eval`: rules need unknowns that carry
//! a reason and a symbol, and resource references kept as references.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, Traversal, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Element, Template};
use hcl_edit::{Decorated, Ident};

use super::budget;
use super::functions;
use super::module::{Decl, ModuleIndex};
use super::tree::{Inputs, ModuleInstance, Tree};
use super::value::{InstanceKey, ResourceRef, Unknown, Value, format_number, qualify};

/// Nesting depth (locals through locals, resource arguments through
/// resource arguments) past which evaluation gives up with an unknown.
const MAX_DEPTH: u32 = 64;

/// More instances than this are not expanded (the resource stays one
/// unexpanded entity): a guard against `count = 1e9`.
pub const MAX_INSTANCES: usize = 10_000;

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
                    Value::Ref(ResourceRef {
                        instance_key: Some(InstanceKey::Unknown("each.key".into())),
                        ..r.clone()
                    })
                }),
            },
            _ => InstanceContext::None,
        }
    }
}

/// The resources an evaluation referred to.
#[derive(Debug, Default)]
pub struct Refs(Vec<Rc<[ResourceRef]>>);

impl Refs {
    pub fn iter(&self) -> impl Iterator<Item = &ResourceRef> {
        self.0.iter().flat_map(|chunk| chunk.iter())
    }
}

/// Evaluates expressions in one module instance: its variables, locals,
/// resources, and the outputs of the modules it calls.
pub struct Evaluator<'a> {
    tree: &'a Tree<'a>,
    module: Rc<ModuleInstance>,
    index: &'a ModuleIndex<'a>,
    /// Values of input variables given by the caller (tfvars, `--var`, a
    /// module call), which take precedence over defaults.
    inputs: Rc<Inputs>,
    depth: Cell<u32>,
    active_locals: RefCell<Vec<String>>,
    /// Resources referred to, in chunks: one per reference, or the shared
    /// list of a memoised local.
    refs: RefCell<Vec<Rc<[ResourceRef]>>>,
    /// Iteration variables of enclosing `for` expressions, innermost last.
    scopes: RefCell<Vec<HashMap<String, Value>>>,
    /// The resource instance being evaluated, innermost last.
    contexts: RefCell<Vec<InstanceContext>>,
}

impl<'a> Evaluator<'a> {
    pub fn new(tree: &'a Tree<'a>, module: Rc<ModuleInstance>, inputs: Rc<Inputs>) -> Self {
        Evaluator {
            tree,
            index: tree.index(&module),
            module,
            inputs,
            depth: Cell::new(0),
            active_locals: RefCell::new(Vec::new()),
            refs: RefCell::new(Vec::new()),
            scopes: RefCell::new(Vec::new()),
            contexts: RefCell::new(Vec::new()),
        }
    }

    /// Evaluates an expression and also returns every resource it referred
    /// to, even where the reference was resolved into a plain value.
    pub fn eval_with_refs(&self, expr: &Expression) -> (Value, Refs) {
        let saved = std::mem::take(&mut *self.refs.borrow_mut());
        let value = self.eval(expr);
        let refs = std::mem::replace(&mut *self.refs.borrow_mut(), saved);
        (value, Refs(refs))
    }

    /// Notes that the expression being evaluated refers to `reference`.
    fn note_ref(&self, reference: &ResourceRef) {
        self.refs
            .borrow_mut()
            .push(Rc::from([reference.clone()].as_slice()));
    }

    /// Runs `f` with `each.*`/`count.index` bound for one instance.
    pub fn with_instance<T>(&self, context: InstanceContext, f: impl FnOnce() -> T) -> T {
        self.contexts.borrow_mut().push(context);
        let result = f();
        self.contexts.borrow_mut().pop();
        result
    }

    pub fn index(&self) -> &'a ModuleIndex<'a> {
        self.index
    }

    /// `name` qualified with this module instance's address.
    pub fn qualify(&self, name: &str) -> String {
        qualify(&self.module.address, name)
    }

    /// Runs `f` with names bound (the variables of `templatefile`).
    pub(super) fn with_scopes<T>(&self, scope: HashMap<String, Value>, f: impl FnOnce() -> T) -> T {
        self.scopes.borrow_mut().push(scope);
        let result = f();
        self.scopes.borrow_mut().pop();
        result
    }

    /// The bounds on this tree's work, for what costs more than a step.
    pub(super) fn note_input(&self, path: PathBuf) {
        self.tree.note_input(path);
    }

    pub(super) fn budget(&self) -> &budget::Budget {
        &self.tree.budget
    }

    pub(super) fn module_dir(&self) -> &Path {
        &self.module.dir
    }

    pub(super) fn root_dir(&self) -> &Path {
        self.tree.root_dir()
    }

    /// Canonical folders that file functions may read from.
    pub(super) fn readable_roots(&self) -> &[PathBuf] {
        self.tree.readable_roots()
    }

    /// Runs `f` with a local name bound (the iterator of a `dynamic` block).
    pub fn with_scope<T>(&self, name: &str, value: Value, f: impl FnOnce() -> T) -> T {
        self.scopes
            .borrow_mut()
            .push(HashMap::from([(name.to_string(), value)]));
        let result = f();
        self.scopes.borrow_mut().pop();
        result
    }

    /// Runs `f` as the module itself, outside any instance and any `for`:
    /// how locals, variable defaults and `count`/`for_each` are evaluated
    /// wherever they are referred to from.
    fn in_module_scope<T>(&self, f: impl FnOnce() -> T) -> T {
        let scopes = std::mem::take(&mut *self.scopes.borrow_mut());
        let result = self.with_instance(InstanceContext::None, f);
        *self.scopes.borrow_mut() = scopes;
        result
    }

    /// The instances a resource or module call declares (memoised in the
    /// tree, shared, and counted against its bound on instances).
    pub fn instances(&self, decl: &Decl<'_>) -> Rc<Instances> {
        self.tree
            .memoised_instances(&self.module.address, decl, || {
                let instances = self.in_module_scope(|| self.compute_instances(decl));
                let count = match &instances {
                    Instances::Count(n) => *n,
                    Instances::ForEach(map) => map.len(),
                    Instances::Single | Instances::Unknown { .. } => 0,
                };
                if self.tree.budget.take_instances(count) {
                    return instances;
                }
                Instances::Unknown {
                    meta: if decl.attribute("count").is_some() {
                        "count"
                    } else {
                        "for_each"
                    },
                    reason: format!(
                        "the configuration would expand to more than {} resource and module instances, more than mfalint expands",
                        super::budget::MAX_INSTANCES
                    ),
                    iterates: None,
                }
            })
    }

    fn compute_instances(&self, decl: &Decl<'_>) -> Instances {
        if let Some(expr) = decl.attribute("count") {
            return match self.materialize(self.eval(expr)) {
                Value::Number(n) if n >= 0.0 && n.fract() == 0.0 && n as usize <= MAX_INSTANCES => {
                    Instances::Count(n as usize)
                }
                Value::Number(n) if n >= 0.0 && n.fract() == 0.0 => Instances::Unknown {
                    meta: "count",
                    reason: format!("`count` is {}, more than mfalint expands", format_number(n)),
                    iterates: None,
                },
                Value::Unknown(u) => Instances::Unknown {
                    meta: "count",
                    reason: format!("`count` is not known statically ({})", u.reason),
                    iterates: None,
                },
                other => Instances::Unknown {
                    meta: "count",
                    reason: format!("`count` is a {}, not a whole number", other.type_name()),
                    iterates: None,
                },
            };
        }
        let Some(expr) = decl.attribute("for_each") else {
            return Instances::Single;
        };
        let unknown = |reason: String| Instances::Unknown {
            meta: "for_each",
            reason,
            iterates: None,
        };
        match self.eval(expr) {
            Value::Object(map) if map.len() <= MAX_INSTANCES => Instances::ForEach(map),
            Value::List(items) if items.len() <= MAX_INSTANCES => {
                let mut map = BTreeMap::new();
                for item in items {
                    match self.materialize(item) {
                        Value::String(s) => {
                            map.insert(s.clone(), Value::String(s));
                        }
                        Value::Unknown(u) => {
                            return unknown(format!(
                                "an element of `for_each` is not known statically ({})",
                                u.reason
                            ));
                        }
                        other => {
                            return unknown(format!(
                                "`for_each` over a set of {} values",
                                other.type_name()
                            ));
                        }
                    }
                }
                Instances::ForEach(map)
            }
            Value::Object(_) | Value::List(_) => {
                unknown("`for_each` has more instances than mfalint expands".into())
            }
            Value::Unknown(u) => {
                unknown(format!("`for_each` is not known statically ({})", u.reason))
            }
            Value::Ref(r) if r.attribute.is_empty() && r.instance_key.is_none() => {
                Instances::Unknown {
                    meta: "for_each",
                    reason: format!(
                        "`for_each` iterates over `{}`, whose instances are not known statically",
                        r.address()
                    ),
                    iterates: Some(r),
                }
            }
            other => unknown(format!("`for_each` is a {}", other.type_name())),
        }
    }

    pub fn eval(&self, expr: &Expression) -> Value {
        let budget = &self.tree.budget;
        if !budget.spend(1) {
            return budget::out_of_steps();
        }
        if budget.bytes_exhausted() {
            return budget::out_of_bytes();
        }
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return Value::unknown("the expression nests too deeply to evaluate");
        }
        self.depth.set(depth + 1);
        let entered = budget.enter();
        let value = self.eval_inner(expr);
        self.depth.set(depth);
        let value = match &value {
            Value::String(s) if s.len() > budget::MAX_STRING_BYTES => budget::too_long(s.len()),
            _ => value,
        };
        budget.produced(entered, &value).unwrap_or(value)
    }

    fn eval_inner(&self, expr: &Expression) -> Value {
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => n
                .value()
                .as_f64()
                .map_or_else(|| Value::unknown("number out of range"), Value::Number),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::Array(items) => Value::List(items.iter().map(|e| self.eval(e)).collect()),
            Expression::Object(object) => {
                let mut map = BTreeMap::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str().to_string(),
                        ObjectKey::Expression(e) => {
                            match self.materialize(self.eval(e)).to_template_string() {
                                Some(k) => k,
                                None => return Value::unknown("an object key is not known"),
                            }
                        }
                    };
                    map.insert(key, self.eval(value.expr()));
                }
                Value::Object(map)
            }
            Expression::StringTemplate(t) => self.eval_template(t),
            // hcl-edit has already removed the indentation of `<<-` heredocs.
            Expression::HeredocTemplate(h) => self.eval_template(&h.template),
            Expression::Parenthesis(p) => self.eval(p.inner()),
            Expression::Variable(v) => self.eval_root(v, &[]),
            Expression::Traversal(t) => self.eval_traversal(t),
            Expression::Conditional(c) => match self.materialize(self.eval(&c.cond_expr)) {
                Value::Bool(true) => self.eval(&c.true_expr),
                Value::Bool(false) => self.eval(&c.false_expr),
                _ => {
                    let (yes, no) = (self.eval(&c.true_expr), self.eval(&c.false_expr));
                    if yes == no && !matches!(yes, Value::Unknown(_)) {
                        yes
                    } else {
                        Value::unknown("the condition of a conditional expression is not known")
                    }
                }
            },
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                if !call.name.namespace.is_empty() {
                    return Value::unknown(format!("provider function `{name}` is not evaluated"));
                }
                let mut args: Vec<Value> = call
                    .args
                    .iter()
                    .map(|a| self.materialize_deep(self.eval(a)))
                    .collect();
                // `f(a, list...)`: the list's elements are the last
                // arguments.
                if call.args.expand_final() {
                    match args.pop() {
                        Some(Value::List(items)) => args.extend(items),
                        Some(Value::Unknown(u)) => return Value::Unknown(u),
                        _ => {
                            return Value::error(format!(
                                "the expanded argument of `{name}(...)` is not a list"
                            ));
                        }
                    }
                }
                if let Some(value) = self.file_function(name, &args) {
                    return value;
                }
                functions::call(name, args)
            }
            Expression::UnaryOp(op) => {
                match (op.operator.value(), self.materialize(self.eval(&op.expr))) {
                    (UnaryOperator::Not, Value::Bool(b)) => Value::Bool(!b),
                    (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
                    (_, Value::Unknown(u)) => Value::Unknown(u),
                    _ => Value::error("invalid operand of a unary operator"),
                }
            }
            Expression::BinaryOp(op) => binary(
                *op.operator.value(),
                self.materialize(self.eval(&op.lhs_expr)),
                self.materialize(self.eval(&op.rhs_expr)),
            ),
            Expression::ForExpr(for_expr) => self.eval_for(for_expr),
        }
    }

    /// `[for v in c : e if cond]` and `{for k, v in c : ke => ve if cond}`.
    fn eval_for(&self, for_expr: &ForExpr) -> Value {
        let intro = &for_expr.intro;
        let items = match iteration_items(self.materialize(self.eval(&intro.collection_expr))) {
            Ok(items) => items,
            Err(why) => return Value::Unknown(why),
        };
        if for_expr.grouping {
            return Value::unknown("grouping `for` expressions (`...`) are not evaluated");
        }
        let mut list = Vec::new();
        let mut map = BTreeMap::new();
        for (key, value) in items {
            let mut scope = HashMap::new();
            if let Some(key_var) = &intro.key_var {
                scope.insert(key_var.as_str().to_string(), key);
            }
            scope.insert(intro.value_var.as_str().to_string(), value);
            self.scopes.borrow_mut().push(scope);
            let outcome = self.for_item(for_expr);
            self.scopes.borrow_mut().pop();
            match outcome {
                ForItem::Skip => {}
                ForItem::Unknown(u) => return Value::Unknown(u),
                ForItem::Element(v) => list.push(v),
                ForItem::Entry(k, v) => {
                    map.insert(k, v);
                }
            }
        }
        if for_expr.key_expr.is_some() {
            Value::Object(map)
        } else {
            Value::List(list)
        }
    }

    fn for_item(&self, for_expr: &ForExpr) -> ForItem {
        if let Some(cond) = &for_expr.cond {
            match self.materialize(self.eval(&cond.expr)) {
                Value::Bool(true) => {}
                Value::Bool(false) => return ForItem::Skip,
                Value::Unknown(u) => return ForItem::Unknown(u),
                _ => return ForItem::Unknown(unknown_of("a `for` condition is not a bool")),
            }
        }
        let value = self.eval(&for_expr.value_expr);
        match &for_expr.key_expr {
            None => ForItem::Element(value),
            Some(key_expr) => match self.materialize(self.eval(key_expr)) {
                Value::Unknown(u) => ForItem::Unknown(u),
                key => match key.to_template_string() {
                    Some(k) => ForItem::Entry(k, value),
                    None => ForItem::Unknown(unknown_of("a `for` key is not a string")),
                },
            },
        }
    }

    pub(super) fn eval_template(&self, template: &Template) -> Value {
        // `"${x}"` is `x` itself, unconverted (HCL's rule, and how
        // Terraform's JSON syntax writes every expression).
        if let Some(Element::Interpolation(single)) = template.as_single_element() {
            return self.eval(&single.expr);
        }
        let mut text = String::new();
        let mut symbol = String::new();
        let mut unknown: Option<Unknown> = None;
        let mut symbolic = true;
        for element in template.iter() {
            match element {
                Element::Literal(literal) => {
                    text.push_str(literal.value());
                    symbol.push_str(literal.value());
                }
                Element::Interpolation(interp) => match self.materialize(self.eval(&interp.expr)) {
                    Value::Unknown(u) => {
                        match &u.symbol {
                            Some(s) => {
                                symbol.push_str("${");
                                symbol.push_str(s);
                                symbol.push('}');
                            }
                            None => symbolic = false,
                        }
                        unknown.get_or_insert(u);
                    }
                    value => match value.to_template_string() {
                        Some(s) => {
                            text.push_str(&s);
                            symbol.push_str(&s);
                        }
                        None => {
                            return Value::error(format!(
                                "a {} cannot be used in a string template",
                                value.type_name()
                            ));
                        }
                    },
                },
                Element::Directive(_) => {
                    return Value::unknown("template directives (%{ ... }) are not evaluated");
                }
            }
        }
        match unknown {
            Some(u) => Value::Unknown(Unknown {
                symbol: symbolic.then_some(symbol),
                ..u
            }),
            None => Value::String(text),
        }
    }

    fn eval_traversal(&self, traversal: &Traversal) -> Value {
        match &traversal.expr {
            Expression::Variable(root) => self.eval_root(root, &traversal.operators),
            base => {
                let value = self.eval(base);
                self.apply(value, &traversal.operators)
            }
        }
    }

    /// Evaluates `root.op.op...` where root is a bare identifier.
    fn eval_root(&self, root: &Decorated<Ident>, ops: &[Decorated<TraversalOperator>]) -> Value {
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
                    Some(decl) if data_type == "aws_iam_policy_document" => {
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
    fn module_output(&self, call_name: &str, ops: &[Decorated<TraversalOperator>]) -> Value {
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
            Err(super::tree::NotFollowed::Remote(source))
                if super::known_modules::user_output(&source, output.as_str()) =>
            {
                self.known_user_ref(call_name, key.as_ref())
            }
            Err(why) => Value::unknown(format!(
                "module `{call_name}` is not followed ({}), so its outputs are unknown",
                super::tree::describe(&why)
            )),
        }
    }

    /// The user a well-known iam-user module creates (modelled by
    /// `known_modules`), referred to by one of its outputs.
    fn known_user_ref(&self, call_name: &str, key: Option<&InstanceKey>) -> Value {
        let mut module = format!("module.{call_name}");
        if let Some(k) = key {
            module.push_str(&k.render());
        }
        let reference = ResourceRef {
            module: self.qualify(&module),
            resource_type: "aws_iam_user".into(),
            name: "this".into(),
            instance_key: Some(InstanceKey::Index(0)),
            attribute: vec!["name".into()],
        };
        self.note_ref(&reference);
        Value::Ref(reference)
    }

    /// `module.NAME`: one object of outputs per instance, in a map keyed
    /// as `for_each` is, a list for `count`, or the one object.
    fn module_call_value(&self, call: &Decl<'_>, call_name: &str) -> Value {
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
    fn module_instance_value(
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
            Err(super::tree::NotFollowed::Remote(source))
                if super::known_modules::user_output(&source, "name") =>
            {
                let unknown = Value::unknown(format!(
                    "module `{call_name}` is not followed (its source `{source}` is not a local path), so this output is unknown"
                ));
                Value::Object(
                    super::known_modules::IAM_USER_OUTPUTS
                        .iter()
                        .map(|&name| {
                            let value = if super::known_modules::user_output(&source, name) {
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
                super::tree::describe(&why)
            )),
        }
    }

    /// `each.key`, `each.value`, `count.index` for the current instance.
    fn instance_value(&self, root: &str, attr: &str) -> Value {
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
    fn variable(&self, name: &str) -> Rc<Value> {
        if let Some(value) = self.inputs.get(name) {
            return value.clone();
        }
        self.memoised(&format!("var.{name}"), || self.variable_default(name))
    }

    fn variable_default(&self, name: &str) -> Value {
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
                            symbol: Some(self.qualify(&format!("var.{name}"))),
                            ..u
                        }),
                        value => value,
                    }
                }
            },
        }
    }

    fn local(&self, name: &str) -> Rc<Value> {
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
    fn policy_document(&self, decl: &Decl<'_>) -> Rc<Value> {
        let key = format!("data.{}", decl.address());
        if !self.tree.is_memoised(&self.module.address, &key)
            && self.active_locals.borrow().contains(&key)
        {
            return Rc::new(Value::error(format!("`{key}` refers to itself")));
        }
        self.active_locals.borrow_mut().push(key.clone());
        let value = self.memoised(&key, || {
            self.in_module_scope(|| super::policy_document::evaluate(self, decl))
        });
        self.active_locals.borrow_mut().pop();
        value
    }

    /// The value of `local.x` or `var.x`, computed once per module
    /// instance (memoised in the tree, for every evaluator of it); the
    /// references met computing it are reported again at each read.
    fn memoised(&self, key: &str, compute: impl FnOnce() -> Value) -> Rc<Value> {
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
    pub(super) fn eval_shared(&self, expr: &Expression) -> Rc<Value> {
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
            if !self.tree.budget.spend(1) {
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
    fn resource_ref(&self, decl: &Decl<'_>, ops: &[Decorated<TraversalOperator>]) -> Value {
        let reference = |instance_key: Option<InstanceKey>| {
            let r = ResourceRef {
                module: self.module.address.clone(),
                resource_type: decl.kind.to_string(),
                name: decl.name.to_string(),
                instance_key,
                attribute: Vec::new(),
            };
            self.note_ref(&r);
            Value::Ref(r)
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

    /// Turns a resource reference into the value of the argument it reads,
    /// where the configuration fixes it (`aws_iam_user.a.name` is whatever
    /// `name` says, evaluated for that instance); anything else stays
    /// unknown, with the reference as its symbol.
    pub fn materialize(&self, value: Value) -> Value {
        let Value::Ref(reference) = value else {
            return value;
        };
        if reference.module != self.module.address {
            // Declared in another module instance (it came through an
            // output or an input): evaluate it there.
            return match self.tree.instance(&reference.module) {
                Some(owner) => self
                    .tree
                    .evaluator(owner)
                    .materialize(Value::Ref(reference)),
                None => Value::error(format!("`{}` is not declared", reference.text())),
            };
        }
        let symbol = reference.text();
        let Some(decl) = self
            .index
            .resource(&reference.resource_type, &reference.name)
        else {
            return Value::error(format!("`{symbol}` is not declared"));
        };
        let Some(first) = reference.attribute.first() else {
            return Value::unknown_symbol(format!("`{symbol}` is a whole resource"), symbol);
        };
        if let Some(InstanceKey::Unknown(_)) = reference.instance_key {
            return Value::unknown_symbol(
                format!("the instance key of `{symbol}` is not known statically"),
                symbol,
            );
        }
        let argument = argument_for_attribute(&reference.resource_type, first);
        let Some(expr) = decl.attribute(argument) else {
            return Value::unknown_symbol(
                format!("`{symbol}` is only known once Terraform applies the resource"),
                symbol,
            );
        };
        let context = InstanceContext::of(&self.instances(decl), reference.instance_key.as_ref());
        match self.with_instance(context, || self.eval(expr)) {
            Value::Unknown(u) => Value::Unknown(Unknown {
                symbol: Some(u.symbol.unwrap_or(symbol)),
                ..u
            }),
            value => reference.attribute[1..]
                .iter()
                .fold(value, |v, attr| get_attr(v, attr)),
        }
    }

    /// [`Self::materialize`] inside lists and maps too (function arguments).
    pub(super) fn materialize_deep(&self, value: Value) -> Value {
        match value {
            Value::List(items) => Value::List(
                items
                    .into_iter()
                    .map(|v| self.materialize_deep(v))
                    .collect(),
            ),
            Value::Object(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, self.materialize_deep(v)))
                    .collect(),
            ),
            // A whole resource stays a reference: `length(aws_iam_user.x)`.
            Value::Ref(r) if r.attribute.is_empty() => Value::Ref(r),
            other => self.materialize(other),
        }
    }

    /// `ops` applied to a shared value, copying only what they select:
    /// `local.users[each.key].name`, read once per user, must not copy
    /// every user each time. Anything but plain attribute and index steps
    /// into maps and lists goes on through [`Self::apply`].
    fn apply_shared(&self, value: &Value, ops: &[Decorated<TraversalOperator>]) -> Value {
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

    fn apply(&self, mut value: Value, ops: &[Decorated<TraversalOperator>]) -> Value {
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

/// The `module "name"` header of a call: where findings about what the
/// call creates point in the caller.
pub fn call_span(call: &Decl<'_>) -> crate::source::Span {
    use hcl_edit::Span as _;
    let start = call.block.span().map_or(0, |r| r.start);
    let end = call
        .block
        .labels
        .last()
        .and_then(|l| l.span())
        .map_or(start, |r| r.end);
    call.span(start..end.max(start))
}

/// The (key, value) pairs a `for` expression or a `dynamic` block iterates
/// over: index and element of a list, key and value of a map; `null` is
/// empty. Anything else is why not (an unknown, or an error).
pub fn iteration_items(collection: Value) -> Result<Vec<(Value, Value)>, Unknown> {
    match collection {
        Value::List(items) => Ok(items
            .into_iter()
            .enumerate()
            .map(|(i, v)| (Value::Number(i as f64), v))
            .collect()),
        Value::Object(map) => Ok(map
            .into_iter()
            .map(|(k, v)| (Value::String(k), v))
            .collect()),
        Value::Null => Ok(Vec::new()),
        Value::Unknown(u) => Err(u),
        other => Err(Unknown {
            reason: format!("cannot iterate over a {}", other.type_name()).into(),
            symbol: None,
            error: true,
        }),
    }
}

enum ForItem {
    Skip,
    Unknown(Unknown),
    Element(Value),
    Entry(String, Value),
}

fn unknown_of(reason: &str) -> Unknown {
    Unknown {
        reason: reason.into(),
        symbol: None,
        error: true,
    }
}

/// The instance key an index expression designates.
fn instance_key(value: Value, expr: &Expression) -> InstanceKey {
    match value {
        Value::String(s) => InstanceKey::Key(s),
        Value::Number(n) if n >= 0.0 && n.fract() == 0.0 => InstanceKey::Index(n as usize),
        _ => InstanceKey::Unknown(expression_text(expr)),
    }
}

/// For the IAM resources whose `id` is their name.
fn argument_for_attribute<'s>(resource_type: &str, attribute: &'s str) -> &'s str {
    match (resource_type, attribute) {
        ("aws_iam_user" | "aws_iam_group" | "aws_iam_role", "id") => "name",
        _ => attribute,
    }
}

/// A short rendering of a simple expression (`each.key`, `count.index`).
fn expression_text(expr: &Expression) -> String {
    match expr {
        Expression::String(s) => format!("{:?}", s.value()),
        Expression::Number(n) => n.value().to_string(),
        Expression::Variable(v) => v.as_str().to_string(),
        Expression::Traversal(t) => {
            let mut text = expression_text(&t.expr);
            for op in &t.operators {
                match op.value() {
                    TraversalOperator::GetAttr(a) => {
                        text.push('.');
                        text.push_str(a.as_str());
                    }
                    _ => text.push_str("[…]"),
                }
            }
            text
        }
        _ => "…".into(),
    }
}

fn get_attr(value: Value, name: &str) -> Value {
    match value {
        Value::Object(mut map) => map
            .remove(name)
            .unwrap_or_else(|| Value::error(format!("the object has no attribute `{name}`"))),
        Value::Unknown(u) => Value::Unknown(Unknown {
            symbol: u.symbol.map(|s| format!("{s}.{name}")),
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

fn binary(op: BinaryOperator, lhs: Value, rhs: Value) -> Value {
    use BinaryOperator as B;
    if let Value::Unknown(u) = &lhs {
        return Value::Unknown(Unknown {
            symbol: None,
            ..u.clone()
        });
    }
    if let Value::Unknown(u) = &rhs {
        return Value::Unknown(Unknown {
            symbol: None,
            ..u.clone()
        });
    }
    match (op, &lhs, &rhs) {
        (B::Eq, _, _) => Value::Bool(lhs == rhs),
        (B::NotEq, _, _) => Value::Bool(lhs != rhs),
        (B::And, Value::Bool(a), Value::Bool(b)) => Value::Bool(*a && *b),
        (B::Or, Value::Bool(a), Value::Bool(b)) => Value::Bool(*a || *b),
        (_, Value::Number(a), Value::Number(b)) => {
            let (a, b) = (*a, *b);
            match op {
                B::Plus => Value::Number(a + b),
                B::Minus => Value::Number(a - b),
                B::Mul => Value::Number(a * b),
                B::Div if b != 0.0 => Value::Number(a / b),
                B::Mod if b != 0.0 => Value::Number(a % b),
                B::Less => Value::Bool(a < b),
                B::LessEq => Value::Bool(a <= b),
                B::Greater => Value::Bool(a > b),
                B::GreaterEq => Value::Bool(a >= b),
                _ => Value::error(format!(
                    "`{} {} {}` has no value",
                    format_number(a),
                    op.as_str(),
                    format_number(b)
                )),
            }
        }
        _ => Value::error(format!(
            "operator `{}` does not apply to a {} and a {}",
            op.as_str(),
            lhs.type_name(),
            rhs.type_name()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::terraform::module::TfFile;
    use crate::source::FileId;

    /// Evaluates `local.out` in a module made of `text`.
    /// Runs `f` with an evaluator of a root module made of `text`, and its
    /// locals by name.
    fn in_module<T>(
        text: &str,
        f: impl FnOnce(&Evaluator<'_>, &HashMap<&str, &Expression>) -> T,
    ) -> T {
        let body = hcl_edit::parser::parse_body(text).expect("valid HCL");
        let files = vec![TfFile {
            spans: None,
            file: FileId(0),
            body,
        }];
        let modules = BTreeMap::from([(std::path::PathBuf::new(), ModuleIndex::new(&files))]);
        let tree = Tree::new(
            &modules,
            std::path::PathBuf::new(),
            BTreeMap::new(),
            None,
            &[],
        );
        let evaluator = tree.evaluator(tree.root());
        f(&evaluator, &modules[&std::path::PathBuf::new()].locals)
    }

    fn eval_local(text: &str) -> Value {
        in_module(text, |evaluator, locals| {
            evaluator.materialize(evaluator.eval(locals["out"]))
        })
    }

    fn string(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn variables_defaults_locals_and_templates_resolve() {
        let module = r#"
            variable "env" { default = "prod" }
            locals {
              team = "ops"
              out  = "${var.env}-${local.team}-${upper("x")}"
            }
        "#;
        assert_eq!(eval_local(module), string("prod-ops-X"));
    }

    #[test]
    fn a_variable_without_default_is_unknown_with_its_symbol() {
        let module = r#"
            variable "user" {}
            locals { out = "${var.user}-mfa" }
        "#;
        match eval_local(module) {
            Value::Unknown(u) => {
                assert!(u.reason.contains("no default"), "{}", u.reason);
                assert_eq!(u.symbol.as_deref(), Some("${var.user}-mfa"));
            }
            other => panic!("expected unknown, got {other:?}"),
        }
    }

    #[test]
    fn locals_evaluated_once_still_report_their_references_and_see_no_for_variables() {
        let module = r#"
            resource "aws_iam_user" "a" { name = "alice" }
            locals {
              u     = aws_iam_user.a
              first = local.u.name
              again = "${local.u.name}!"
              leak  = v
              out   = [for v in ["z"] : local.leak]
            }
        "#;
        let (refs, out) = in_module(module, |evaluator, locals| {
            let refs: Vec<Vec<String>> = ["first", "again"]
                .iter()
                .map(|name| {
                    let (_, refs) = evaluator.eval_with_refs(locals[name]);
                    refs.iter().map(ResourceRef::address).collect()
                })
                .collect();
            (refs, evaluator.eval(locals["out"]))
        });
        assert_eq!(refs, [["aws_iam_user.a"], ["aws_iam_user.a"]]);
        let Value::List(items) = out else {
            panic!("a list: {out:?}")
        };
        assert!(
            matches!(&items[0], Value::Unknown(u) if u.reason.contains("`v` cannot be evaluated")),
            "a local does not see the `for` variable of where it is read: {items:?}"
        );
    }

    #[test]
    fn resource_arguments_are_read_through_references() {
        let module = r#"
            resource "aws_iam_user" "a" { name = "alice" }
            locals { out = "${aws_iam_user.a.id}@example" }
        "#;
        assert_eq!(eval_local(module), string("alice@example"));
    }

    #[test]
    fn computed_attributes_stay_unknown() {
        let module = r#"
            resource "aws_iam_user" "a" { name = "alice" }
            locals { out = "${aws_iam_user.a.arn}" }
        "#;
        assert!(matches!(eval_local(module), Value::Unknown(_)));
    }

    #[test]
    fn self_referencing_locals_do_not_loop() {
        let module = r#"locals {
            out = local.other
            other = local.out
        }"#;
        match eval_local(module) {
            Value::Unknown(u) => assert!(u.reason.contains("refers to itself"), "{}", u.reason),
            other => panic!("expected unknown, got {other:?}"),
        }
    }

    #[test]
    fn conditionals_indexes_and_maps_evaluate() {
        let module = r#"
            variable "people" { default = { alice = { role = "admin" } } }
            variable "on" { default = true }
            locals { out = var.on ? var.people["alice"].role : "none" }
        "#;
        assert_eq!(eval_local(module), string("admin"));
    }

    #[test]
    fn heredocs_strip_their_indent() {
        let module = "locals {\n  out = <<-EOT\n    a\n      b\n    EOT\n}\n";
        assert_eq!(eval_local(module), string("a\n  b\n"));
    }

    #[test]
    fn for_expressions_filter_and_build_maps() {
        let module = r#"
            variable "people" {
              default = { ana = { mfa = true }, ben = { mfa = false } }
            }
            locals {
              out = join(",", [for name, p in var.people : upper(name) if p.mfa])
            }
        "#;
        assert_eq!(eval_local(module), string("ANA"));
        let module = r#"
            locals {
              out = { for n in ["a", "b"] : n => "${n}-x" }["b"]
            }
        "#;
        assert_eq!(eval_local(module), string("b-x"));
    }

    #[test]
    fn splats_and_instances_of_counted_resources() {
        let module = r#"
            resource "aws_iam_user" "svc" {
              count = 2
              name  = "svc-${count.index}"
            }
            locals { out = join(" ", aws_iam_user.svc[*].name) }
        "#;
        assert_eq!(eval_local(module), string("svc-0 svc-1"));
    }

    #[test]
    fn for_each_instances_read_their_own_each_value() {
        let module = r#"
            resource "aws_iam_user" "team" {
              for_each = { a = "alice", b = "bob" }
              name     = each.value
            }
            locals { out = aws_iam_user.team["b"].name }
        "#;
        assert_eq!(eval_local(module), string("bob"));
    }

    #[test]
    fn unknown_collections_stay_unknown() {
        // Unknown is never empty: `for`, splats, conditionals and indexes
        // over an unknown give an unknown, or a value still holding it.
        fn holds_unknown(v: &Value) -> bool {
            match v {
                Value::Unknown(u) => !u.error,
                Value::List(items) => items.iter().any(holds_unknown),
                Value::Object(map) => map.values().any(holds_unknown),
                _ => false,
            }
        }
        let module = |expr: &str| {
            format!("variable \"u\" {{}}\nvariable \"c\" {{}}\nlocals {{\n  out = {expr}\n}}\n")
        };
        for expr in [
            "[for x in var.u : x]",
            "{ for k, v in var.u : k => v }",
            "[for x in var.u : x if x != \"b\"]",
            "[for x in [\"a\", var.c] : x if x != \"b\"]",
            "var.u[*].name",
            "values(var.u)",
            "keys(var.u)",
            "flatten([var.u, [\"a\"]])",
            "concat([\"a\"], var.u)",
            "merge({ a = 1 }, var.u)",
            "toset(var.u)",
            "distinct(var.u)",
            "lookup(var.u, \"a\", \"x\")",
            "var.c ? [\"a\"] : []",
            "var.u[\"a\"]",
            "length(var.u) > 0 ? var.u : {}",
            "try(var.u, [])",
            "coalesce(var.c, \"x\")",
            "setunion(var.u, [\"a\"])",
            "one(var.u)",
        ] {
            let value = eval_local(&module(expr));
            assert!(holds_unknown(&value), "{expr} = {value:?}");
        }
    }

    #[test]
    fn expanded_arguments_are_spliced() {
        let out = |expr: &str| eval_local(&format!("locals {{\n  out = {expr}\n}}\n"));
        assert_eq!(
            out("merge([{ a = 1 }, { b = 2 }]...)"),
            out("{ a = 1, b = 2 }")
        );
        assert_eq!(
            out("concat([\"x\"], [[\"y\"], [\"z\"]]...)"),
            out("[\"x\", \"y\", \"z\"]")
        );
        assert!(matches!(out("merge(\"no\"...)"), Value::Unknown(u) if u.error));
    }

    #[test]
    fn comparisons_of_unknowns_lose_the_symbol() {
        let module = r#"
            variable "user" {}
            locals { out = var.user == "x" }
        "#;
        match eval_local(module) {
            Value::Unknown(u) => assert_eq!(u.symbol, None),
            other => panic!("expected unknown, got {other:?}"),
        }
    }
}
