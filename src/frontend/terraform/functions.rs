//! The pure Terraform functions that matter for names and policies.
//!
//! Each takes already-evaluated arguments; an unknown argument makes the
//! result unknown (keeping the argument's reason), never a guess.

use std::collections::BTreeMap;

use super::value::{Unknown, Value, format_number};

pub fn call(name: &str, args: Vec<Value>) -> Value {
    // `coalesce` may skip unknowns only when an earlier argument is known.
    if name == "coalesce" {
        return coalesce(args);
    }
    if let Some(u) = first_unknown(&args) {
        return Value::Unknown(Unknown {
            reason: u.reason.clone(),
            symbol: None,
        });
    }
    let result = match (name, args.as_slice()) {
        ("lower", [Value::String(s)]) => Some(Value::String(s.to_lowercase())),
        ("upper", [Value::String(s)]) => Some(Value::String(s.to_uppercase())),
        ("trimspace", [Value::String(s)]) => Some(Value::String(s.trim().to_string())),
        ("tostring", [v]) => v.to_template_string().map(Value::String),
        ("format", [Value::String(spec), rest @ ..]) => format(spec, rest).map(Value::String),
        ("join", [Value::String(sep), lists @ ..]) => join(sep, lists),
        ("split", [Value::String(sep), Value::String(s)]) => Some(Value::List(
            s.split(sep.as_str())
                .map(|p| Value::String(p.to_string()))
                .collect(),
        )),
        ("replace", [Value::String(s), Value::String(from), Value::String(to)])
            if !(from.starts_with('/') && from.ends_with('/') && from.len() > 1) =>
        {
            Some(Value::String(s.replace(from.as_str(), to)))
        }
        ("concat", lists) => concat(lists),
        ("tolist" | "toset", [Value::List(items)]) => Some(Value::List(if name == "toset" {
            dedup_sorted(items)
        } else {
            items.clone()
        })),
        ("tomap", [Value::Object(map)]) => Some(Value::Object(map.clone())),
        ("keys", [Value::Object(map)]) => Some(Value::List(
            map.keys().map(|k| Value::String(k.clone())).collect(),
        )),
        ("values", [Value::Object(map)]) => Some(Value::List(map.values().cloned().collect())),
        ("merge", maps) => merge(maps),
        ("lookup", [Value::Object(map), Value::String(key), rest @ ..]) if rest.len() <= 1 => {
            map.get(key).cloned().or_else(|| rest.first().cloned())
        }
        ("element", [Value::List(items), Value::Number(i)]) if !items.is_empty() => {
            Some(items[(*i as usize) % items.len()].clone())
        }
        ("length", [Value::List(items)]) => Some(Value::Number(items.len() as f64)),
        ("length", [Value::Object(map)]) => Some(Value::Number(map.len() as f64)),
        ("length", [Value::String(s)]) => Some(Value::Number(s.chars().count() as f64)),
        ("jsonencode", [v]) => v.to_json().map(Value::String),
        _ => None,
    };
    result.unwrap_or_else(|| {
        Value::unknown(format!(
            "function `{name}` is not evaluated with these arguments"
        ))
    })
}

fn first_unknown(args: &[Value]) -> Option<&Unknown> {
    args.iter().find_map(|a| match a {
        Value::Unknown(u) => Some(u),
        Value::List(items) => first_unknown(items),
        _ => None,
    })
}

fn coalesce(args: Vec<Value>) -> Value {
    for arg in args {
        match arg {
            Value::Null => continue,
            Value::String(ref s) if s.is_empty() => continue,
            other => return other,
        }
    }
    Value::unknown("no argument of `coalesce` is a non-empty value")
}

/// `format` with the verbs names use: `%s`, `%d`, `%v`, `%%`.
fn format(spec: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = spec.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' => out.push_str(&args.next()?.to_template_string()?),
            'd' => match args.next()? {
                Value::Number(n) if n.fract() == 0.0 => out.push_str(&format_number(*n)),
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(out)
}

fn join(sep: &str, lists: &[Value]) -> Option<Value> {
    let mut parts = Vec::new();
    for list in lists {
        let Value::List(items) = list else {
            return None;
        };
        for item in items {
            parts.push(item.to_template_string()?);
        }
    }
    Some(Value::String(parts.join(sep)))
}

fn concat(lists: &[Value]) -> Option<Value> {
    let mut out = Vec::new();
    for list in lists {
        let Value::List(items) = list else {
            return None;
        };
        out.extend(items.iter().cloned());
    }
    Some(Value::List(out))
}

fn merge(maps: &[Value]) -> Option<Value> {
    let mut out = BTreeMap::new();
    for map in maps {
        match map {
            Value::Object(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
            Value::Null => {}
            _ => return None,
        }
    }
    Some(Value::Object(out))
}

/// Terraform sets of strings iterate in lexical order, without duplicates.
fn dedup_sorted(items: &[Value]) -> Vec<Value> {
    let mut strings: Vec<String> = Vec::new();
    for item in items {
        match item.to_template_string() {
            Some(s) => strings.push(s),
            None => return items.to_vec(),
        }
    }
    strings.sort();
    strings.dedup();
    strings.into_iter().map(Value::String).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.into())
    }

    #[test]
    fn format_and_join_build_names() {
        assert_eq!(
            call("format", vec![s("%s-%d"), s("ops"), Value::Number(2.0)]),
            s("ops-2")
        );
        assert_eq!(
            call("join", vec![s("."), Value::List(vec![s("a"), s("b")])]),
            s("a.b")
        );
    }

    #[test]
    fn unknown_arguments_keep_their_reason() {
        let result = call(
            "lower",
            vec![Value::unknown("variable `x` has no default value")],
        );
        match result {
            Value::Unknown(u) => assert!(u.reason.contains("no default")),
            other => panic!("expected unknown, got {other:?}"),
        }
    }

    #[test]
    fn coalesce_skips_empty_values() {
        assert_eq!(call("coalesce", vec![Value::Null, s(""), s("x")]), s("x"));
    }

    #[test]
    fn regex_replace_is_not_guessed() {
        assert!(matches!(
            call("replace", vec![s("abc"), s("/b/"), s("x")]),
            Value::Unknown(_)
        ));
    }
}
