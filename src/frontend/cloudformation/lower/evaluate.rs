//! CloudFormation's intrinsic functions and conditions, evaluated
//! statically where the template fixes their value (parameter defaults,
//! literal names): `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`,
//! `Fn::Select`, `Fn::If`, `Fn::ImportValue` and the condition functions.
//! What cannot be decided is unknown and says why; every string built is
//! bounded ([`MAX_STRING_BYTES`], [`MAX_TEXT_BYTES`]).

use super::Lowerer;
use crate::model::{ScopeId, Unresolved};
use crate::syntax::{Kind, Node};

/// A statically evaluated template value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    String(String),
    /// `Ref` or `Fn::GetAtt` of a resource of this template.
    Resource(String),
    List(Vec<Value>),
    /// `Ref AWS::NoValue`: the property (or list element) is left out.
    Absent,
    /// `Fn::ImportValue` of another scanned template's export: a resource
    /// or a name in that template's scope.
    Imported {
        scope: ScopeId,
        target: Box<Value>,
    },
    Unknown {
        reason: String,
        symbol: Option<String>,
    },
}

/// What a condition evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Truth {
    True,
    False,
    /// Cannot be decided from the template and its parameters' defaults.
    Unknown(String),
}

/// The longest string evaluation builds (`Fn::Join`, `Fn::Sub`) or takes
/// (a parameter's value), as in Terraform: a name or an ARN is at most a
/// few hundred bytes, and a longer string is unknown. A 440 KB template
/// joining 10,000 copies of a 300 KB default built a 3 GB user name.
pub const MAX_STRING_BYTES: usize = 1 << 20;

/// The text evaluation may produce across all the templates of a scan,
/// every copy counted: 16 MiB, where the whole shared corpus produces
/// 7 KB (2026-12-01). Past it, values are unknown and say why: 10,000
/// users named by a reference to one 1 MiB default would otherwise hold
/// 10 GB.
pub const MAX_TEXT_BYTES: usize = 16 << 20;

/// What is left of [`MAX_TEXT_BYTES`], shared by the templates of a scan.
#[derive(Debug)]
/// Templates lowered in parallel share it; whether any spending was
/// refused ([`TextBudget::ran_out`]) tells whether the order of spending
/// could have changed what was evaluated.
pub struct TextBudget {
    left: std::sync::atomic::AtomicUsize,
    ran_out: std::sync::atomic::AtomicBool,
}

impl Default for TextBudget {
    fn default() -> Self {
        TextBudget {
            left: MAX_TEXT_BYTES.into(),
            ran_out: false.into(),
        }
    }
}

impl TextBudget {
    /// Takes `bytes`; false (and nothing left) when there are not enough.
    fn spend(&self, bytes: usize) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        let left = self
            .left
            .fetch_update(Relaxed, Relaxed, |left| Some(left.saturating_sub(bytes)))
            .unwrap_or_else(|left| left);
        if left < bytes {
            self.ran_out.store(true, Relaxed);
        }
        left >= bytes
    }

    /// Whether nothing is left (which counts as running out: what is
    /// evaluated next is unknown).
    fn is_empty(&self) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        let empty = self.left.load(Relaxed) == 0;
        if empty {
            self.ran_out.store(true, Relaxed);
        }
        empty
    }

    /// Whether some spending was refused, or found nothing left.
    pub fn ran_out(&self) -> bool {
        self.ran_out.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Why a string is unknown when it is longer than [`MAX_STRING_BYTES`]
/// (`bytes` of it, or more when it was not built to the end).
pub(super) fn too_long(bytes: Option<usize>) -> Value {
    let size = match bytes {
        Some(n) => format!("of {n} bytes"),
        None => format!("of more than {MAX_STRING_BYTES} bytes"),
    };
    unknown(&format!(
        "a string {size}, longer than the {MAX_STRING_BYTES} bytes mfalint evaluates"
    ))
}

impl Lowerer<'_> {
    /// A condition of `Conditions` by name, evaluated once.
    pub(super) fn condition_named(&mut self, name: &str) -> Truth {
        if let Some(known) = self.truths.get(name) {
            return known.clone();
        }
        if self.evaluating.iter().any(|n| n == name) {
            return Truth::Unknown(format!("the condition `{name}` refers to itself"));
        }
        let Some(node) = self.conditions.get(name).copied() else {
            return Truth::Unknown(format!("the condition `{name}` is not declared"));
        };
        self.evaluating.push(name.to_string());
        let truth = self.truth(node);
        self.evaluating.pop();
        self.truths.insert(name.to_string(), truth.clone());
        truth
    }

    /// Evaluates a condition: `Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`
    /// and `Condition`, with parameters' defaults (or what a parent stack
    /// passes).
    pub(super) fn truth(&mut self, node: &Node) -> Truth {
        let Kind::Intrinsic(name, arg) = &node.kind else {
            return match &node.kind {
                Kind::Bool(true) => Truth::True,
                Kind::Bool(false) => Truth::False,
                _ => Truth::Unknown("not a condition".into()),
            };
        };
        let items: &[Node] = match &arg.kind {
            Kind::List(items) => items,
            _ => std::slice::from_ref(&**arg),
        };
        match name.as_str() {
            "Condition" => match arg.as_str() {
                Some(name) => self.condition_named(name),
                None => Truth::Unknown("`Condition` takes a condition's name".into()),
            },
            "Fn::Equals" => {
                let [a, b] = items else {
                    return Truth::Unknown("`Fn::Equals` takes two values".into());
                };
                match (self.value(a), self.value(b)) {
                    (Value::Unknown { reason, .. }, _) | (_, Value::Unknown { reason, .. }) => {
                        Truth::Unknown(reason)
                    }
                    (x, y) => {
                        if x == y {
                            Truth::True
                        } else {
                            Truth::False
                        }
                    }
                }
            }
            "Fn::And" | "Fn::Or" => {
                let (decisive, other) = if name == "Fn::And" {
                    (Truth::False, Truth::True)
                } else {
                    (Truth::True, Truth::False)
                };
                let mut unknown = None;
                for item in items {
                    match self.truth(item) {
                        t if t == decisive => return decisive,
                        Truth::Unknown(why) => unknown = unknown.or(Some(why)),
                        _ => {}
                    }
                }
                unknown.map_or(other, Truth::Unknown)
            }
            "Fn::Not" => match items {
                [only] => match self.truth(only) {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    unknown => unknown,
                },
                _ => Truth::Unknown("`Fn::Not` takes one condition".into()),
            },
            other => Truth::Unknown(format!("`{other}` is not a condition function")),
        }
    }

    /// Whether a property is present: an `Fn::If` may leave it out with
    /// `Ref AWS::NoValue`.
    pub(super) fn presence(&mut self, node: &Node) -> Truth {
        match &node.kind {
            Kind::Intrinsic(name, arg) if name == "Fn::If" => {
                let Kind::List(items) = &arg.kind else {
                    return Truth::Unknown("malformed `Fn::If`".into());
                };
                let [condition, yes, no] = items.as_slice() else {
                    return Truth::Unknown("malformed `Fn::If`".into());
                };
                let Some(name) = condition.as_str() else {
                    return Truth::Unknown("malformed `Fn::If`".into());
                };
                match self.condition_named(name) {
                    Truth::True => self.presence(yes),
                    Truth::False => self.presence(no),
                    Truth::Unknown(why) => match (self.presence(yes), self.presence(no)) {
                        (Truth::False, Truth::False) => Truth::False,
                        (Truth::True, Truth::True) => Truth::True,
                        _ => Truth::Unknown(format!("the condition `{name}`: {why}")),
                    },
                }
            }
            Kind::Intrinsic(name, arg) if name == "Ref" && arg.as_str() == Some("AWS::NoValue") => {
                Truth::False
            }
            _ => Truth::True,
        }
    }

    pub(super) fn unresolved(
        &self,
        node: &Node,
        reason: String,
        symbol: Option<String>,
    ) -> Unresolved {
        let expression = self.text.get(node.span.clone()).unwrap_or("").trim();
        Unresolved {
            expression: crate::finding::clipped(expression.lines().next().unwrap_or("")),
            reason,
            span: self.span(node.span.clone()),
            symbol,
        }
    }

    /// Evaluates what the template fixes: literals, `Ref` to parameters
    /// with defaults and to resources, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`.
    /// A string longer than [`MAX_STRING_BYTES`], or past the scan's
    /// [`TextBudget`], is unknown.
    pub(super) fn value(&mut self, node: &Node) -> Value {
        let exhausted = || {
            unknown(&format!(
                "evaluation stopped: the templates produce more than {MAX_TEXT_BYTES} bytes of text \
                 (mfalint's bound against inputs built to exhaust it)"
            ))
        };
        if self.budget.is_empty() {
            return exhausted();
        }
        let value = self.value_unbounded(node);
        match &value {
            Value::String(s) if s.len() > MAX_STRING_BYTES => too_long(Some(s.len())),
            Value::String(s) if !self.budget.spend(s.len()) => exhausted(),
            _ => value,
        }
    }

    pub(super) fn value_unbounded(&mut self, node: &Node) -> Value {
        match &node.kind {
            // Not copied when too long: a reference to it may be repeated.
            Kind::String(s) if s.len() > MAX_STRING_BYTES => too_long(Some(s.len())),
            Kind::String(s) => Value::String(s.clone()),
            Kind::Number(n) => Value::String(format_number(*n)),
            Kind::Bool(b) => Value::String(b.to_string()),
            Kind::Null => unknown("the value is null"),
            Kind::Map(_) => unknown("a mapping is not a name"),
            // A tag other than an intrinsic's keeps only its value
            // ([`super::intrinsics::resolve`] leaves none behind).
            Kind::Tagged(_, inner) => self.value_unbounded(inner),
            // `Ref AWS::NoValue` in a list leaves the element out. A list
            // of more text than one string may hold stops there.
            Kind::List(items) => {
                let mut values = Vec::with_capacity(items.len());
                let mut bytes = 0;
                for item in items {
                    let value = self.value(item);
                    if let Value::String(s) = &value {
                        bytes += s.len();
                        if bytes > MAX_STRING_BYTES {
                            return unknown(&format!(
                                "a list of more than {MAX_STRING_BYTES} bytes of text, longer than mfalint evaluates"
                            ));
                        }
                    }
                    if value != Value::Absent {
                        values.push(value);
                    }
                }
                Value::List(values)
            }
            Kind::Intrinsic(name, arg) => self.intrinsic(node, name, arg),
        }
    }

    pub(super) fn intrinsic(&mut self, node: &Node, name: &str, arg: &Node) -> Value {
        match name {
            "Ref" => match arg.as_str() {
                Some("AWS::NoValue") => Value::Absent,
                Some(target) => self.reference(target),
                None => {
                    self.error(
                        node.span.clone(),
                        "`Ref` takes the logical id of a parameter or resource".into(),
                    );
                    unknown("malformed `Ref`")
                }
            },
            "Fn::GetAtt" => {
                let parts: Option<(String, String)> = match &arg.kind {
                    Kind::String(s) => s
                        .split_once('.')
                        .map(|(a, b)| (a.to_string(), b.to_string())),
                    Kind::List(items) if items.len() == 2 => items[0]
                        .as_str()
                        .zip(items[1].as_str())
                        .map(|(a, b)| (a.to_string(), b.to_string())),
                    _ => None,
                };
                match parts {
                    Some((resource, _)) if self.resources.contains_key(resource.as_str()) => {
                        Value::Resource(resource)
                    }
                    Some((resource, attr)) => unknown(&format!(
                        "`{resource}.{attr}` is not a resource of this template"
                    )),
                    None => {
                        self.error(
                            node.span.clone(),
                            "`Fn::GetAtt` takes `Resource.Attribute` or [Resource, Attribute]"
                                .into(),
                        );
                        unknown("malformed `Fn::GetAtt`")
                    }
                }
            }
            "Fn::Sub" => self.sub(node, arg),
            "Fn::ImportValue" => {
                self.imports = true;
                let name = match self.value(arg) {
                    Value::String(name) => name,
                    Value::Unknown { reason, .. } => {
                        return unknown(&format!(
                            "the name `Fn::ImportValue` imports is not known statically ({reason})"
                        ));
                    }
                    _ => return unknown("`Fn::ImportValue` takes an export's name"),
                };
                match self.exports.0.get(&name) {
                    Some(Ok((scope, value, _))) if *scope == self.scope => value.clone(),
                    Some(Ok((scope, value, path))) => {
                        self.imported_from.insert(path.clone());
                        Value::Imported {
                            scope: *scope,
                            target: Box::new(value.clone()),
                        }
                    }
                    Some(Err(why)) => unknown(why),
                    None => unknown(&format!(
                        "`{name}` is imported (`Fn::ImportValue`), and no scanned template exports it"
                    )),
                }
            }
            "Fn::If" => {
                let parts = match &arg.kind {
                    Kind::List(items) => items.as_slice(),
                    _ => &[],
                };
                let [condition, yes, no] = parts else {
                    self.error(
                        node.span.clone(),
                        "`Fn::If` takes [condition, value if true, value if false]".into(),
                    );
                    return unknown("malformed `Fn::If`");
                };
                let Some(name) = condition.as_str() else {
                    return unknown("malformed `Fn::If`");
                };
                match self.condition_named(name) {
                    Truth::True => self.value(yes),
                    Truth::False => self.value(no),
                    Truth::Unknown(why) => {
                        let (a, b) = (self.value(yes), self.value(no));
                        if a == b {
                            a
                        } else {
                            unknown(&format!(
                                "it depends on the condition `{name}`, which cannot be decided ({why})"
                            ))
                        }
                    }
                }
            }
            "Fn::Join" => match &arg.kind {
                Kind::List(items) if items.len() == 2 => {
                    let separator = match self.value(&items[0]) {
                        Value::String(s) => s,
                        _ => return unknown("the separator of `Fn::Join` is not known"),
                    };
                    let mut parts = Vec::new();
                    match self.value(&items[1]) {
                        Value::List(values) => {
                            for v in values {
                                match v {
                                    Value::String(s) => parts.push(s),
                                    Value::Unknown { reason, .. } => return unknown(&reason),
                                    _ => {
                                        return unknown("an element of `Fn::Join` is not a string");
                                    }
                                }
                            }
                        }
                        Value::Unknown { reason, .. } => return unknown(&reason),
                        _ => return unknown("`Fn::Join` takes a list"),
                    }
                    let length = parts.iter().map(String::len).sum::<usize>()
                        + separator.len() * parts.len().saturating_sub(1);
                    if length > MAX_STRING_BYTES {
                        return too_long(Some(length));
                    }
                    Value::String(parts.join(&separator))
                }
                _ => {
                    self.error(
                        node.span.clone(),
                        "`Fn::Join` takes [separator, [values]]".into(),
                    );
                    unknown("malformed `Fn::Join`")
                }
            },
            super::super::intrinsics::UNKNOWN => {
                let text = |i: usize| match &arg.kind {
                    Kind::List(parts) => parts.get(i).and_then(Node::as_str),
                    _ => None,
                };
                Value::Unknown {
                    reason: text(0).unwrap_or("unknown").to_string(),
                    symbol: text(1).filter(|s| !s.is_empty()).map(str::to_string),
                }
            }
            other => unknown(&format!(
                "`{other}` is only known when the stack is deployed"
            )),
        }
    }

    pub(super) fn reference(&mut self, target: &str) -> Value {
        if self.resources.contains_key(target) {
            return Value::Resource(target.to_string());
        }
        if let Some(given) = self.call.and_then(|c| c.parameters.get(target)) {
            return match given {
                Ok(value) => Value::String(value.clone()),
                Err(reason) => Value::Unknown {
                    reason: reason.clone(),
                    symbol: None,
                },
            };
        }
        if let Some(default) = self.parameters.get(target).copied() {
            if self.in_default {
                return Value::Unknown {
                    reason: format!(
                        "a parameter's `Default` is taken literally; its reference to `{target}` is not followed"
                    ),
                    symbol: Some(format!("Ref {target}")),
                };
            }
            return match default {
                Some(node) => {
                    self.in_default = true;
                    let value = self.value(node);
                    self.in_default = false;
                    value
                }
                None => Value::Unknown {
                    reason: format!("parameter `{target}` has no `Default`"),
                    symbol: Some(format!("Ref {target}")),
                },
            };
        }
        if target.starts_with("AWS::") {
            return unknown(&format!(
                "pseudo parameter `{target}` is only known when the stack is deployed"
            ));
        }
        unknown(&format!(
            "`{target}` is neither a parameter nor a resource of this template"
        ))
    }

    /// `Fn::Sub`: `${Name}` and `${Resource.Attr}` replaced where known.
    pub(super) fn sub(&mut self, node: &Node, arg: &Node) -> Value {
        let (template, vars) = match &arg.kind {
            Kind::String(s) => (s.as_str(), None),
            Kind::List(items) if items.len() == 2 && items[0].as_str().is_some() => {
                (items[0].as_str().unwrap_or(""), Some(&items[1]))
            }
            _ => {
                self.error(
                    node.span.clone(),
                    "`Fn::Sub` takes a string or [string, {variables}]".into(),
                );
                return unknown("malformed `Fn::Sub`");
            }
        };
        let mut out = String::new();
        let mut rest = template;
        let mut only_reference = None;
        while let Some(start) = rest.find("${") {
            if out.len() > MAX_STRING_BYTES {
                return too_long(None);
            }
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                return unknown("`Fn::Sub` has an unterminated `${`");
            };
            let variable = &after[..end];
            let value = match vars.and_then(|v| v.get(variable)) {
                Some(node) => self.value(node),
                None => match variable.split_once('.') {
                    Some((resource, _)) if self.resources.contains_key(resource) => {
                        Value::Resource(resource.to_string())
                    }
                    _ => self.reference(variable),
                },
            };
            match value {
                Value::String(s) if out.len() + s.len() > MAX_STRING_BYTES => {
                    return too_long(None);
                }
                Value::String(s) => out.push_str(&s),
                Value::Resource(r) => {
                    if start == 0 && after[end + 1..].is_empty() && out.is_empty() {
                        only_reference = Some(r);
                    } else {
                        return unknown(&format!(
                            "`${{{variable}}}` is only known when the stack is deployed"
                        ));
                    }
                }
                Value::Unknown { reason, .. } => return unknown(&reason),
                Value::List(_) => return unknown("a list cannot be substituted"),
                Value::Absent => return unknown("`AWS::NoValue` cannot be substituted"),
                Value::Imported { .. } => {
                    return unknown("an imported value is only known when the stack is deployed");
                }
            }
            rest = &after[end + 1..];
        }
        if let Some(r) = only_reference {
            return Value::Resource(r);
        }
        out.push_str(rest);
        Value::String(out)
    }
}

pub(super) fn unknown(reason: &str) -> Value {
    Value::Unknown {
        reason: reason.to_string(),
        symbol: None,
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}
