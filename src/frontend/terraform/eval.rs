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

use super::aws;
use super::budget;
use super::budget::Budget;
use super::functions;
use super::instance::{Inputs, InstanceContext, Instances, ModuleInstance, Named, NotFollowed};
use super::module::{Decl, ModuleIndex};
use super::value::{InstanceKey, ResourceRef, Unknown, Value, format_number, qualify};
use crate::source::Span;

mod references;
#[cfg(test)]
mod tests;

use references::get_attr;

/// Nesting depth (locals through locals, resource arguments through
/// resource arguments) past which evaluation gives up with an unknown.
const MAX_DEPTH: u32 = 64;

/// More instances than this are not expanded (the resource stays one
/// unexpanded entity): a guard against `count = 1e9`.
pub const MAX_INSTANCES: usize = 10_000;

/// The resources an evaluation referred to.
#[derive(Debug, Default)]
pub struct Refs(Vec<Rc<[ResourceRef]>>);

impl Refs {
    pub fn iter(&self) -> impl Iterator<Item = &ResourceRef> {
        self.0.iter().flat_map(|chunk| chunk.iter())
    }
}

/// What an evaluator asks of the module tree it evaluates in: the other
/// module instances (their evaluators, outputs and calls), the values and
/// instance sets memoised across evaluators, the bound on the work, and
/// the files read. The tree (`tree.rs`) answers; the evaluator never names
/// it, so the two stay apart though each needs the other (module outputs
/// are evaluated, and evaluation reads module outputs).
pub trait Modules<'a> {
    fn budget(&self) -> &Budget;
    /// Notes a folder or file the result depends on.
    fn note_input(&self, path: PathBuf);
    fn root_dir(&self) -> &Path;
    /// Canonical folders that file functions may read from.
    fn readable_roots(&self) -> &'a [PathBuf];
    fn index(&self, instance: &ModuleInstance) -> &'a ModuleIndex<'a>;
    /// The module instance at an address, once created.
    fn instance(&self, address: &str) -> Option<Rc<ModuleInstance>>;
    /// An evaluator for a module instance.
    fn evaluator(&'a self, instance: Rc<ModuleInstance>) -> Evaluator<'a>;
    /// An output of a module instance, evaluated once and shared.
    fn output(&'a self, instance: &Rc<ModuleInstance>, name: &str) -> Rc<Value>;
    /// The instance a call creates (for one instance key), or why the
    /// call is not followed.
    fn child(
        &self,
        parent: &Rc<ModuleInstance>,
        call: &Decl<'_>,
        key: Option<InstanceKey>,
        span: Span,
    ) -> Result<Rc<ModuleInstance>, NotFollowed>;
    fn memoised_value(&self, address: &str, key: &str) -> Option<Named>;
    fn is_memoised(&self, address: &str, key: &str) -> bool;
    fn memoise_value(&self, address: &str, key: &str, named: Named);
    /// The instances of `decl` in the module instance at `address`,
    /// computed once.
    fn memoised_instances(
        &self,
        address: &str,
        decl: &Decl<'_>,
        compute: &dyn Fn() -> Instances,
    ) -> Rc<Instances>;
}

/// Evaluates expressions in one module instance: its variables, locals,
/// resources, and the outputs of the modules it calls.
pub struct Evaluator<'a> {
    tree: &'a dyn Modules<'a>,
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
    pub fn new(tree: &'a dyn Modules<'a>, module: Rc<ModuleInstance>, inputs: Rc<Inputs>) -> Self {
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
        self.tree.budget()
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
            .memoised_instances(&self.module.address, decl, &|| {
                let instances = self.in_module_scope(|| self.compute_instances(decl));
                let count = match &instances {
                    Instances::Count(n) => *n,
                    Instances::ForEach(map) => map.len(),
                    Instances::Single | Instances::Unknown { .. } => 0,
                };
                if self.tree.budget().take_instances(count) {
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
                    iterates: Some(*r),
                }
            }
            other => unknown(format!("`for_each` is a {}", other.type_name())),
        }
    }

    pub fn eval(&self, expr: &Expression) -> Value {
        let budget = self.tree.budget();
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
                symbol: symbolic.then(|| symbol.into()),
                ..u
            }),
            None => Value::String(text),
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
        let argument = aws::attribute_argument(&reference.resource_type, first);
        let Some(expr) = decl.attribute(argument) else {
            return Value::unknown_symbol(
                format!("`{symbol}` is only known once Terraform applies the resource"),
                symbol,
            );
        };
        let context = InstanceContext::of(&self.instances(decl), reference.instance_key.as_ref());
        match self.with_instance(context, || self.eval(expr)) {
            Value::Unknown(u) => Value::Unknown(Unknown {
                symbol: Some(u.symbol.unwrap_or_else(|| symbol.into())),
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
