//! The evaluator's tests: one module's expressions, evaluated.

use super::*;
use crate::frontend::terraform::module::TfFile;
use crate::frontend::terraform::tree::Tree;
use crate::source::FileId;

/// Evaluates `local.out` in a module made of `text`.
/// Runs `f` with an evaluator of a root module made of `text`, and its
/// locals by name.
fn in_module<T>(text: &str, f: impl FnOnce(&Evaluator<'_>, &HashMap<&str, &Expression>) -> T) -> T {
    let body = hcl_edit::parser::parse_body(text).expect("valid HCL");
    let files = vec![TfFile {
        spans: None,
        file: FileId(0),
        body,
        unit: None,
        kept: crate::frontend::terraform::module::Kept::Whole,
    }];
    let modules = BTreeMap::from([(std::path::PathBuf::new(), ModuleIndex::new(&files, &[]))]);
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
