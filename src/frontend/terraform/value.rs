//! Values produced by evaluating Terraform expressions statically.
//!
//! Unknown is a value, as in Terraform itself: anything that needs a provider,
//! a data source or an unexpanded instance stays [`Value::Unknown`] with a
//! reason, and never turns into a guess.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

/// Which instance of a repeated resource a reference designates.
#[derive(Debug, Clone, PartialEq)]
pub enum InstanceKey {
    /// A `for_each` key: `aws_iam_user.team["bob"]`.
    Key(String),
    /// A `count` index: `aws_iam_user.team[0]`.
    Index(usize),
    /// A key that could not be evaluated, as written (`each.key`).
    Unknown(String),
}

impl InstanceKey {
    /// The key as Terraform writes it in an address: `["bob"]`, `[0]`.
    pub fn render(&self) -> String {
        match self {
            InstanceKey::Key(k) => format!("[{}]", quote(k)),
            InstanceKey::Index(i) => format!("[{i}]"),
            InstanceKey::Unknown(text) => format!("[{text}]"),
        }
    }
}

/// An address inside a module instance: `module.a.aws_iam_user.x`.
pub fn qualify(module: &str, address: &str) -> String {
    if module.is_empty() {
        address.to_string()
    } else {
        format!("{module}.{address}")
    }
}

/// A Terraform string literal for a key.
fn quote(text: &str) -> String {
    let mut out = String::new();
    write_json_string(text, &mut out);
    out
}

/// A reference to a managed resource of the same module, or an attribute of
/// it, e.g. `aws_iam_user.alice.name` or `aws_iam_user.team["bob"].name`.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceRef {
    /// Address of the module instance that declares the resource (`""`
    /// for a root module, `module.users`, `module.team["a"]`).
    pub module: String,
    pub resource_type: String,
    pub name: String,
    pub instance_key: Option<InstanceKey>,
    /// The attribute path after the resource (and key), e.g. `["name"]`.
    pub attribute: Vec<String>,
}

impl ResourceRef {
    /// The resource block's address, without instance key.
    pub fn address(&self) -> String {
        qualify(
            &self.module,
            &format!("{}.{}", self.resource_type, self.name),
        )
    }

    /// The instance's address: `aws_iam_user.team["bob"]`.
    pub fn instance_address(&self) -> String {
        let mut text = self.address();
        if let Some(key) = &self.instance_key {
            text.push_str(&key.render());
        }
        text
    }

    /// The reference as written: `aws_iam_user.team["bob"].name`.
    pub fn text(&self) -> String {
        let mut text = self.instance_address();
        for attr in &self.attribute {
            text.push('.');
            text.push_str(attr);
        }
        text
    }
}

/// Why a value is unknown, and which symbol (if any) it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// Shared, not copied: an unknown is copied wherever a value goes, and
    /// its reason may quote a long string (a for expression copied a 1 MB
    /// reason 10,000 times).
    pub reason: Arc<str>,
    /// Canonical text of the unknown input (e.g. `var.user`): two unknowns
    /// with the same symbol in one module hold the same value. Shared for
    /// the same reason as `reason`.
    pub symbol: Option<Arc<str>>,
    /// The expression is an error (a missing attribute, a wrong type), as
    /// opposed to a value only known when Terraform runs. `try` and `can`
    /// may skip errors, never unknowns.
    pub error: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(BTreeMap<String, Value>),
    /// A whole attribute of a resource of this module. Boxed: a value is
    /// as large as its largest variant, and every element of a list and
    /// entry of an object pays for it (48 bytes instead of 128; a
    /// 200,000-key object is 10 MB instead of 30).
    Ref(Box<ResourceRef>),
    Unknown(Unknown),
}

impl Value {
    pub fn unknown(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into().into(),
            symbol: None,
            error: false,
        })
    }

    pub fn unknown_symbol(reason: impl Into<String>, symbol: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into().into(),
            symbol: Some(symbol.into().into()),
            error: false,
        })
    }

    /// An expression Terraform itself would reject.
    pub fn error(reason: impl Into<String>) -> Value {
        Value::Unknown(Unknown {
            reason: reason.into().into(),
            symbol: None,
            error: true,
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

    /// Every element of a list and entry of an object is a `Value`: its
    /// size is the evaluator's memory per item (issue #20's wide objects).
    #[test]
    fn a_value_stays_small() {
        assert!(size_of::<Value>() <= 48, "{}", size_of::<Value>());
    }

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
