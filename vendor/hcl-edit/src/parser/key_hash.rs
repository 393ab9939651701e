//! mfalint patch: a hash of an object key that is neither an identifier
//! nor a string literal (`(k) = 1`, `"k${i}" = 1`, `local.k = 1`), which
//! every key equal to it shares: it reads only what `PartialEq` compares
//! (not all of it: no whitespace-stripping marks, trailing commas or
//! splats, nothing past a depth), an object's items in any order. Both
//! object parsers compare such a key with `==` only against the earlier
//! keys of its hash, instead of against every earlier one (an object of
//! 20,000 `(kN) = N` keys took 2 s to parse, one of 100,000 mixed keys
//! 54 s).

use std::hash::{Hash, Hasher};

use fnv::FnvHasher;

use crate::expr::{Expression, ObjectKey, TraversalOperator};
use crate::template::{Directive, Element, Template};
use crate::{Decorated, Ident};

/// Equal keys (by `==`) have equal hashes; unequal keys mostly do not.
pub(super) fn key_hash(expr: &Expression) -> u64 {
    let mut hasher = FnvHasher::default();
    hash_expression(expr, &mut hasher, 0);
    hasher.finish()
}

/// How deep the hash looks into nested expressions: past the parsers' own
/// limits on nesting (64) and operator chains (128), so that the stack
/// stays bounded whatever the tree; keys equal to that depth share a hash
/// and are told apart by `==`.
const DEPTH: usize = 256;

fn hash_expression(expr: &Expression, h: &mut FnvHasher, depth: usize) {
    std::mem::discriminant(expr).hash(h);
    if depth == DEPTH {
        return;
    }
    let nested = |expr: &Expression, h: &mut FnvHasher| hash_expression(expr, h, depth + 1);
    match expr {
        Expression::Null(_) => {}
        Expression::Bool(b) => b.value().hash(h),
        // Numbers equal across representations (1 and 1.0) by value; +0
        // and -0 are equal too.
        Expression::Number(n) => {
            let value = n.value().as_f64().unwrap_or(0.0);
            let value = if value == 0.0 { 0.0 } else { value };
            value.to_bits().hash(h);
        }
        Expression::String(s) => s.value().hash(h),
        Expression::Variable(v) => v.value().as_str().hash(h),
        Expression::Parenthesis(p) => nested(p.inner(), h),
        Expression::StringTemplate(t) => hash_template(t, h, depth + 1),
        Expression::HeredocTemplate(t) => {
            t.delimiter.as_str().hash(h);
            hash_template(&t.template, h, depth + 1);
        }
        Expression::Traversal(t) => {
            nested(&t.expr, h);
            for operator in &t.operators {
                let operator = operator.value();
                std::mem::discriminant(operator).hash(h);
                match operator {
                    TraversalOperator::GetAttr(name) => name.value().as_str().hash(h),
                    TraversalOperator::Index(index) => nested(index, h),
                    TraversalOperator::LegacyIndex(index) => index.value().hash(h),
                    TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {}
                }
            }
        }
        Expression::FuncCall(f) => {
            f.name.name.value().as_str().hash(h);
            for part in &f.name.namespace {
                part.value().as_str().hash(h);
            }
            for arg in f.args.iter() {
                nested(arg, h);
            }
        }
        Expression::Array(a) => {
            for value in a.iter() {
                nested(value, h);
            }
        }
        // Objects are equal whatever the order of their items: the items'
        // hashes are added up.
        Expression::Object(o) => {
            let mut sum = 0u64;
            for (key, value) in o.iter() {
                let mut item = FnvHasher::default();
                match key {
                    ObjectKey::Ident(name) => name.value().as_str().hash(&mut item),
                    ObjectKey::Expression(key) => hash_expression(key, &mut item, depth + 1),
                }
                hash_expression(value.expr(), &mut item, depth + 1);
                sum = sum.wrapping_add(item.finish());
            }
            sum.hash(h);
        }
        Expression::Conditional(c) => {
            nested(&c.cond_expr, h);
            nested(&c.true_expr, h);
            nested(&c.false_expr, h);
        }
        Expression::UnaryOp(op) => {
            std::mem::discriminant(op.operator.value()).hash(h);
            nested(&op.expr, h);
        }
        Expression::BinaryOp(op) => {
            nested(&op.lhs_expr, h);
            std::mem::discriminant(op.operator.value()).hash(h);
            nested(&op.rhs_expr, h);
        }
        Expression::ForExpr(f) => {
            hash_variables(f.intro.key_var.as_ref(), &f.intro.value_var, h);
            nested(&f.intro.collection_expr, h);
            if let Some(key) = &f.key_expr {
                nested(key, h);
            }
            nested(&f.value_expr, h);
            f.grouping.hash(h);
            if let Some(cond) = &f.cond {
                nested(&cond.expr, h);
            }
        }
    }
}

/// A template's elements in order: literal text, interpolated
/// expressions, and the conditions, collections and templates of its
/// directives.
fn hash_template(template: &Template, h: &mut FnvHasher, depth: usize) {
    if depth >= DEPTH {
        return;
    }
    for element in template.iter() {
        std::mem::discriminant(element).hash(h);
        match element {
            Element::Literal(s) => s.value().hash(h),
            Element::Interpolation(i) => hash_expression(&i.expr, h, depth + 1),
            Element::Directive(directive) => match directive.as_ref() {
                Directive::If(d) => {
                    hash_expression(&d.if_expr.cond_expr, h, depth + 1);
                    hash_template(&d.if_expr.template, h, depth + 1);
                    if let Some(otherwise) = &d.else_expr {
                        hash_template(&otherwise.template, h, depth + 1);
                    }
                }
                Directive::For(d) => {
                    let each = &d.for_expr;
                    hash_variables(each.key_var.as_ref(), &each.value_var, h);
                    hash_expression(&each.collection_expr, h, depth + 1);
                    hash_template(&each.template, h, depth + 1);
                }
            },
        }
    }
}

/// A `for`'s variables: `for k, v in` and `for v in` differ.
fn hash_variables(key: Option<&Decorated<Ident>>, value: &Decorated<Ident>, h: &mut FnvHasher) {
    key.map(|k| k.value().as_str()).hash(h);
    value.value().as_str().hash(h);
}
