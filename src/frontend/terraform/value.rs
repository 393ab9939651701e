//! Values produced by evaluating Terraform expressions statically.
//!
//! Unknown is a value, as in Terraform itself: anything that needs a provider,
//! a data source or an unexpanded instance stays [`Value::Unknown`] with a
//! reason, and never turns into a guess.

use std::collections::BTreeMap;
use std::fmt::Write;

/// A reference to an attribute of a managed resource of the same module,
/// e.g. `aws_iam_user.alice.name` or `aws_iam_user.team[each.key].name`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceRef {
    pub resource_type: String,
    pub name: String,
    /// Source text of the instance key, if the reference indexes an instance.
    pub instance_key: Option<String>,
    /// The attribute path after the resource (and key), e.g. `["name"]`.
    pub attribute: Vec<String>,
}

impl ResourceRef {
    pub fn address(&self) -> String {
        format!("{}.{}", self.resource_type, self.name)
    }
}

/// Why a value is unknown, and which symbol (if any) it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    pub reason: String,
    /// Canonical text of the unknown input (e.g. `var.user`): two unknowns
    /// with the same symbol in one module hold the same value.
    pub symbol: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// A whole attribute of a resource of this module.
    Ref(ResourceRef),
    Unknown(Unknown),
}

impl Value {
    pub fn unknown(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into(),
            symbol: None,
        })
    }

    pub fn unknown_symbol(reason: impl Into<String>, symbol: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into(),
            symbol: Some(symbol.into()),
        })
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "object",
            Value::Ref(_) => "resource attribute",
            Value::Unknown(_) => "unknown",
        }
    }

    /// The value as Terraform would convert it to a string, if it is a
    /// known primitive.
    pub fn to_template_string(&self) -> Option<String> {
        match self {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(format_number(*n)),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// Terraform's JSON encoding of a fully known value (`jsonencode`).
    pub fn to_json(&self) -> Option<String> {
        let mut out = String::new();
        write_json(self, &mut out).then_some(out)
    }
}

/// Formats a number as Terraform prints it: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn write_json(value: &Value, out: &mut String) -> bool {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&format_number(*n)),
        Value::String(s) => write_json_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write_json(item, out) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(key, out);
                out.push(':');
                if !write_json(item, out) {
                    return false;
                }
            }
            out.push('}');
        }
        Value::Ref(_) | Value::Unknown(_) => return false,
    }
    true
}

fn write_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_terraform() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(1.5), "1.5");
    }

    #[test]
    fn json_of_unknown_is_none() {
        let v = Value::List(vec![Value::String("a\"b".into()), Value::unknown("x")]);
        assert_eq!(v.to_json(), None);
        let v = Value::List(vec![Value::String("a\"b".into()), Value::Number(2.0)]);
        assert_eq!(v.to_json().as_deref(), Some(r#"["a\"b",2]"#));
    }
}
