//! mfalint patch: a hash of an object key that is neither an identifier
//! nor a string literal (`(k) = 1`, `"k${i}" = 1`, `local.k = 1`), which
//! every key equal to it shares: it reads only what `PartialEq` compares
//! (not all of it, and nothing past a depth). Both object parsers compare such a key with `==`
//! only against the earlier keys of its hash, instead of against every
//! earlier one (an object of 20,000 `(kN) = N` keys took 2 s to parse,
//! one of 200,000 minutes).

use std::hash::{Hash, Hasher};

use crate::expr::{Expression, TraversalOperator};
use crate::template::Element;

/// Equal keys (by `==`) have equal hashes; unequal keys mostly do not.
pub(super) fn key_hash(expr: &Expression) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hash_expression(expr, &mut hasher, 0);
    hasher.finish()
}

/// How deep the hash looks into nested expressions: a key's hash costs
/// at most its size, and past this depth keys share hashes (and are told
/// apart by `==`).
const DEPTH: usize = 8;

fn hash_expression(expr: &Expression, h: &mut fnv::FnvHasher, depth: usize) {
    std::mem::discriminant(expr).hash(h);
    if depth == DEPTH {
        return;
    }
    let nested = |expr: &Expression, h: &mut fnv::FnvHasher| hash_expression(expr, h, depth + 1);
    match expr {
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
        Expression::StringTemplate(t) => {
            for element in t.iter() {
                std::mem::discriminant(element).hash(h);
                match element {
                    Element::Literal(s) => s.value().hash(h),
                    Element::Interpolation(i) => nested(&i.expr, h),
                    Element::Directive(_) => {}
                }
            }
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
        Expression::Object(o) => o.len().hash(h),
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
        // Compared by `==` alone.
        Expression::Null(_) | Expression::HeredocTemplate(_) | Expression::ForExpr(_) => {}
    }
}
