//! The pure Terraform functions that matter for names and policies.
//!
//! Each takes already-evaluated arguments; an unknown argument makes the
//! result unknown (keeping the argument's reason), never a guess.

use std::collections::BTreeMap;

use super::budget::{self, MAX_STRING_BYTES};
use super::value::{Unknown, Value, format_number};

mod decode;
#[cfg(test)]
mod tests;

pub use decode::from_json;
use decode::{csvdecode, yamldecode};

/// Every function `call` evaluates (besides the file functions), for the
/// documentation and the property test that feeds each of them unknowns.
/// Terraform's others are left unknown on purpose: `regex`, `regexall` and
/// a `replace` with a pattern (no regular-expression engine is linked), the
/// ones whose result is not fixed by the configuration (`timestamp`,
/// `uuid`, `bcrypt`, `plantimestamp`), hashes and encodings (`base64*`,
/// `md5`, `sha*`, `filebase64`, ...), network and date arithmetic
/// (`cidr*`, `formatdate`, `timeadd`), and `setproduct`, whose result grows
/// as the product of its inputs.
pub const IMPLEMENTED: &[&str] = &[
    "abs",
    "alltrue",
    "anytrue",
    "can",
    "ceil",
    "chunklist",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "csvdecode",
    "distinct",
    "element",
    "endswith",
    "flatten",
    "floor",
    "format",
    "formatlist",
    "index",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "lookup",
    "lower",
    "matchkeys",
    "max",
    "merge",
    "min",
    "nonsensitive",
    "one",
    "range",
    "replace",
    "reverse",
    "sensitive",
    "setintersection",
    "setsubtract",
    "setunion",
    "slice",
    "sort",
    "split",
    "startswith",
    "strcontains",
    "substr",
    "sum",
    "title",
    "tobool",
    "tolist",
    "tomap",
    "tonumber",
    "toset",
    "tostring",
    "transpose",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "try",
    "upper",
    "values",
    "yamldecode",
    "zipmap",
];

/// Elements `range` may produce, as in Terraform.
const MAX_RANGE: usize = 1024;

pub fn call(name: &str, args: Vec<Value>) -> Value {
    match name {
        "coalesce" => return coalesce(args),
        "try" => return try_(args),
        "can" => return can(args),
        _ => {}
    }
    if let Some(u) = first_unknown(&args) {
        return Value::Unknown(Unknown {
            symbol: None,
            ..u.clone()
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
            Some(replace(s, from, to))
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
        ("element", [Value::List(items), Value::Number(i)]) if !items.is_empty() && *i >= 0.0 => {
            Some(items[(*i as usize) % items.len()].clone())
        }
        ("jsondecode", [Value::String(text)]) => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .map(|json| from_json(&json)),
        ("yamldecode", [Value::String(text)]) => return yamldecode(text),
        ("csvdecode", [Value::String(text)]) => return csvdecode(text),
        ("compact", [Value::List(items)]) => Some(Value::List(
            items
                .iter()
                .filter(|v| {
                    !matches!(v, Value::Null) && v.to_template_string().as_deref() != Some("")
                })
                .cloned()
                .collect(),
        )),
        ("distinct", [Value::List(items)]) => distinct(items),
        ("flatten", [Value::List(items)]) => Some(Value::List(flatten(items))),
        ("contains", [Value::List(items), v]) => Some(Value::Bool(items.contains(v))),
        ("title", [Value::String(s)]) => Some(Value::String(title(s))),
        ("trim", [Value::String(s), Value::String(chars)]) => Some(Value::String(
            s.trim_matches(|c| chars.contains(c)).to_string(),
        )),
        ("substr", [Value::String(s), Value::Number(offset), Value::Number(len)])
            if *offset >= 0.0 =>
        {
            let chars = s.chars().skip(*offset as usize);
            Some(Value::String(if *len < 0.0 {
                chars.collect()
            } else {
                chars.take(*len as usize).collect()
            }))
        }
        ("zipmap", [Value::List(keys), Value::List(values)]) if keys.len() == values.len() => keys
            .iter()
            .zip(values)
            .map(|(k, v)| Some((k.to_template_string()?, v.clone())))
            .collect::<Option<BTreeMap<_, _>>>()
            .map(Value::Object),
        ("length", [Value::List(items)]) => Some(Value::Number(items.len() as f64)),
        ("length", [Value::Object(map)]) => Some(Value::Number(map.len() as f64)),
        ("length", [Value::String(s)]) => Some(Value::Number(s.chars().count() as f64)),
        ("jsonencode", [v]) => v.to_json().map(Value::String),
        ("sensitive" | "nonsensitive", [v]) => Some(v.clone()),
        ("setunion", lists) => concat(lists).map(|v| match v {
            Value::List(items) => Value::List(dedup_sorted(&items)),
            other => other,
        }),
        ("setintersection", [Value::List(first), rest @ ..]) => {
            let mut out = Vec::new();
            for item in dedup_sorted(first) {
                let mut everywhere = true;
                for other in rest {
                    let Value::List(items) = other else {
                        return error(name, "takes sets");
                    };
                    everywhere &= items.contains(&item);
                }
                if everywhere {
                    out.push(item);
                }
            }
            Some(Value::List(out))
        }
        ("setsubtract", [Value::List(a), Value::List(b)]) => Some(Value::List(
            dedup_sorted(a)
                .into_iter()
                .filter(|i| !b.contains(i))
                .collect(),
        )),
        ("coalescelist", lists) => {
            for list in lists {
                match list {
                    Value::List(items) if items.is_empty() => continue,
                    Value::List(_) => return list.clone(),
                    _ => return error(name, "takes lists"),
                }
            }
            return error(name, "no argument is a non-empty list");
        }
        ("one", [Value::List(items)]) => match items.as_slice() {
            [] => Some(Value::Null),
            [only] => Some(only.clone()),
            _ => return error(name, "the list has more than one element"),
        },
        ("sort", [Value::List(items)]) => {
            let strings: Option<Vec<String>> =
                items.iter().map(Value::to_template_string).collect();
            strings.map(|mut s| {
                s.sort();
                Value::List(s.into_iter().map(Value::String).collect())
            })
        }
        ("reverse", [Value::List(items)]) => {
            Some(Value::List(items.iter().rev().cloned().collect()))
        }
        ("slice", [Value::List(items), Value::Number(start), Value::Number(end)]) => {
            let (start, end) = (*start as usize, *end as usize);
            if start > end || end > items.len() {
                return error(name, "the indexes are out of range");
            }
            Some(Value::List(items[start..end].to_vec()))
        }
        ("index", [Value::List(items), v]) => match items.iter().position(|i| i == v) {
            Some(i) => Some(Value::Number(i as f64)),
            None => return error(name, "the value is not in the list"),
        },
        ("range", bounds) => return range(bounds),
        ("startswith", [Value::String(s), Value::String(p)]) => {
            Some(Value::Bool(s.starts_with(p.as_str())))
        }
        ("endswith", [Value::String(s), Value::String(p)]) => {
            Some(Value::Bool(s.ends_with(p.as_str())))
        }
        ("strcontains", [Value::String(s), Value::String(p)]) => {
            Some(Value::Bool(s.contains(p.as_str())))
        }
        ("trimprefix", [Value::String(s), Value::String(p)]) => Some(Value::String(
            s.strip_prefix(p.as_str()).unwrap_or(s).to_string(),
        )),
        ("trimsuffix", [Value::String(s), Value::String(p)]) => Some(Value::String(
            s.strip_suffix(p.as_str()).unwrap_or(s).to_string(),
        )),
        ("formatlist", [Value::String(spec), rest @ ..]) => formatlist(spec, rest),
        ("tonumber", [Value::Number(n)]) => Some(Value::Number(*n)),
        ("tonumber", [Value::String(s)]) => s.trim().parse::<f64>().ok().map(Value::Number),
        ("tobool", [Value::Bool(b)]) => Some(Value::Bool(*b)),
        ("tobool", [Value::String(s)]) => match s.as_str() {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        ("min" | "max", numbers) if !numbers.is_empty() => {
            let values: Option<Vec<f64>> = numbers
                .iter()
                .map(|n| match n {
                    Value::Number(n) => Some(*n),
                    _ => None,
                })
                .collect();
            values.map(|v| {
                let pick = if name == "min" { f64::min } else { f64::max };
                Value::Number(v.into_iter().reduce(pick).unwrap_or(0.0))
            })
        }
        ("abs", [Value::Number(n)]) => Some(Value::Number(n.abs())),
        ("ceil", [Value::Number(n)]) => Some(Value::Number(n.ceil())),
        ("floor", [Value::Number(n)]) => Some(Value::Number(n.floor())),
        ("sum", [Value::List(items)]) if !items.is_empty() => items
            .iter()
            .map(|i| match i {
                Value::Number(n) => Some(*n),
                _ => None,
            })
            .sum::<Option<f64>>()
            .map(Value::Number),
        ("alltrue" | "anytrue", [Value::List(items)]) => {
            let bools: Option<Vec<bool>> = items
                .iter()
                .map(|i| match i {
                    Value::Bool(b) => Some(*b),
                    Value::String(s) if s == "true" => Some(true),
                    Value::String(s) if s == "false" => Some(false),
                    _ => None,
                })
                .collect();
            bools.map(|b| {
                Value::Bool(if name == "alltrue" {
                    b.iter().all(|x| *x)
                } else {
                    b.iter().any(|x| *x)
                })
            })
        }
        ("chunklist", [Value::List(items), Value::Number(size)]) if *size >= 0.0 => {
            let size = *size as usize;
            Some(Value::List(if size == 0 {
                vec![Value::List(items.clone())]
            } else {
                items
                    .chunks(size)
                    .map(|c| Value::List(c.to_vec()))
                    .collect()
            }))
        }
        ("transpose", [Value::Object(map)]) => {
            let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for (key, values) in map {
                let Value::List(values) = values else {
                    return error(name, "takes a map of lists");
                };
                for value in values {
                    let Some(v) = value.to_template_string() else {
                        return error(name, "takes a map of lists of strings");
                    };
                    out.entry(v).or_default().push(Value::String(key.clone()));
                }
            }
            Some(Value::Object(
                out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
            ))
        }
        ("matchkeys", [Value::List(values), Value::List(keys), Value::List(search)])
            if values.len() == keys.len() =>
        {
            Some(Value::List(
                values
                    .iter()
                    .zip(keys)
                    .filter(|(_, k)| search.contains(k))
                    .map(|(v, _)| v.clone())
                    .collect(),
            ))
        }
        _ => None,
    };
    result.unwrap_or_else(|| {
        Value::unknown(format!(
            "function `{name}` is not evaluated with these arguments"
        ))
    })
}

/// An error of a function called with arguments Terraform refuses.
fn error(name: &str, why: &str) -> Value {
    Value::error(format!("`{name}`: {why}"))
}

/// `range(limit)`, `range(start, limit)`, `range(start, limit, step)`.
fn range(bounds: &[Value]) -> Value {
    let numbers: Option<Vec<f64>> = bounds
        .iter()
        .map(|b| match b {
            Value::Number(n) => Some(*n),
            _ => None,
        })
        .collect();
    let (start, limit, step) = match numbers.as_deref() {
        Some([limit]) => (0.0, *limit, 1.0),
        Some([start, limit]) => (*start, *limit, if limit >= start { 1.0 } else { -1.0 }),
        Some([start, limit, step]) => (*start, *limit, *step),
        _ => return error("range", "takes one to three numbers"),
    };
    if step == 0.0 || (step > 0.0 && start > limit) || (step < 0.0 && start < limit) {
        return if step == 0.0 {
            error("range", "the step must not be zero")
        } else {
            Value::List(Vec::new())
        };
    }
    let count = ((limit - start) / step).ceil();
    if !count.is_finite() || count > MAX_RANGE as f64 {
        return error("range", "more than 1024 elements");
    }
    Value::List(
        (0..count as usize)
            .map(|i| Value::Number(start + step * i as f64))
            .collect(),
    )
}

/// `formatlist`: `format` per element, lists of one length and scalars
/// repeated.
fn formatlist(spec: &str, args: &[Value]) -> Option<Value> {
    let mut length = None;
    for arg in args {
        if let Value::List(items) = arg {
            match length {
                None => length = Some(items.len()),
                Some(n) if n != items.len() => return None,
                _ => {}
            }
        }
    }
    let length = length.unwrap_or(1);
    let mut out = Vec::with_capacity(length);
    for i in 0..length {
        let row: Vec<Value> = args
            .iter()
            .map(|a| match a {
                Value::List(items) => items[i].clone(),
                other => other.clone(),
            })
            .collect();
        out.push(Value::String(format(spec, &row)?));
    }
    Some(Value::List(out))
}

/// `replace` with a literal substring, measured before it is built: ten
/// nested replacements of a character by a line would otherwise build a
/// string of terabytes.
fn replace(s: &str, from: &str, to: &str) -> Value {
    let matches = if from.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(from).count()
    };
    let length = (s.len() - matches * from.len()).saturating_add(matches.saturating_mul(to.len()));
    if length > MAX_STRING_BYTES {
        return budget::too_long(length);
    }
    Value::String(s.replace(from, to))
}

/// `distinct`, first occurrences in order; linear for values that render
/// as JSON (one rendering per value), quadratic only for short lists of
/// references.
fn distinct(items: &[Value]) -> Option<Value> {
    let rendered: Option<Vec<String>> = items.iter().map(Value::to_json).collect();
    let out = match rendered {
        Some(keys) => {
            let mut seen = std::collections::HashSet::new();
            items
                .iter()
                .zip(keys)
                .filter_map(|(item, key)| seen.insert(key).then(|| item.clone()))
                .collect()
        }
        None if items.len() <= 1_000 => {
            let mut out: Vec<Value> = Vec::new();
            for item in items {
                if !out.contains(item) {
                    out.push(item.clone());
                }
            }
            out
        }
        None => return None,
    };
    Some(Value::List(out))
}

fn flatten(items: &[Value]) -> Vec<Value> {
    items
        .iter()
        .flat_map(|item| match item {
            Value::List(inner) => flatten(inner),
            other => vec![other.clone()],
        })
        .collect()
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = c.is_whitespace();
    }
    out
}

fn first_unknown(args: &[Value]) -> Option<&Unknown> {
    args.iter().find_map(|a| match a {
        Value::Unknown(u) => Some(u),
        Value::List(items) => first_unknown(items),
        Value::Object(map) => map
            .values()
            .find_map(|v| first_unknown(std::slice::from_ref(v))),
        _ => None,
    })
}

/// The first argument that is not null or empty; an unknown before it
/// makes the result unknown (it might have been the one).
fn coalesce(args: Vec<Value>) -> Value {
    for arg in args {
        match arg {
            Value::Null => continue,
            Value::String(ref s) if s.is_empty() => continue,
            other => return other,
        }
    }
    Value::error("no argument of `coalesce` is a non-empty value")
}

/// The first argument that is not an error; an unknown stops the search,
/// since Terraform cannot decide either until it is known.
fn try_(args: Vec<Value>) -> Value {
    for arg in args {
        match arg {
            Value::Unknown(ref u) if u.error => continue,
            other => return other,
        }
    }
    Value::error("every argument of `try` is an error")
}

/// `can`: false for an error, unknown for a value not wholly known (as
/// Terraform: it cannot tell yet), true otherwise.
fn can(args: Vec<Value>) -> Value {
    match args.as_slice() {
        [Value::Unknown(u)] if !u.error => Value::Unknown(u.clone()),
        [Value::Unknown(_)] => Value::Bool(false),
        [v] => match first_unknown(std::slice::from_ref(v)) {
            Some(u) if !u.error => Value::Unknown(u.clone()),
            Some(_) => Value::Bool(false),
            None => Value::Bool(true),
        },
        _ => Value::error("`can` takes one argument"),
    }
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
