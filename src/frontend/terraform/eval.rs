//! Static evaluation of Terraform expressions within one module.
//!
//! Resolves what Terraform itself could resolve from the files alone:
//! literals, variable defaults, locals, string templates, a set of pure
//! functions, conditionals with known conditions, and arguments of other
//! resources. Everything else is [`Value::Unknown`] with a reason.
//!
//! Our own evaluator rather than `hcl::eval`: rules need unknowns that carry
//! a reason and a symbol, and resource references kept as references.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use hcl_edit::expr::{
    BinaryOperator, Expression, ObjectKey, Traversal, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Element, Template};
use hcl_edit::{Decorated, Ident};

use super::functions;
use super::module::ModuleIndex;
use super::value::{ResourceRef, Unknown, Value, format_number};

/// Nesting depth (locals through locals, resource arguments through
/// resource arguments) past which evaluation gives up with an unknown.
const MAX_DEPTH: u32 = 64;

/// Evaluates expressions against one module's variables, locals and resources.
pub struct Evaluator<'a> {
    index: &'a ModuleIndex<'a>,
    depth: Cell<u32>,
    active_locals: RefCell<Vec<String>>,
    refs: RefCell<Vec<ResourceRef>>,
}

impl<'a> Evaluator<'a> {
    pub fn new(index: &'a ModuleIndex<'a>) -> Self {
        Evaluator {
            index,
            depth: Cell::new(0),
            active_locals: RefCell::new(Vec::new()),
            refs: RefCell::new(Vec::new()),
        }
    }

    /// Evaluates an expression and also returns every resource it referred
    /// to, even where the reference was resolved into a plain value.
    pub fn eval_with_refs(&self, expr: &Expression) -> (Value, Vec<ResourceRef>) {
        let saved = std::mem::take(&mut *self.refs.borrow_mut());
        let value = self.eval(expr);
        let refs = std::mem::replace(&mut *self.refs.borrow_mut(), saved);
        (value, refs)
    }

    pub fn eval(&self, expr: &Expression) -> Value {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return Value::unknown("the expression nests too deeply to evaluate");
        }
        self.depth.set(depth + 1);
        let value = self.eval_inner(expr);
        self.depth.set(depth);
        value
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
                        ObjectKey::Expression(e) => match self.eval(e).to_template_string() {
                            Some(k) => k,
                            None => return Value::unknown("an object key is not known"),
                        },
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
            Expression::Conditional(c) => match self.eval(&c.cond_expr) {
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
                let args: Vec<Value> = call
                    .args
                    .iter()
                    .map(|a| self.materialize(self.eval(a)))
                    .collect();
                if call.args.expand_final() {
                    return Value::unknown(format!("`{name}(...)` with expanded arguments"));
                }
                functions::call(name, args)
            }
            Expression::UnaryOp(op) => {
                match (op.operator.value(), self.materialize(self.eval(&op.expr))) {
                    (UnaryOperator::Not, Value::Bool(b)) => Value::Bool(!b),
                    (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
                    (_, Value::Unknown(u)) => Value::Unknown(u),
                    _ => Value::unknown("invalid operand of a unary operator"),
                }
            }
            Expression::BinaryOp(op) => binary(
                *op.operator.value(),
                self.materialize(self.eval(&op.lhs_expr)),
                self.materialize(self.eval(&op.rhs_expr)),
            ),
            Expression::ForExpr(_) => Value::unknown("`for` expressions are not evaluated yet"),
        }
    }

    fn eval_template(&self, template: &Template) -> Value {
        if let Some(Element::Interpolation(single)) = template.as_single_element() {
            let value = self.materialize(self.eval(&single.expr));
            return match value {
                Value::Unknown(_) => value,
                other => other
                    .to_template_string()
                    .map(Value::String)
                    .unwrap_or_else(|| {
                        Value::unknown(format!(
                            "a {} cannot be used in a string template",
                            other.type_name()
                        ))
                    }),
            };
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
                            return Value::unknown(format!(
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
                reason: u.reason,
                symbol: symbolic.then_some(symbol),
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
        let first = ops.first().and_then(|op| match op.value() {
            TraversalOperator::GetAttr(name) => Some(name.as_str()),
            _ => None,
        });
        let rest = ops.get(1..).unwrap_or(&[]);
        match (root, first) {
            ("var", Some(name)) => {
                let value = self.variable(name);
                self.apply(value, rest)
            }
            ("local", Some(name)) => {
                let value = self.local(name);
                self.apply(value, rest)
            }
            ("each", _) | ("count", _) => Value::unknown(format!(
                "`{root}.{}` depends on `{}` instances, which are not expanded yet",
                first.unwrap_or("?"),
                if root == "each" { "for_each" } else { "count" }
            )),
            ("data", Some(data_type)) => {
                let name = rest.first().and_then(|op| match op.value() {
                    TraversalOperator::GetAttr(name) => Some(name.as_str()),
                    _ => None,
                });
                Value::unknown(format!(
                    "data source `data.{data_type}.{}` is only known when Terraform runs",
                    name.unwrap_or("?")
                ))
            }
            ("module", Some(module)) => {
                Value::unknown(format!("output of module `{module}` is not evaluated yet"))
            }
            ("path" | "terraform" | "self", _) => {
                Value::unknown(format!("`{root}.*` is only known when Terraform runs"))
            }
            (resource_type, Some(name)) if self.index.has_resource_type(resource_type) => {
                if self.index.resource(resource_type, name).is_none() {
                    return Value::unknown(format!(
                        "`{resource_type}.{name}` is not declared in this module"
                    ));
                }
                self.resource_ref(resource_type, name, rest)
            }
            (other, Some(name)) => {
                Value::unknown(format!("`{other}.{name}` is not declared in this module"))
            }
            (other, None) => Value::unknown(format!("`{other}` cannot be evaluated statically")),
        }
    }

    fn variable(&self, name: &str) -> Value {
        match self.index.variables.get(name) {
            None => Value::unknown_symbol(
                format!("variable `{name}` is not declared"),
                format!("var.{name}"),
            ),
            Some(None) => Value::unknown_symbol(
                format!("variable `{name}` has no default value"),
                format!("var.{name}"),
            ),
            Some(Some(default)) => match self.eval(default) {
                Value::Unknown(u) => Value::Unknown(Unknown {
                    symbol: Some(format!("var.{name}")),
                    ..u
                }),
                value => value,
            },
        }
    }

    fn local(&self, name: &str) -> Value {
        let Some(local) = self.index.locals.get(name) else {
            return Value::unknown(format!("`local.{name}` is not declared"));
        };
        if self.active_locals.borrow().iter().any(|l| l == name) {
            return Value::unknown(format!("`local.{name}` refers to itself"));
        }
        self.active_locals.borrow_mut().push(name.to_string());
        let value = self.eval(local);
        self.active_locals.borrow_mut().pop();
        value
    }

    fn resource_ref(
        &self,
        resource_type: &str,
        name: &str,
        ops: &[Decorated<TraversalOperator>],
    ) -> Value {
        let mut ops = ops.iter().peekable();
        let mut instance_key = None;
        if let Some(op) = ops.peek() {
            match op.value() {
                TraversalOperator::Index(key) => {
                    instance_key = Some(index_key_text(key));
                    ops.next();
                }
                TraversalOperator::LegacyIndex(key) => {
                    instance_key = Some(key.value().to_string());
                    ops.next();
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    instance_key = Some("*".into());
                    ops.next();
                }
                TraversalOperator::GetAttr(_) => {}
            }
        }
        let mut attribute = Vec::new();
        for op in ops {
            match op.value() {
                TraversalOperator::GetAttr(a) => attribute.push(a.as_str().to_string()),
                _ => break,
            }
        }
        let reference = ResourceRef {
            resource_type: resource_type.to_string(),
            name: name.to_string(),
            instance_key,
            attribute,
        };
        self.refs.borrow_mut().push(reference.clone());
        Value::Ref(reference)
    }

    /// Turns a resource reference into the value of the argument it reads,
    /// where the configuration fixes it (`aws_iam_user.a.name` is whatever
    /// `name` says); anything else stays a reference or becomes unknown.
    pub fn materialize(&self, value: Value) -> Value {
        let Value::Ref(reference) = value else {
            return value;
        };
        let symbol = ref_text(&reference);
        let Some(decl) = self
            .index
            .resource(&reference.resource_type, &reference.name)
        else {
            return Value::unknown_symbol(format!("`{symbol}` is not declared"), symbol);
        };
        let Some(first) = reference.attribute.first() else {
            return Value::unknown_symbol(format!("`{symbol}` is a whole resource"), symbol);
        };
        let argument = argument_for_attribute(&reference.resource_type, first);
        match decl.attribute(argument) {
            Some(expr) => match self.eval(expr) {
                Value::Unknown(u) => Value::Unknown(Unknown {
                    symbol: Some(u.symbol.unwrap_or(symbol)),
                    ..u
                }),
                value => self.apply_attrs(value, &reference.attribute[1..]),
            },
            None => Value::unknown_symbol(
                format!("`{symbol}` is only known once Terraform applies the resource"),
                symbol,
            ),
        }
    }

    fn apply_attrs(&self, value: Value, attrs: &[String]) -> Value {
        attrs.iter().fold(value, |v, attr| get_attr(v, attr))
    }

    fn apply(&self, mut value: Value, ops: &[Decorated<TraversalOperator>]) -> Value {
        for (i, op) in ops.iter().enumerate() {
            value = match op.value() {
                TraversalOperator::GetAttr(name) => get_attr(value, name.as_str()),
                TraversalOperator::Index(key) => {
                    let key = self.materialize(self.eval(key));
                    index(value, &key)
                }
                TraversalOperator::LegacyIndex(key) => {
                    index(value, &Value::Number(*key.value() as f64))
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    return match value {
                        Value::List(items) => Value::List(
                            items
                                .into_iter()
                                .map(|item| self.apply(item, &ops[i + 1..]))
                                .collect(),
                        ),
                        Value::Null => Value::List(Vec::new()),
                        Value::Unknown(u) => Value::Unknown(u),
                        other => Value::List(vec![self.apply(other, &ops[i + 1..])]),
                    };
                }
            };
        }
        value
    }
}

/// For the IAM resources whose `id` is their name.
fn argument_for_attribute<'s>(resource_type: &str, attribute: &'s str) -> &'s str {
    match (resource_type, attribute) {
        ("aws_iam_user" | "aws_iam_group" | "aws_iam_role", "id") => "name",
        _ => attribute,
    }
}

fn ref_text(reference: &ResourceRef) -> String {
    let mut text = reference.address();
    if let Some(key) = &reference.instance_key {
        text.push('[');
        text.push_str(key);
        text.push(']');
    }
    for attr in &reference.attribute {
        text.push('.');
        text.push_str(attr);
    }
    text
}

fn index_key_text(key: &Expression) -> String {
    match key {
        Expression::String(s) => format!("{:?}", s.value()),
        Expression::Number(n) => n.value().to_string(),
        Expression::Traversal(t) => {
            let mut text = match &t.expr {
                Expression::Variable(v) => v.as_str().to_string(),
                _ => "…".into(),
            };
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
            .unwrap_or_else(|| Value::unknown(format!("the object has no attribute `{name}`"))),
        Value::Unknown(u) => Value::Unknown(Unknown {
            symbol: u.symbol.map(|s| format!("{s}.{name}")),
            reason: u.reason,
        }),
        Value::Ref(mut r) => {
            r.attribute.push(name.to_string());
            Value::Ref(r)
        }
        other => Value::unknown(format!("a {} has no attribute `{name}`", other.type_name())),
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
            _ => Value::unknown(format!("index `{s}` is out of range")),
        },
        (Value::Object(mut map), key) => match key.to_template_string() {
            Some(k) => map
                .remove(&k)
                .unwrap_or_else(|| Value::unknown(format!("the map has no key `{k}`"))),
            None => Value::unknown("the map key is not a string"),
        },
        (value, key) => Value::unknown(format!(
            "cannot index a {} with a {}",
            value.type_name(),
            key.type_name()
        )),
    }
}

fn binary(op: BinaryOperator, lhs: Value, rhs: Value) -> Value {
    use BinaryOperator as B;
    if let Value::Unknown(u) = &lhs {
        return Value::Unknown(u.clone());
    }
    if let Value::Unknown(u) = &rhs {
        return Value::Unknown(u.clone());
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
                _ => Value::unknown(format!(
                    "`{} {} {}` has no value",
                    format_number(a),
                    op.as_str(),
                    format_number(b)
                )),
            }
        }
        _ => Value::unknown(format!(
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
    fn eval_local(text: &str) -> Value {
        let body = hcl_edit::parser::parse_body(text).expect("valid HCL");
        let files = vec![TfFile {
            file: FileId(0),
            body,
        }];
        let index = ModuleIndex::new(&files);
        let evaluator = Evaluator::new(&index);
        let expr = index.locals.get("out").expect("local.out");
        evaluator.materialize(evaluator.eval(expr))
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
}
