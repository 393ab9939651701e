//! The decoding functions: `jsondecode`, `yamldecode` (as Terraform reads
//! YAML: core-schema tags only, a duplicate key an error) and `csvdecode`
//! (RFC 4180 with a header row), into Terraform values.

use super::Value;

/// A JSON document as a Terraform value (`jsondecode`).
pub fn from_json(json: &serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(items) => Value::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), from_json(v))).collect())
        }
    }
}

/// Nesting and alias bounds of `yamldecode`, as for CloudFormation YAML.
const YAML_MAX_DEPTH: usize = 200;
const YAML_MAX_ALIASES: usize = 100_000;

/// `yamldecode`: the first document of a YAML stream as a value. Terraform
/// accepts only the core schema's tags; any other tag (`!Ref`) is an error
/// there, and here.
pub(super) fn yamldecode(text: &str) -> Value {
    let file = crate::source::SourceFile::new("yamldecode".into(), text);
    match crate::syntax::parse_yaml(&file, YAML_MAX_DEPTH, YAML_MAX_ALIASES) {
        // A duplicate key stays an error here, as it was before the
        // CloudFormation reader learnt to take the last one.
        Ok(ref yaml)
            if let Some(duplicate) = yaml
                .warnings
                .iter()
                .find(|w| w.kind == crate::syntax::WarningKind::DuplicateKey) =>
        {
            Value::error(format!("`yamldecode`: {}", duplicate.message))
        }
        Ok(yaml) => from_yaml_node(&yaml.root).unwrap_or_else(|tag| {
            Value::error(format!("`yamldecode` does not accept the tag `{tag}`"))
        }),
        Err(err) => Value::error(format!("`yamldecode`: {}", err.message)),
    }
}

/// The value of a YAML node, or the first tag Terraform rejects (`!Ref`).
fn from_yaml_node(node: &crate::syntax::Node) -> Result<Value, String> {
    use crate::syntax::Kind;
    Ok(match &node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(*b),
        Kind::Number(n) => Value::Number(*n),
        Kind::String(s) => Value::String(s.clone()),
        Kind::List(items) => {
            Value::List(items.iter().map(from_yaml_node).collect::<Result<_, _>>()?)
        }
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| Ok((k.name.clone(), from_yaml_node(v)?)))
                .collect::<Result<_, String>>()?,
        ),
        Kind::Tagged(tag, _) => return Err(format!("!{tag}")),
        // The YAML reader makes none; a front-end's reading would be an
        // object of one key, as written.
        Kind::Intrinsic(name, arg) => {
            Value::Object([(name.clone(), from_yaml_node(arg)?)].into_iter().collect())
        }
    })
}

/// `csvdecode`: RFC 4180 text with a header row, as a list of objects
/// keyed by the header. A row with another number of fields is an error,
/// as in Terraform.
pub(super) fn csvdecode(text: &str) -> Value {
    let mut rows = match csv_rows(text) {
        Ok(rows) => rows.into_iter(),
        Err(why) => return Value::error(format!("`csvdecode`: {why}")),
    };
    let Some(header) = rows.next() else {
        return Value::List(Vec::new());
    };
    let mut out = Vec::new();
    for (n, row) in rows.enumerate() {
        if row.len() != header.len() {
            return Value::error(format!(
                "`csvdecode`: row {} has {} fields, the header {}",
                n + 2,
                row.len(),
                header.len()
            ));
        }
        out.push(Value::Object(
            header
                .iter()
                .cloned()
                .zip(row.into_iter().map(Value::String))
                .collect(),
        ));
    }
    Value::List(out)
}

/// Splits CSV text into rows of fields: quoted fields may hold commas,
/// doubled quotes and line breaks; `\r\n` ends a row like `\n`; empty
/// lines are skipped, as Go's reader does.
fn csv_rows(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    let mut quoted_field = false;
    while let Some(c) = chars.next() {
        match c {
            '"' if field.is_empty() && !quoted_field => {
                quoted_field = true;
                loop {
                    match chars.next() {
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            field.push(c)
                        }
                        None => {
                            return Err(format!(
                                "a quoted field opened on line {line} is not closed"
                            ));
                        }
                    }
                }
            }
            ',' => {
                row.push(std::mem::take(&mut field));
                quoted_field = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                line += 1;
                if !(row.is_empty() && field.is_empty() && !quoted_field) {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                quoted_field = false;
            }
            _ if quoted_field => {
                return Err(format!("extra text after a quoted field on line {line}"));
            }
            c => field.push(c),
        }
    }
    if !(row.is_empty() && field.is_empty() && !quoted_field) {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}
