//! Pulumi YAML expressions, evaluated statically: `${...}` interpolation
//! of config, variables and resource properties written in the program,
//! and the built-in functions that compute from their arguments
//! (`fn::toJSON`, `fn::join`, `fn::select`, `fn::split`, `fn::secret`).
//! Everything else is unknown and says why; what evaluation produces is
//! bounded ([`MAX_PRODUCED`]).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Range;

use crate::syntax::{Kind, Node};

/// Text and values evaluation may produce for one program, every copy
/// counted: variables that each interpolate the previous one twice would
/// otherwise double at every line. Real programs produce kilobytes.
const MAX_PRODUCED: usize = 16 << 20;

/// Variables and resource properties evaluated inside one another before
/// the value is unknown: a cycle, or a chain longer than any program
/// writes.
const MAX_DEPTH: usize = 64;

/// Nested evaluation (YAML nesting times references) before the value is
/// unknown: bounds the stack, whatever the program.
const MAX_EVAL_DEPTH: usize = 256;

/// A value of a Pulumi YAML expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    Object(Vec<(String, Value)>),
    /// A resource of the program (`${alice}`), or one of its properties
    /// (`${alice.name}`).
    Resource {
        name: String,
        property: Option<String>,
    },
    Unknown {
        reason: String,
        symbol: Option<String>,
    },
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::List(_) => "list",
            Value::Object(_) => "mapping",
            Value::Resource { .. } => "resource",
            Value::Unknown { .. } => "unknown value",
        }
    }

    fn unknown(reason: String) -> Value {
        Value::Unknown {
            reason,
            symbol: None,
        }
    }
}

/// Evaluates the expressions of one program.
pub struct Evaluator<'a> {
    config: BTreeMap<&'a str, &'a Node>,
    variables: BTreeMap<&'a str, &'a Node>,
    resources: BTreeMap<&'a str, &'a Node>,
    project: Option<&'a str>,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    /// The variables and resource properties being evaluated, to stop at
    /// a cycle.
    stack: Vec<String>,
    /// How deep evaluation is nested.
    depth: usize,
    /// Variables already evaluated (a program has no instances: a
    /// variable has one value).
    memo: BTreeMap<String, Value>,
    produced: usize,
    /// Where the bound was reached, once.
    problems: Vec<(Range<usize>, String)>,
}

fn entries(node: Option<&Node>) -> BTreeMap<&str, &Node> {
    match node.map(|n| &n.kind) {
        Some(Kind::Map(entries)) => entries.iter().map(|(k, v)| (k.name.as_str(), v)).collect(),
        _ => BTreeMap::new(),
    }
}

/// A key of a mapping in any case: Pulumi YAML matches its keywords so
/// (pulumi-yaml `ast/template.go`, with a warning for a case other than
/// camelCase).
pub fn get_ci<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.kind {
        Kind::Map(entries) => entries
            .iter()
            .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// What holding a value costs in memory, for the budget: each value's
/// own size and the text it holds.
fn weight(value: &Value) -> usize {
    let own = std::mem::size_of::<Value>();
    own + match value {
        Value::String(s) => s.len(),
        Value::List(items) => items.iter().map(weight).sum::<usize>(),
        Value::Object(entries) => entries
            .iter()
            .map(|(k, v)| k.len() + weight(v))
            .sum::<usize>(),
        Value::Unknown { reason, symbol } => reason.len() + symbol.as_ref().map_or(0, String::len),
        _ => 0,
    }
}

impl<'a> Evaluator<'a> {
    pub fn new(root: &'a Node) -> Self {
        // `configuration` is the older name of `config`.
        let mut config = entries(get_ci(root, "configuration"));
        config.extend(entries(get_ci(root, "config")));
        Evaluator {
            config,
            variables: entries(get_ci(root, "variables")),
            resources: entries(get_ci(root, "resources")),
            project: get_ci(root, "name").and_then(Node::as_str),
            state: RefCell::new(State::default()),
        }
    }

    pub fn into_problems(self) -> Vec<(Range<usize>, String)> {
        self.state.into_inner().problems
    }

    /// A resource's type token.
    pub fn resource_type(&self, name: &str) -> Option<&'a str> {
        get_ci(self.resources.get(name)?, "type")?.as_str()
    }

    fn stopped_reason() -> String {
        format!(
            "evaluation stopped: the program's expressions produce more than {MAX_PRODUCED} bytes (mfalint's bound against inputs built to exhaust it)"
        )
    }

    /// Counts what evaluation produces; false once the bound is passed.
    fn spend(&self, amount: usize, span: &Range<usize>) -> bool {
        let mut state = self.state.borrow_mut();
        state.produced = state.produced.saturating_add(amount);
        if state.produced <= MAX_PRODUCED {
            return true;
        }
        if state.problems.is_empty() {
            state.problems.push((span.clone(), Self::stopped_reason()));
        }
        false
    }

    pub fn eval(&self, node: &Node) -> Value {
        if !self.spend(1, &node.span) {
            return Value::unknown(Self::stopped_reason());
        }
        {
            let mut state = self.state.borrow_mut();
            if state.depth >= MAX_EVAL_DEPTH {
                return Value::unknown(format!(
                    "expressions nest deeper than {MAX_EVAL_DEPTH} levels"
                ));
            }
            state.depth += 1;
        }
        let value = self.eval_inner(node);
        self.state.borrow_mut().depth -= 1;
        value
    }

    fn eval_inner(&self, node: &Node) -> Value {
        match &node.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Number(n) => Value::Number(*n),
            Kind::String(s) => self.interpolate(s, &node.span),
            Kind::List(items) => Value::List(items.iter().map(|i| self.eval(i)).collect()),
            Kind::Map(entries) => match entries.as_slice() {
                [(key, arg)] if key.name.to_ascii_lowercase().starts_with("fn::") => {
                    self.function(&key.name, arg)
                }
                _ => Value::Object(
                    entries
                        .iter()
                        .map(|(k, v)| (k.name.clone(), self.eval(v)))
                        .collect(),
                ),
            },
            Kind::Tagged(_, inner) => self.eval(inner),
            Kind::Intrinsic(name, _) => Value::unknown(format!("`{name}` is not Pulumi YAML")),
        }
    }

    /// A string: one `${...}` alone is its value, whatever its type;
    /// inside text, values are interpolated. `$${` is a literal `${`.
    fn interpolate(&self, text: &str, span: &Range<usize>) -> Value {
        if !text.contains("${") {
            return Value::String(text.to_string());
        }
        let mut out = String::new();
        let mut rest = text;
        let mut pieces = 0;
        let mut only = None;
        while let Some(at) = rest.find("${") {
            if at > 0 && rest[..at].ends_with('$') {
                // `$${`: the `$` escapes the interpolation (and `$$` is
                // `$` wherever it is, pulumi-yaml `ast/interpolation.go`).
                out.push_str(&rest[..at - 1].replace("$$", "$"));
                out.push_str("${");
                rest = &rest[at + 2..];
                pieces += 1;
                continue;
            }
            out.push_str(&rest[..at].replace("$$", "$"));
            let Some(end) = rest[at..].find('}') else {
                return Value::unknown(format!(
                    "unterminated interpolation in `{}`",
                    crate::finding::clipped(text)
                ));
            };
            let expr = &rest[at + 2..at + end];
            let value = self.access(expr.trim(), span);
            let whole = at == 0 && at + end + 1 == rest.len() && pieces == 0;
            rest = &rest[at + end + 1..];
            pieces += 1;
            if whole {
                only = Some(value);
                break;
            }
            match self.text_of(value, expr) {
                Ok(t) => out.push_str(&t),
                // Two texts with one unknown part are equal only if they
                // are the same text: `${env}-alice` is not `${env}-bob`.
                Err(Value::Unknown { reason, symbol }) => {
                    return Value::Unknown {
                        reason,
                        symbol: symbol.map(|_| text.to_string()),
                    };
                }
                Err(other) => return other,
            }
            if !self.spend(out.len(), span) {
                return Value::unknown(Self::stopped_reason());
            }
        }
        if let Some(value) = only {
            return value;
        }
        out.push_str(&rest.replace("$$", "$"));
        Value::String(out)
    }

    /// The text a value interpolates as.
    fn text_of(&self, value: Value, expr: &str) -> Result<String, Value> {
        match value {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(format_number(n)),
            Value::Bool(b) => Ok(b.to_string()),
            Value::Resource { name, property } => match self.resource_property(&name, property) {
                Value::String(s) => Ok(s),
                Value::Unknown { reason, symbol } => Err(Value::Unknown { reason, symbol }),
                other => Err(Value::unknown(format!(
                    "`${{{expr}}}` is a {}, inside text",
                    other.type_name()
                ))),
            },
            unknown @ Value::Unknown { .. } => Err(unknown),
            other => Err(Value::unknown(format!(
                "`${{{expr}}}` is a {}, inside text",
                other.type_name()
            ))),
        }
    }

    /// What a resource's property is, when the program writes it: the
    /// value given to `name`, say. Outputs the provider computes (`arn`,
    /// `id`, a generated name) are unknown.
    pub fn resource_property(&self, name: &str, property: Option<String>) -> Value {
        let shown = format!(
            "{name}{}",
            property
                .as_deref()
                .map(|p| format!(".{p}"))
                .unwrap_or_default()
        );
        let unknown = || Value::Unknown {
            reason: format!("`{shown}` is known only once Pulumi has created `{name}`"),
            symbol: Some(shown.clone()),
        };
        // An IAM user's or group's id is its name.
        let is_named = self
            .resource_type(name)
            .is_some_and(|t| t.ends_with(":User") || t.ends_with(":Group"));
        let property = match property.as_deref() {
            None | Some("id") if is_named => "name",
            Some(p) => p,
            None => return unknown(),
        };
        let Some(node) = self
            .resources
            .get(name)
            .and_then(|r| get_ci(r, "properties"))
            .and_then(|p| p.get(property))
        else {
            return unknown();
        };
        // A property that is another resource's is followed inside the
        // guard, so that a cycle of them ends. Evaluated once.
        let key = format!("{name}.{property}");
        if let Some(value) = self.state.borrow().memo.get(&key) {
            return value.clone();
        }
        let value = self.guarded(&key, || match self.eval(node) {
            Value::Resource { name, property } => self.resource_property(&name, property),
            value => value,
        });
        self.state.borrow_mut().memo.insert(key, value.clone());
        value
    }

    /// `name`, `name.property`, `name[0]`, `name["key"]`.
    fn access(&self, expr: &str, span: &Range<usize>) -> Value {
        let (root, path) = split_access(expr);
        let base = if let Some(node) = self.variables.get(root) {
            let memo = self.state.borrow().memo.get(root).cloned();
            let value = match memo {
                Some(value) => value,
                None => {
                    let value = self.guarded(root, || self.eval(node));
                    self.state
                        .borrow_mut()
                        .memo
                        .insert(root.to_string(), value.clone());
                    value
                }
            };
            // Every copy costs what it holds.
            if !self.spend(weight(&value), span) {
                return Value::unknown(Self::stopped_reason());
            }
            value
        } else if let Some(node) = self.config.get(root) {
            match config_default(node) {
                Some(node) => self.eval(node),
                None => Value::Unknown {
                    reason: format!(
                        "config `{root}` has no default: each stack sets it (`pulumi config set {root}`)"
                    ),
                    symbol: Some(root.to_string()),
                },
            }
        } else if self.resources.contains_key(root) {
            let property = match path.first() {
                Some(Step::Field(p)) => Some(p.clone()),
                Some(Step::Index(_)) => None,
                None => None,
            };
            if path.len() > 1 {
                return Value::Unknown {
                    reason: format!("`{expr}` is known only once Pulumi has created `{root}`"),
                    symbol: Some(expr.to_string()),
                };
            }
            return Value::Resource {
                name: root.to_string(),
                property,
            };
        } else if root == "pulumi" {
            return match path.first() {
                Some(Step::Field(f)) if f == "project" => match self.project {
                    Some(p) => Value::String(p.to_string()),
                    None => Value::unknown("the project has no `name`".into()),
                },
                _ => Value::Unknown {
                    reason: format!("`{expr}` is known only when Pulumi runs a stack"),
                    symbol: Some(expr.to_string()),
                },
            };
        } else {
            return Value::Unknown {
                reason: format!(
                    "`{root}` is neither a config value, a variable nor a resource of the program"
                ),
                symbol: Some(expr.to_string()),
            };
        };
        // An unknown read along a path stands for that path, not its root:
        // `${names[0]}` is not `${names[1]}`.
        let base = match base {
            Value::Unknown { reason, symbol } if !path.is_empty() => Value::Unknown {
                reason,
                symbol: symbol.map(|_| expr.to_string()),
            },
            other => other,
        };
        path.iter().fold(base, |value, step| match (value, step) {
            (Value::Object(entries), Step::Field(f)) => entries
                .into_iter()
                .find(|(k, _)| k == f)
                .map_or(Value::Null, |(_, v)| v),
            (Value::List(items), Step::Index(i)) => {
                items.into_iter().nth(*i).unwrap_or(Value::Null)
            }
            (unknown @ Value::Unknown { .. }, _) => unknown,
            (other, _) => Value::unknown(format!("`{expr}` reads into a {}", other.type_name())),
        })
    }

    /// Evaluates `f` for a variable or resource property, unknown at a
    /// cycle or past [`MAX_DEPTH`].
    fn guarded(&self, key: &str, f: impl FnOnce() -> Value) -> Value {
        {
            let mut state = self.state.borrow_mut();
            if state.stack.len() >= MAX_DEPTH || state.stack.iter().any(|v| v == key) {
                return Value::Unknown {
                    reason: format!(
                        "`{key}` refers to itself through other values, or through more than {MAX_DEPTH}"
                    ),
                    symbol: Some(key.to_string()),
                };
            }
            state.stack.push(key.to_string());
        }
        let value = f();
        self.state.borrow_mut().stack.pop();
        value
    }

    fn function(&self, name: &str, arg: &Node) -> Value {
        let lower = name.to_ascii_lowercase();
        let args = || match &arg.kind {
            Kind::List(items) => items.iter().map(|i| self.eval(i)).collect::<Vec<_>>(),
            _ => vec![self.eval(arg)],
        };
        match lower.as_str() {
            "fn::secret" => self.eval(arg),
            "fn::tojson" => {
                let value = self.eval(arg);
                match self.to_json(value) {
                    Ok(json) => {
                        let text = json.to_string();
                        if self.spend(text.len(), &arg.span) {
                            Value::String(text)
                        } else {
                            Value::unknown(Self::stopped_reason())
                        }
                    }
                    Err(Value::Unknown { reason, .. }) => Value::unknown(reason),
                    Err(other) => other,
                }
            }
            "fn::join" => match args().as_slice() {
                [Value::String(sep), Value::List(items)] => {
                    let mut parts = Vec::new();
                    for item in items.clone() {
                        match self.text_of(item, name) {
                            Ok(t) => parts.push(t),
                            Err(Value::Unknown { reason, .. }) => return Value::unknown(reason),
                            Err(other) => return other,
                        }
                    }
                    let text = parts.join(sep);
                    if self.spend(text.len(), &arg.span) {
                        Value::String(text)
                    } else {
                        Value::unknown(Self::stopped_reason())
                    }
                }
                [Value::Unknown { reason, .. }, _] | [_, Value::Unknown { reason, .. }] => {
                    Value::unknown(reason.clone())
                }
                _ => Value::unknown("`fn::join` takes a separator and a list".into()),
            },
            "fn::select" => match args().as_slice() {
                [Value::Number(i), Value::List(items)] if *i >= 0.0 => items
                    .get(*i as usize)
                    .cloned()
                    .unwrap_or_else(|| Value::unknown("`fn::select` past the list's end".into())),
                [Value::Unknown { reason, .. }, _] | [_, Value::Unknown { reason, .. }] => {
                    Value::unknown(reason.clone())
                }
                _ => Value::unknown("`fn::select` takes an index and a list".into()),
            },
            "fn::split" => match args().as_slice() {
                [Value::String(sep), Value::String(text)] if !sep.is_empty() => {
                    if !self.spend(
                        text.len() + text.matches(sep.as_str()).count() * 32,
                        &arg.span,
                    ) {
                        return Value::unknown(Self::stopped_reason());
                    }
                    Value::List(
                        text.split(sep.as_str())
                            .map(|s| Value::String(s.to_string()))
                            .collect(),
                    )
                }
                [Value::Unknown { reason, .. }, _] | [_, Value::Unknown { reason, .. }] => {
                    Value::unknown(reason.clone())
                }
                _ => Value::unknown("`fn::split` takes a separator and a string".into()),
            },
            _ => Value::unknown(format!("`{name}` is known only when Pulumi runs")),
        }
    }

    /// The JSON `fn::toJSON` makes of a value; unknown if any part is.
    pub fn to_json(&self, value: Value) -> Result<serde_json::Value, Value> {
        use serde_json::Value as J;
        Ok(match value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(b),
            Value::Number(n) => serde_json::Number::from_f64(n).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s),
            Value::List(items) => J::Array(
                items
                    .into_iter()
                    .map(|v| self.to_json(v))
                    .collect::<Result<_, _>>()?,
            ),
            Value::Object(entries) => J::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| Ok((k, self.to_json(v)?)))
                    .collect::<Result<_, Value>>()?,
            ),
            Value::Resource { name, property } => match self.resource_property(&name, property) {
                Value::String(s) => J::String(s),
                Value::Unknown { reason, symbol } => {
                    return Err(Value::Unknown { reason, symbol });
                }
                other => self.to_json(other)?,
            },
            unknown @ Value::Unknown { .. } => return Err(unknown),
        })
    }
}

/// A config entry's default: `{type: string, default: x}`, `{value: x}`
/// or a plain value.
fn config_default(node: &Node) -> Option<&Node> {
    match &node.kind {
        Kind::Map(_) => node.get("default").or_else(|| node.get("value")),
        _ => Some(node),
    }
}

#[derive(Debug, PartialEq)]
enum Step {
    Field(String),
    Index(usize),
}

/// `a.b[0]["c"]` as `a` and its steps.
fn split_access(expr: &str) -> (&str, Vec<Step>) {
    let root_end = expr.find(['.', '[']).unwrap_or(expr.len());
    let (root, mut rest) = expr.split_at(root_end);
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            steps.push(Step::Field(after[..end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else { break };
            let inside = after[..end].trim();
            match inside.parse::<usize>() {
                Ok(i) => steps.push(Step::Index(i)),
                Err(_) => steps.push(Step::Field(inside.trim_matches('"').to_string())),
            }
            rest = &after[end + 1..];
        } else {
            break;
        }
    }
    (root, steps)
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(text: &str) -> Node {
        let file = crate::source::SourceFile::new("Pulumi.yaml".into(), text);
        crate::syntax::parse_yaml(&file, 64, 1000)
            .expect("YAML")
            .root
    }

    fn eval_variable(text: &str, name: &str) -> Value {
        let root = program(text);
        let evaluator = Evaluator::new(&root);
        let node = root.get("variables").and_then(|v| v.get(name)).expect(name);
        evaluator.eval(node)
    }

    #[test]
    fn interpolation_and_functions() {
        let text = "name: shop\nconfig:\n  team:\n    type: string\n    default: ops\n  region: eu-west-1\n  secretName:\n    type: string\nvariables:\n  prefix: ${pulumi.project}-${team}\n  list: [a, b]\n  joined:\n    fn::join: ['-', ['${prefix}', '${list[1]}']]\n  doc:\n    fn::toJSON:\n      Version: '2012-10-17'\n      Name: ${alice.name}\n  escaped: $${notAVariable}\n  fromStack: ${secretName}\n  arn: ${alice.arn}\n  loop: ${loop}\nresources:\n  alice:\n    type: aws:iam:User\n    properties:\n      name: ${prefix}-alice\n";
        assert_eq!(
            eval_variable(text, "joined"),
            Value::String("shop-ops-b".into())
        );
        assert_eq!(
            eval_variable(text, "doc"),
            Value::String(r#"{"Name":"shop-ops-alice","Version":"2012-10-17"}"#.into())
        );
        assert_eq!(
            eval_variable(text, "escaped"),
            Value::String("${notAVariable}".into())
        );
        let Value::Unknown { reason, .. } = eval_variable(text, "fromStack") else {
            panic!()
        };
        assert!(reason.contains("pulumi config set secretName"), "{reason}");
        assert_eq!(
            eval_variable(text, "arn"),
            Value::Resource {
                name: "alice".into(),
                property: Some("arn".into())
            }
        );
        let Value::Unknown { reason, .. } = eval_variable(text, "loop") else {
            panic!()
        };
        assert!(reason.contains("refers to itself"), "{reason}");
    }

    #[test]
    fn unknown_texts_are_the_same_only_when_written_the_same() {
        let text = "config:\n  env:\n    type: string\n  names:\n    type: array\nvariables:\n  a: ${env}-alice\n  b: ${env}-bob\n  c: ${env}-alice\n  n0: ${names[0]}\n  n1: ${names[1]}\n  dollars: a$$b-$${x}\n";
        let symbol = |name: &str| match eval_variable(text, name) {
            Value::Unknown { symbol, .. } => symbol,
            other => panic!("{other:?}"),
        };
        assert_eq!(symbol("a"), symbol("c"));
        assert_ne!(symbol("a"), symbol("b"));
        assert_ne!(symbol("n0"), symbol("n1"));
        assert_eq!(
            eval_variable(text, "dollars"),
            Value::String("a$b-${x}".into())
        );
    }

    #[test]
    fn resources_that_refer_to_themselves_end() {
        let text = "variables:\n  doc:\n    fn::toJSON:\n      x: ${a.name}\nresources:\n  a:\n    type: aws:iam:User\n    properties:\n      name: x-${b.name}\n  b:\n    type: aws:iam:User\n    properties:\n      name: ${a.name}\n";
        let Value::Unknown { reason, .. } = eval_variable(text, "doc") else {
            panic!()
        };
        assert!(reason.contains("refers to itself"), "{reason}");
    }

    #[test]
    fn copies_are_bounded() {
        let mut text = String::from("variables:\n  v0: aaaaaaaaaaaaaaaa\n");
        for i in 1..=40 {
            text.push_str(&format!("  v{i}: ${{v{}}}${{v{}}}\n", i - 1, i - 1));
        }
        let root = program(&text);
        let evaluator = Evaluator::new(&root);
        let node = root.get("variables").and_then(|v| v.get("v40")).unwrap();
        let Value::Unknown { reason, .. } = evaluator.eval(node) else {
            panic!()
        };
        assert!(reason.contains("evaluation stopped"), "{reason}");
        assert_eq!(evaluator.into_problems().len(), 1);
    }
}
