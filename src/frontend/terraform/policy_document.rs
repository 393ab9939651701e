//! `data "aws_iam_policy_document"`: the one data source whose result is
//! fixed by the configuration, so it is evaluated here into the policy JSON
//! that the AWS provider would render, per instance when it is repeated
//! with `count`/`for_each`.
//!
//! A statement that holds a value known only at apply time (an account id
//! from `data.aws_caller_identity`, an ARN) is rendered as a statement that
//! says why it is unknown (`crate::policy::UNKNOWN_STATEMENT`), so the other
//! statements are still judged: a fully known deny still enforces MFA. What
//! could change which statements exist by `Sid` (an unknown `sid`, unknown
//! override documents) leaves the whole document unknown.

use std::cell::RefCell;

use hcl_edit::structure::Block;
use serde_json::{Map, Value as Json};

use super::eval::Evaluator;
use super::instance::{InstanceContext, Instances};
use super::module::Decl;
use super::value::Value;
use crate::policy::UNKNOWN_STATEMENT;

/// The data source's value: its attributes (`json`, `minified_json`), or a
/// map (`for_each`) or list (`count`) of them, or unknown.
pub fn evaluate(eval: &Evaluator<'_>, decl: &Decl<'_>) -> Value {
    if decl.attribute("count").is_none() && decl.attribute("for_each").is_none() {
        return one(eval, decl);
    }
    let instances = eval.instances(decl);
    match &*instances {
        Instances::Single => one(eval, decl),
        Instances::Count(n) => Value::List(
            (0..*n)
                .map(|i| eval.with_instance(InstanceContext::Count(i), || one(eval, decl)))
                .collect(),
        ),
        Instances::ForEach(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let context = InstanceContext::Each {
                        key: key.clone(),
                        value: value.clone(),
                    };
                    (key.clone(), eval.with_instance(context, || one(eval, decl)))
                })
                .collect(),
        ),
        Instances::Unknown { meta, reason, .. } => Value::unknown(format!(
            "the instances of `data.{}` are not known statically (`{meta}`: {reason})",
            decl.address()
        )),
    }
}

/// One instance's attributes.
fn one(eval: &Evaluator<'_>, decl: &Decl<'_>) -> Value {
    match render(eval, &decl.merged_block()) {
        Ok(json) => {
            let text = json.to_string();
            Value::Object(
                [
                    ("json".to_string(), Value::String(text.clone())),
                    ("minified_json".to_string(), Value::String(text)),
                ]
                .into_iter()
                .collect(),
            )
        }
        Err(reason) => Value::unknown(format!(
            "policy document `data.{}`: {reason}",
            decl.address()
        )),
    }
}

/// A statement that could not be evaluated, with its `Sid` and `Effect`
/// when known (an `Allow` cannot enforce MFA, whatever it holds).
fn unknown_statement(sid: Option<String>, effect: Option<String>, why: String) -> Json {
    let mut statement = Map::new();
    if let Some(sid) = sid {
        statement.insert("Sid".into(), Json::String(sid));
    }
    if let Some(effect) = effect {
        statement.insert("Effect".into(), Json::String(effect));
    }
    statement.insert(UNKNOWN_STATEMENT.into(), Json::String(why));
    Json::Object(statement)
}

fn render(eval: &Evaluator<'_>, block: &Block) -> Result<Json, String> {
    let mut statements: Vec<Json> = Vec::new();
    // Sources come first and are replaced by statements, never the reverse:
    // an unknown source is one unknown statement.
    match string_list(eval, block, "source_policy_documents") {
        Ok(sources) => {
            for source in sources {
                statements.extend(statements_of(&source)?);
            }
        }
        Err(why) => statements.push(unknown_statement(None, None, why)),
    }
    let rendered: RefCell<Vec<Json>> = RefCell::new(Vec::new());
    // A `dynamic "statement"` whose `for_each` is unknown: statements of
    // unknown number, one unknown statement for them all.
    let mut unknown_dynamic = |content: &Block, why: String| {
        if content.body.get_attribute("sid").is_some() {
            // Its statements may replace known ones by `Sid`.
            return Err(why);
        }
        rendered
            .borrow_mut()
            .push(unknown_statement(None, None, why));
        Ok(())
    };
    each_block(
        eval,
        block,
        "statement",
        &mut |statement| {
            let json = match render_statement(eval, statement) {
                Ok(json) => json,
                Err(why) => {
                    // The `Sid` must be known: it decides what it replaces.
                    let sid = optional_string(eval, statement, "sid")?;
                    // The provider's default effect is Allow.
                    let effect = optional_string(eval, statement, "effect")
                        .ok()
                        .map(|e| e.unwrap_or_else(|| "Allow".into()));
                    unknown_statement(sid, effect, why)
                }
            };
            rendered.borrow_mut().push(json);
            Ok(())
        },
        Some(&mut unknown_dynamic),
    )?;
    for statement in rendered.into_inner() {
        merge_by_sid(&mut statements, statement);
    }
    for overriding in string_list(eval, block, "override_policy_documents")? {
        for statement in statements_of(&overriding)? {
            merge_by_sid(&mut statements, statement);
        }
    }
    let mut document = Map::new();
    let version = optional_string(eval, block, "version")?.unwrap_or_else(|| "2012-10-17".into());
    document.insert("Version".into(), Json::String(version));
    if let Some(id) = optional_string(eval, block, "policy_id")? {
        document.insert("Id".into(), Json::String(id));
    }
    document.insert("Statement".into(), Json::Array(statements));
    Ok(Json::Object(document))
}

/// What to do with a `dynamic` block whose `for_each` is unknown: given
/// its `content` and why; without it, the block is an error.
type OnUnknownDynamic<'f> = dyn FnMut(&Block, String) -> Result<(), String> + 'f;

/// Calls `f` for every block named `name`, in document order, expanding
/// `dynamic "name"` blocks: one `content` per element of their `for_each`,
/// with the iterator (`name.key`, `name.value`) bound.
fn each_block(
    eval: &Evaluator<'_>,
    parent: &Block,
    name: &str,
    f: &mut dyn FnMut(&Block) -> Result<(), String>,
    mut on_unknown: Option<&mut OnUnknownDynamic<'_>>,
) -> Result<(), String> {
    for block in parent.body.blocks() {
        if block.ident.as_str() == name {
            f(block)?;
            continue;
        }
        let is_dynamic = block.ident.as_str() == "dynamic"
            && block.labels.first().is_some_and(|l| l.as_str() == name);
        if !is_dynamic {
            continue;
        }
        let Some(content) = block.body.blocks().find(|b| b.ident.as_str() == "content") else {
            return Err(format!("`dynamic \"{name}\"` has no `content`"));
        };
        let iterator = match block.body.get_attribute("iterator").map(|a| &a.value) {
            Some(hcl_edit::expr::Expression::Variable(v)) => v.as_str().to_string(),
            _ => name.to_string(),
        };
        let Some(for_each) = block.body.get_attribute("for_each") else {
            return Err(format!("`dynamic \"{name}\"` has no `for_each`"));
        };
        let items = match super::eval::iteration_items(eval.materialize(eval.eval(&for_each.value)))
        {
            Ok(items) => items,
            Err(why) => {
                let why = format!(
                    "the `for_each` of `dynamic \"{name}\"` cannot be iterated ({})",
                    why.reason
                );
                match on_unknown.as_mut() {
                    Some(on_unknown) => {
                        on_unknown(content, why)?;
                        continue;
                    }
                    None => return Err(why),
                }
            }
        };
        for (key, value) in items {
            let binding = Value::Object(
                [("key".to_string(), key), ("value".to_string(), value)]
                    .into_iter()
                    .collect(),
            );
            eval.with_scope(&iterator, binding, || f(content))?;
        }
    }
    Ok(())
}

/// A statement replaces an earlier one with the same non-empty `Sid`.
fn merge_by_sid(statements: &mut Vec<Json>, statement: Json) {
    let sid = statement
        .get("Sid")
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty());
    if let Some(sid) = sid
        && let Some(existing) = statements
            .iter_mut()
            .find(|s| s.get("Sid").and_then(Json::as_str) == Some(sid))
    {
        *existing = statement;
        return;
    }
    statements.push(statement);
}

fn statements_of(document: &str) -> Result<Vec<Json>, String> {
    let json: Json = serde_json::from_str(document)
        .map_err(|e| format!("a source document is not JSON: {e}"))?;
    Ok(match json.get("Statement") {
        Some(Json::Array(items)) => items.clone(),
        Some(single @ Json::Object(_)) => vec![single.clone()],
        _ => Vec::new(),
    })
}

fn render_statement(eval: &Evaluator<'_>, block: &Block) -> Result<Json, String> {
    let mut statement = Map::new();
    if let Some(sid) = optional_string(eval, block, "sid")? {
        statement.insert("Sid".into(), Json::String(sid));
    }
    let effect = optional_string(eval, block, "effect")?.unwrap_or_else(|| "Allow".into());
    statement.insert("Effect".into(), Json::String(effect));
    for (argument, key) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        let is_null = block
            .body
            .get_attribute(argument)
            .is_none_or(|a| matches!(eval.materialize(eval.eval(&a.value)), Value::Null));
        if !is_null {
            let items = string_list(eval, block, argument)?;
            statement.insert(
                key.into(),
                Json::Array(items.into_iter().map(Json::String).collect()),
            );
        }
    }
    for (kind, key) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        let mut principals = Map::new();
        each_block(
            eval,
            block,
            kind,
            &mut |principal| {
                let principal_type = optional_string(eval, principal, "type")?.unwrap_or_default();
                let identifiers = string_list(eval, principal, "identifiers")?;
                principals.insert(
                    principal_type,
                    Json::Array(identifiers.into_iter().map(Json::String).collect()),
                );
                Ok(())
            },
            None,
        )?;
        if !principals.is_empty() {
            statement.insert(key.into(), Json::Object(principals));
        }
    }
    let mut conditions: Map<String, Json> = Map::new();
    each_block(
        eval,
        block,
        "condition",
        &mut |condition| {
            let test = optional_string(eval, condition, "test")?.unwrap_or_default();
            let variable = optional_string(eval, condition, "variable")?.unwrap_or_default();
            let values = string_list(eval, condition, "values")?;
            let by_test = conditions
                .entry(test)
                .or_insert_with(|| Json::Object(Map::new()));
            if let Json::Object(keys) = by_test {
                keys.insert(
                    variable,
                    Json::Array(values.into_iter().map(Json::String).collect()),
                );
            }
            Ok(())
        },
        None,
    )?;
    if !conditions.is_empty() {
        statement.insert("Condition".into(), Json::Object(conditions));
    }
    Ok(Json::Object(statement))
}

fn optional_string(
    eval: &Evaluator<'_>,
    block: &Block,
    key: &str,
) -> Result<Option<String>, String> {
    let Some(attr) = block.body.get_attribute(key) else {
        return Ok(None);
    };
    match eval.materialize(eval.eval(&attr.value)) {
        Value::Null => Ok(None),
        Value::Unknown(u) => Err(format!("`{key}` is not known statically ({})", u.reason)),
        other => other
            .to_template_string()
            .map(Some)
            .ok_or_else(|| format!("`{key}` is a {}", other.type_name())),
    }
}

fn string_list(eval: &Evaluator<'_>, block: &Block, key: &str) -> Result<Vec<String>, String> {
    let Some(attr) = block.body.get_attribute(key) else {
        return Ok(Vec::new());
    };
    match eval.materialize(eval.eval(&attr.value)) {
        Value::List(items) => items
            .into_iter()
            .map(|item| match eval.materialize(item) {
                Value::Unknown(u) => Err(format!(
                    "an element of `{key}` is not known statically ({})",
                    u.reason
                )),
                other => other
                    .to_template_string()
                    .ok_or_else(|| format!("an element of `{key}` is a {}", other.type_name())),
            })
            .collect(),
        Value::Null => Ok(Vec::new()),
        Value::Unknown(u) => Err(format!("`{key}` is not known statically ({})", u.reason)),
        other => Err(format!("`{key}` is a {}, not a list", other.type_name())),
    }
}
