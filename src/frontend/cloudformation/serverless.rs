//! Serverless Framework services: a `serverless.yml` (or `.yaml`, `.json`)
//! deploys one CloudFormation stack per stage, and its `resources` section
//! is CloudFormation template syntax merged into that stack's template
//! (<https://www.serverless.com/framework/docs/providers/aws/guide/resources>).
//! The section becomes a template here, read and lowered like any other,
//! with findings in the `serverless.yml`.
//!
//! Serverless variables (`${source:address, fallback}`,
//! <https://www.serverless.com/framework/docs/guides/variables>) are
//! resolved first, from the file where they can be: `self:` (a path in the
//! file), `sls:stage` (the `--stage` option, else `provider.stage`, else
//! `dev`), `param:` (the stage's `params`, else `params.default`) and
//! `aws:region` (`provider.region`, else `us-east-1`). A deploy-time source
//! (`opt:`, `env:`) takes its fallback when it has one, as a Terraform
//! variable takes its default; without one, and for every source read
//! from elsewhere (`file(...)`, `ssm:`, `cf:`, `s3:`, `aws:accountId`,
//! plugins' sources), the value is unknown and says which variable it
//! waits for. `${AWS::Region}` and `${LogicalId}` are `Fn::Sub`'s, not
//! Serverless's, and are left to it.

use std::ops::Range;

use super::intrinsics::UNKNOWN;
use crate::diagnostic::InputErrorKind;
use crate::syntax::{Kind, Node};

/// Whether a file is a Serverless Framework service file.
pub fn is_service_name(path: &std::path::Path) -> bool {
    matches!(
        crate::paths::file_name_str(path),
        Some("serverless.yml" | "serverless.yaml" | "serverless.json")
    )
}

/// Self-references followed in a row before the value is unknown: a
/// cycle, or a chain longer than any service writes.
const MAX_DEPTH: usize = 32;

/// Nodes and bytes of text variables may produce for one file, every copy
/// counted (the file's own nodes are not): a 1 KB file whose `custom`
/// values each reference the previous one twice would otherwise double its
/// size at every line. Real services produce a few kilobytes.
const MAX_PRODUCED: usize = 4 << 20;

/// A problem found in a service file.
#[derive(Debug)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub kind: InputErrorKind,
    /// Whether users may go unchecked because of it (an error, not a
    /// warning).
    pub hides_users: bool,
}

/// The template a service's `resources` section makes, its variables
/// resolved, or `None` when the file has no `resources` (a service of
/// functions only). Each problem found is returned with its byte range.
pub fn template(root: &Node) -> Option<(Node, Vec<Problem>)> {
    let (key, resources) = root.entry("resources")?;
    let mut resolver = Resolver {
        root,
        stack: Vec::new(),
        produced: 0,
        problems: Vec::new(),
        stopped: false,
    };
    let sections = match &resources.kind {
        // Several fragments, deep-merged in order; empty ones are skipped,
        // as Serverless skips them.
        Kind::List(items) => items
            .iter()
            .filter(|i| !matches!(&i.kind, Kind::Null))
            .filter(|i| i.as_str() != Some(""))
            .collect(),
        _ => vec![resources],
    };
    let mut merged = Node {
        span: key.span.start..resources.span.end,
        kind: Kind::Map(Vec::new()),
    };
    for (i, section) in sections.into_iter().enumerate() {
        let section = resolver.resolve(section, 0);
        match section.kind {
            Kind::Map(_) => merge(&mut merged, section),
            Kind::Intrinsic(ref name, ref why) if name == UNKNOWN => {
                let reason = unknown_reason(why);
                // A later fragment may change the resources before it
                // (a user's groups), which are then checked as written.
                let changes = if i > 0 {
                    "; it may also change the resources of the fragments before it, which are checked as written"
                } else {
                    ""
                };
                resolver.problems.push(Problem {
                    span: section.span.clone(),
                    message: format!(
                        "not read: this fragment of `resources` is not in the file ({reason}); the users it declares are checked only if the file it includes is a template of its own{changes}"
                    ),
                    kind: InputErrorKind::Reference,
                    hides_users: i > 0,
                });
            }
            _ => resolver.problems.push(Problem {
                span: section.span.clone(),
                message:
                    "`resources` must be CloudFormation template syntax: a mapping with `Resources`"
                        .into(),
                kind: InputErrorKind::Invalid,
                hides_users: true,
            }),
        }
    }
    Some((merged, resolver.problems))
}

/// The reason of an unknown value ([`unknown_node`]).
fn unknown_reason(why: &Node) -> &str {
    match &why.kind {
        Kind::List(parts) => parts.first().and_then(Node::as_str).unwrap_or(""),
        _ => "",
    }
}

/// Merges a fragment into what the fragments before it made, as lodash's
/// `_.merge` does (Serverless merges `resources` lists so since v1.14,
/// serverless/serverless#3622): mappings merge key by key, lists element
/// by element, anything else replaces. A key keeps the place where it
/// first appears.
fn merge(into: &mut Node, from: Node) {
    match (&mut into.kind, from.kind) {
        (Kind::Map(entries), Kind::Map(more)) => {
            for (key, value) in more {
                match entries.iter_mut().find(|(k, _)| k.name == key.name) {
                    Some((_, existing)) => merge(existing, value),
                    None => entries.push((key, value)),
                }
            }
        }
        (Kind::List(items), Kind::List(more)) => {
            for (i, value) in more.into_iter().enumerate() {
                match items.get_mut(i) {
                    Some(existing) => merge(existing, value),
                    None => items.push(value),
                }
            }
        }
        (_, kind) => {
            *into = Node {
                span: from.span,
                kind,
            }
        }
    }
}

struct Resolver<'a> {
    root: &'a Node,
    /// The `self:` addresses being resolved, to stop at a cycle.
    stack: Vec<String>,
    produced: usize,
    problems: Vec<Problem>,
    /// [`MAX_PRODUCED`] was reached (reported once).
    stopped: bool,
}

/// What a variable resolves to.
enum Resolved {
    Value(Node),
    Unknown { reason: String, symbol: String },
}

impl Resolver<'_> {
    /// The node with its variables resolved.
    fn resolve(&mut self, node: &Node, depth: usize) -> Node {
        // Below a `self:` reference, each node is a copy: charged for its
        // size and the text it holds.
        let size = match &node.kind {
            Kind::String(s) => s.len(),
            Kind::Map(entries) => entries.iter().map(|(k, _)| k.name.len()).sum(),
            _ => 0,
        };
        if depth > 0 && !self.spend(1 + size, &node.span) {
            return unknown_node(node.span.clone(), &self.stopped_reason(), "");
        }
        let kind = match &node.kind {
            Kind::String(text) if text.contains("${") => {
                return self.string(text, node.span.clone(), depth);
            }
            Kind::List(items) => Kind::List(items.iter().map(|i| self.resolve(i, depth)).collect()),
            Kind::Map(entries) => Kind::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.resolve(v, depth)))
                    .collect(),
            ),
            Kind::Tagged(tag, inner) => {
                Kind::Tagged(tag.clone(), Box::new(self.resolve(inner, depth)))
            }
            Kind::Intrinsic(name, inner) => {
                Kind::Intrinsic(name.clone(), Box::new(self.resolve(inner, depth)))
            }
            other => other.clone(),
        };
        Node {
            span: node.span.clone(),
            kind,
        }
    }

    fn stopped_reason(&self) -> String {
        format!(
            "Serverless variables produce more than {MAX_PRODUCED} bytes and nodes in this file (mfalint's bound against inputs built to exhaust it)"
        )
    }

    /// Counts what resolution produces; false once the bound is passed.
    fn spend(&mut self, amount: usize, span: &Range<usize>) -> bool {
        self.produced = self.produced.saturating_add(amount);
        if self.produced <= MAX_PRODUCED {
            return true;
        }
        if !std::mem::replace(&mut self.stopped, true) {
            let reason = self.stopped_reason();
            self.problems.push(Problem {
                span: span.clone(),
                message: format!("evaluation stopped: {reason}"),
                kind: InputErrorKind::Limit,
                hides_users: false,
            });
        }
        false
    }

    /// A string holding variables: one variable alone is replaced by its
    /// value, whatever its type; variables inside text are interpolated.
    fn string(&mut self, text: &str, span: Range<usize>, depth: usize) -> Node {
        let pieces = split(text);
        if let [Piece::Variable(inner)] = pieces.as_slice() {
            return match self.variable(inner, &span, depth) {
                Resolved::Value(mut value) => {
                    if !matches!(value.kind, Kind::Map(_) | Kind::List(_)) {
                        value.span = span;
                    }
                    value
                }
                Resolved::Unknown { reason, symbol } => unknown_node(span, &reason, &symbol),
            };
        }
        let mut out = String::new();
        for piece in pieces {
            let before = out.len();
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Variable(inner) => match self.variable(inner, &span, depth) {
                    Resolved::Value(value) => match scalar_text(&value) {
                        Some(t) => out.push_str(&t),
                        None => {
                            return unknown_node(
                                span,
                                &format!("`${{{inner}}}` is not text, and is inside text"),
                                text,
                            );
                        }
                    },
                    Resolved::Unknown { reason, .. } => {
                        return unknown_node(span, &reason, text);
                    }
                },
            }
            if !self.spend(out.len() - before, &span) {
                return unknown_node(span, &self.stopped_reason(), text);
            }
        }
        Node {
            span,
            kind: Kind::String(out),
        }
    }

    /// One variable's value: its source, else each fallback in turn.
    fn variable(&mut self, inner: &str, span: &Range<usize>, depth: usize) -> Resolved {
        // Each use costs, whatever it yields: a variable with thousands of
        // fallbacks, used by doubling references, is bounded in time too.
        if depth >= MAX_DEPTH || !self.spend(16 + inner.len(), span) {
            return Resolved::Unknown {
                reason: if depth >= MAX_DEPTH {
                    format!("variables nest deeper than {MAX_DEPTH} levels")
                } else {
                    self.stopped_reason()
                },
                symbol: String::new(),
            };
        }
        // The source and its fallbacks are split as written; variables
        // inside each are resolved then: `${self:custom.${sls:stage}.user}`,
        // `${env:G, ${self:custom.g}}`.
        let mut first_unknown = None;
        for candidate in split_top_level(inner) {
            let candidate = candidate.trim();
            // `${` alone has no closing brace (and no length to subtract).
            let resolved = if candidate.len() >= 3
                && candidate.starts_with("${")
                && closing(&candidate[2..]) == Some(candidate.len() - 3)
            {
                // A whole variable as a fallback: its value.
                match self.string(candidate, span.clone(), depth + 1) {
                    node if is_unknown(&node) => Some(Resolved::Unknown {
                        reason: unknown_reason_of(&node),
                        symbol: candidate.to_string(),
                    }),
                    node => Some(Resolved::Value(node)),
                }
            } else if candidate.contains("${") {
                match self.string(candidate, span.clone(), depth + 1).kind {
                    Kind::String(text) => self.source(&text, span, depth),
                    _ => Some(Resolved::Unknown {
                        reason: format!("`${{{inner}}}` depends on a value that is not known"),
                        symbol: format!("${{{inner}}}"),
                    }),
                }
            } else {
                self.source(candidate, span, depth)
            };
            match resolved {
                Some(Resolved::Value(v)) if !matches!(v.kind, Kind::Null) => {
                    return Resolved::Value(v);
                }
                Some(Resolved::Value(_)) | None => {}
                Some(unknown @ Resolved::Unknown { .. }) => {
                    // A deploy-time source with a fallback takes the
                    // fallback; anything else stays unknown.
                    if !is_deploy_time(candidate) {
                        return unknown;
                    }
                    first_unknown.get_or_insert(unknown);
                }
            }
        }
        first_unknown.unwrap_or_else(|| Resolved::Unknown {
            reason: format!("`${{{inner}}}` has no value in the file"),
            symbol: format!("${{{inner}}}"),
        })
    }

    /// A source or a fallback literal. `None`: resolved to nothing (an
    /// absent `self:` path), so the next fallback is tried.
    fn source(&mut self, text: &str, span: &Range<usize>, depth: usize) -> Option<Resolved> {
        let literal = |s: &str| {
            Some(Resolved::Value(Node {
                span: span.clone(),
                kind: Kind::String(s.to_string()),
            }))
        };
        if let Some(quoted) = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .or_else(|| text.strip_prefix('"').and_then(|t| t.strip_suffix('"')))
        {
            return literal(quoted);
        }
        // Numbers as Serverless reads them: digits, a sign, a point (not
        // `nan` or `inf`, which it rejects).
        if text.chars().any(|c| c.is_ascii_digit())
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
            && let Ok(n) = text.parse::<f64>()
        {
            return Some(Resolved::Value(Node {
                span: span.clone(),
                kind: Kind::Number(n),
            }));
        }
        if let Some(b) = match text {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        } {
            return Some(Resolved::Value(Node {
                span: span.clone(),
                kind: Kind::Bool(b),
            }));
        }
        let unknown = |reason: String| {
            Some(Resolved::Unknown {
                reason,
                symbol: format!("${{{text}}}"),
            })
        };
        let (name, address) = text.split_once(':').unwrap_or((text, ""));
        let address = address.trim();
        match name.trim() {
            "self" => self.self_path(address, span, depth),
            "sls" if address == "stage" => Some(self.stage(span, depth)),
            "opt" => unknown(format!(
                "`${{{text}}}` is the `--{address}` option given when the service is deployed"
            )),
            "env" => unknown(format!(
                "`${{{text}}}` is the environment variable `{address}` when the service is deployed"
            )),
            "param" => {
                // The stage's parameters override the defaults
                // (`params.<stage>`, or v4's `stages.<stage>.params`); a
                // null one falls back.
                let stage = match self.stage(span, depth) {
                    Resolved::Value(v) => scalar_text(&v),
                    Resolved::Unknown { .. } => None,
                };
                let under = |stage: &str| {
                    [
                        format!("params.{stage}.{address}"),
                        format!("stages.{stage}.params.{address}"),
                    ]
                };
                match &stage {
                    Some(stage) => {
                        for path in under(stage) {
                            if let Some(found) = self.self_path(&path, span, depth)
                                && !matches!(&found, Resolved::Value(v) if matches!(v.kind, Kind::Null))
                            {
                                return Some(found);
                            }
                        }
                    }
                    // The stage is not known: a stage's own value may win.
                    None => {
                        let stages = self.stage_names();
                        if stages
                            .iter()
                            .any(|s| under(s).iter().any(|p| self.has_path(p)))
                        {
                            return unknown(format!(
                                "`${{{text}}}` depends on the stage, which is known only when the service is deployed"
                            ));
                        }
                    }
                }
                for path in under("default") {
                    if let Some(found) = self.self_path(&path, span, depth)
                        && !matches!(&found, Resolved::Value(v) if matches!(v.kind, Kind::Null))
                    {
                        return Some(found);
                    }
                }
                unknown(format!(
                    "`${{{text}}}` is a parameter set outside the file (the dashboard, or `--param`)"
                ))
            }
            "aws" if address == "region" => Some(
                self.self_path("provider.region", span, depth)
                    .unwrap_or_else(|| {
                        Resolved::Value(Node {
                            span: span.clone(),
                            kind: Kind::String("us-east-1".into()),
                        })
                    }),
            ),
            _ => unknown(format!(
                "`${{{text}}}` is read from outside the file when the service is deployed"
            )),
        }
    }

    /// The stages `params` and `stages` name, but `default`.
    fn stage_names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for section in ["params", "stages"] {
            if let Some(Kind::Map(entries)) = self.root.get(section).map(|n| &n.kind) {
                names.extend(
                    entries
                        .iter()
                        .map(|(k, _)| k.name.clone())
                        .filter(|n| n != "default"),
                );
            }
        }
        names
    }

    /// Whether the file writes a value at a dotted path.
    fn has_path(&self, address: &str) -> bool {
        let mut node = self.root;
        for segment in address.split('.') {
            match node.get(segment) {
                Some(next) => node = next,
                None => return false,
            }
        }
        !matches!(node.kind, Kind::Null)
    }

    /// `${sls:stage}`: `${opt:stage, self:provider.stage, "dev"}`.
    fn stage(&mut self, span: &Range<usize>, depth: usize) -> Resolved {
        self.self_path("provider.stage", span, depth)
            .unwrap_or_else(|| {
                Resolved::Value(Node {
                    span: span.clone(),
                    kind: Kind::String("dev".into()),
                })
            })
    }

    /// The value at a dotted path of the file (`custom.users.0`), resolved.
    fn self_path(&mut self, address: &str, span: &Range<usize>, depth: usize) -> Option<Resolved> {
        let symbol = format!("${{self:{address}}}");
        if depth >= MAX_DEPTH || self.stack.iter().any(|a| a == address) {
            return Some(Resolved::Unknown {
                reason: format!(
                    "`{symbol}` refers to itself through other variables, or through more than {MAX_DEPTH}"
                ),
                symbol,
            });
        }
        let mut node = self.root;
        for segment in address.split('.').filter(|s| !s.is_empty()) {
            // A step through a value that is itself a variable needs it
            // resolved first.
            if let Kind::String(s) = &node.kind
                && s.contains("${")
            {
                return Some(Resolved::Unknown {
                    reason: format!("`{symbol}` goes through a variable (`{s}`)"),
                    symbol,
                });
            }
            node = match &node.kind {
                Kind::Map(_) => node.get(segment)?,
                Kind::List(items) => items.get(segment.parse::<usize>().ok()?)?,
                Kind::Tagged(_, inner) => inner.get(segment)?,
                _ => return None,
            };
        }
        self.stack.push(address.to_string());
        let value = self.resolve(node, depth + 1);
        self.stack.pop();
        if let Kind::Intrinsic(name, why) = &value.kind
            && name == UNKNOWN
        {
            let reason = match &why.kind {
                Kind::List(parts) => parts.first().and_then(Node::as_str).unwrap_or(""),
                _ => "",
            };
            return Some(Resolved::Unknown {
                reason: reason.to_string(),
                symbol,
            });
        }
        if !self.spend(0, span) {
            return Some(Resolved::Unknown {
                reason: self.stopped_reason(),
                symbol,
            });
        }
        Some(Resolved::Value(value))
    }
}

fn is_unknown(node: &Node) -> bool {
    matches!(&node.kind, Kind::Intrinsic(name, _) if name == UNKNOWN)
}

fn unknown_reason_of(node: &Node) -> String {
    match &node.kind {
        Kind::Intrinsic(_, why) => unknown_reason(why).to_string(),
        _ => String::new(),
    }
}

/// Whether a source is only known at deploy time, so that a fallback
/// stands in for it.
fn is_deploy_time(source: &str) -> bool {
    source.starts_with("opt:") || source.starts_with("env:")
}

/// The text a scalar interpolates as.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.kind {
        Kind::String(s) => Some(s.clone()),
        Kind::Number(n) => Some(super::lower::format_number(*n)),
        Kind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A value the lowering reads as unknown, with its reason and symbol.
fn unknown_node(span: Range<usize>, reason: &str, symbol: &str) -> Node {
    let text = |s: &str| Node {
        span: span.clone(),
        kind: Kind::String(s.to_string()),
    };
    Node {
        span: span.clone(),
        kind: Kind::Intrinsic(
            UNKNOWN.into(),
            Box::new(Node {
                span: span.clone(),
                kind: Kind::List(vec![text(reason), text(symbol)]),
            }),
        ),
    }
}

#[derive(Debug, PartialEq)]
enum Piece<'t> {
    Text(&'t str),
    /// What is between `${` and its `}`.
    Variable(&'t str),
}

/// Splits a string into text and Serverless variables. A `${...}` whose
/// source is not a Serverless one (`${AWS::Region}`, `${Bucket.Arn}`) is
/// text, for `Fn::Sub`.
fn split(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut literal_start = 0;
    let mut offset = 0;
    while let Some(at) = rest.find("${") {
        let start = offset + at;
        // An unterminated `${` is text, as Serverless reads it.
        let Some(len) = closing(&text[start + 2..]) else {
            break;
        };
        let inner = &text[start + 2..start + 2 + len];
        let end = start + 2 + len + 1;
        if is_serverless_variable(inner) {
            if literal_start < start {
                pieces.push(Piece::Text(&text[literal_start..start]));
            }
            pieces.push(Piece::Variable(inner));
            literal_start = end;
        }
        offset = end;
        rest = &text[end..];
    }
    if literal_start < text.len() {
        pieces.push(Piece::Text(&text[literal_start..]));
    }
    pieces
}

/// The length of a variable's inside: up to its `}`, past nested `${...}`
/// and quoted fallbacks.
fn closing(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(_) if b == b'\\' => i += 1,
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'$' if bytes.get(i + 1) == Some(&b'{') => {
                    depth += 1;
                    i += 1;
                }
                b'}' if depth == 0 => return Some(i),
                b'}' => depth -= 1,
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Whether the inside of a `${...}` is a Serverless variable: a source
/// name in lower camel case followed by `:` or `(` (`self:`, `opt:`,
/// `file(`), or a nested variable. CloudFormation's `${AWS::Region}`,
/// `${Param}` and `${Resource.Attr}` are not.
fn is_serverless_variable(inner: &str) -> bool {
    if inner.starts_with("${") {
        return true;
    }
    let name_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let (name, rest) = inner.split_at(name_len);
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && ((rest.starts_with(':') && !rest.starts_with("::")) || rest.starts_with('('))
}

/// The comma-separated source and fallbacks of a variable, commas inside
/// quotes, parentheses or nested variables aside.
fn split_top_level(inner: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut quote = None;
    for c in inner.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' | '{' => depth += 1,
                ')' | '}' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            },
        }
        current.push(c);
    }
    parts.push(current);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Node {
        let file = crate::source::SourceFile::new("serverless.yml".into(), text);
        crate::syntax::parse_yaml(&file, 64, 1000)
            .expect("valid YAML")
            .root
    }

    fn resolved(text: &str, path: &[&str]) -> Node {
        let root = yaml(text);
        let (template, _) = template(&root).expect("resources");
        let mut node = &template;
        for p in path {
            node = node.get(p).unwrap_or_else(|| panic!("no {p} in {node:?}"));
        }
        node.clone()
    }

    fn unknown_reason(node: &Node) -> Option<String> {
        match &node.kind {
            Kind::Intrinsic(name, why) if name == UNKNOWN => match &why.kind {
                Kind::List(parts) => parts[0].as_str().map(str::to_string),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn variables_resolve_from_the_file() {
        let text = "service: shop\nprovider:\n  name: aws\n  stage: ${opt:stage, 'prod'}\ncustom:\n  users:\n    prod: alice\nparams:\n  default:\n    team: ops\nresources:\n  Resources:\n    U:\n      Type: AWS::IAM::User\n      Properties:\n        UserName: ${self:service}-${self:custom.users.${sls:stage}}-${param:team}\n        Path: ${env:USER_PATH, \"/people/\"}\n        Region: ${aws:region}\n        Sub: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:user/${self:service}'\n";
        let props = resolved(text, &["Resources", "U", "Properties"]);
        assert_eq!(
            props.get("UserName").and_then(Node::as_str),
            Some("shop-alice-ops")
        );
        assert_eq!(props.get("Path").and_then(Node::as_str), Some("/people/"));
        assert_eq!(
            props.get("Region").and_then(Node::as_str),
            Some("us-east-1")
        );
        let Some(Node {
            kind: Kind::Tagged(_, sub),
            ..
        }) = props.get("Sub")
        else {
            panic!("{props:?}")
        };
        assert_eq!(
            sub.as_str(),
            Some("arn:${AWS::Partition}:iam::${AWS::AccountId}:user/shop")
        );
    }

    #[test]
    fn what_the_file_cannot_say_is_unknown_and_named() {
        let text = "service: s\nresources:\n  Resources:\n    U:\n      Type: AWS::IAM::User\n      Properties:\n        A: ${opt:who}\n        B: x-${ssm:/users/admin}\n        C: ${self:custom.missing}\n        D: ${self:a}\na: ${self:b}\nb: ${self:a}\n";
        let props = resolved(text, &["Resources", "U", "Properties"]);
        let reason = |k: &str| unknown_reason(props.get(k).expect(k)).unwrap_or_default();
        assert!(reason("A").contains("`--who` option"), "{}", reason("A"));
        assert!(
            reason("B").contains("${ssm:/users/admin}"),
            "{}",
            reason("B")
        );
        assert!(
            reason("C").contains("no value in the file"),
            "{}",
            reason("C")
        );
        assert!(reason("D").contains("refers to itself"), "{}", reason("D"));
    }

    #[test]
    fn fragments_merge_and_includes_are_reported() {
        let text = "resources:\n  - Resources:\n      A: {Type: AWS::IAM::User, Properties: {Path: /a/, Groups: [g1, g2]}}\n  - ${file(resources/more.yml)}\n  - Resources:\n      B: {Type: AWS::IAM::Group}\n      A: {Properties: {UserName: a, Groups: [g3]}}\n";
        let root = yaml(text);
        let (template, problems) = template(&root).expect("resources");
        let Some(Kind::Map(resources)) = template.get("Resources").map(|r| &r.kind) else {
            panic!("{template:?}")
        };
        let names: Vec<&str> = resources.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["A", "B"]);
        // Deep-merged, lists element by element, as lodash's `_.merge`.
        let a = &resources[0].1;
        assert_eq!(a.get("Type").and_then(Node::as_str), Some("AWS::IAM::User"));
        let properties = a.get("Properties").expect("Properties");
        assert_eq!(properties.get("Path").and_then(Node::as_str), Some("/a/"));
        assert_eq!(properties.get("UserName").and_then(Node::as_str), Some("a"));
        let Some(Kind::List(groups)) = properties.get("Groups").map(|g| &g.kind) else {
            panic!("{properties:?}")
        };
        let groups: Vec<_> = groups.iter().filter_map(Node::as_str).collect();
        assert_eq!(groups, ["g3", "g2"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("file(resources/more.yml)"),
            "{problems:?}"
        );
    }

    #[test]
    fn copies_are_bounded() {
        // Each level references the previous one twice: 2^30 copies of
        // 16 bytes (within the depth bound).
        let mut text = String::from("custom:\n  l0: aaaaaaaaaaaaaaaa\n");
        for i in 1..=30 {
            text.push_str(&format!(
                "  l{i}: ${{self:custom.l{}}}${{self:custom.l{}}}\n",
                i - 1,
                i - 1
            ));
        }
        text.push_str("resources:\n  Resources:\n    U:\n      Type: AWS::IAM::User\n      Properties:\n        UserName: ${self:custom.l30}\n");
        let root = yaml(&text);
        let (template, problems) = template(&root).expect("resources");
        let name = template
            .get("Resources")
            .and_then(|r| r.get("U"))
            .and_then(|u| u.get("Properties"))
            .and_then(|p| p.get("UserName"))
            .expect("UserName");
        assert!(
            unknown_reason(name).is_some_and(|r| r.contains("bytes and nodes")),
            "{name:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("evaluation stopped")),
            "{problems:?}"
        );
    }

    #[test]
    fn stage_parameters_override_the_defaults() {
        let text = "provider:\n  stage: prod\nparams:\n  default:\n    a: da\n    b: db\n  prod:\n    a: pa\n    b: null\nstages:\n  prod:\n    params:\n      c: pc\nresources:\n  Resources:\n    U:\n      Properties:\n        A: ${param:a}\n        B: ${param:b}\n        C: ${param:c}\n        D: ${env:X, ${self:params.default.a}}\n        E: '${ self:params }'\n";
        let props = resolved(text, &["Resources", "U", "Properties"]);
        let text_of = |k: &str| props.get(k).and_then(Node::as_str).map(str::to_string);
        assert_eq!(text_of("A").as_deref(), Some("pa"));
        // A null stage value falls back to the default.
        assert_eq!(text_of("B").as_deref(), Some("db"));
        // Serverless v4's `stages.<stage>.params`.
        assert_eq!(text_of("C").as_deref(), Some("pc"));
        // A fallback that is a variable itself.
        assert_eq!(text_of("D").as_deref(), Some("da"));
        // A space after `${` makes it text, as Serverless reads it.
        assert_eq!(text_of("E").as_deref(), Some("${ self:params }"));
    }

    /// Malformed fallbacks end as text or unknowns, never a panic.
    #[test]
    fn malformed_fallbacks_do_not_panic() {
        for value in [
            "${opt:x, ${}",
            "${opt:x, '${'}",
            "${opt:x,}",
            "${,}",
            "${opt:x, $}",
        ] {
            let text = format!(
                "resources:\n  Resources:\n    U:\n      Properties:\n        A: \"{value}\"\n"
            );
            let root = yaml(&text);
            let _ = template(&root);
        }
    }

    #[test]
    fn cloudformation_substitutions_are_not_variables() {
        assert!(is_serverless_variable("self:service"));
        assert!(is_serverless_variable("file(x.yml):a"));
        assert!(is_serverless_variable("${sls:stage}"));
        assert!(!is_serverless_variable("AWS::Region"));
        assert!(!is_serverless_variable("Bucket.Arn"));
        assert!(!is_serverless_variable("Param"));
        assert!(!is_serverless_variable("!Literal"));
    }
}
