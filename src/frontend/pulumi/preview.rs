//! `pulumi preview --json` output, for programs in any language: its
//! `steps` hold each resource's planned state (`newState`: `type`,
//! `inputs`), the engine's resolved inputs (pulumi/pulumi
//! `pkg/backend/display/json.go`, `previewDigest`). Inputs known only once
//! the update runs are Pulumi's unknown sentinel. Findings point at the
//! step's `urn` in the JSON.

use crate::model::{Link, Name, PolicyDocument, Unresolved};
use crate::providers::aws;
use crate::source::{FileId, Span};
use crate::syntax::{Kind, Node};

/// What `pulumi preview --json` writes for an input that is known only
/// once the update runs (`plugin.UnknownStringValue`).
const UNKNOWN: &str = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/// What it writes for a secret (`MassageSecrets` in
/// `pkg/backend/display/json.go`): two secrets are not the same value.
const SECRET: &str = "[secret]";

/// Why a value is not known: the unknown sentinel or a secret.
fn hidden(text: &str) -> Option<&'static str> {
    match text {
        UNKNOWN => Some("the preview knows this value only once the update runs"),
        SECRET => Some("the preview shows this value as `[secret]`"),
        _ => None,
    }
}

/// Unchanged resources a preview leaves out: `pulumi preview --json`
/// writes `same` steps only with `--show-sames`, but counts them in
/// `changeSummary.same`. `Some(n, where it is counted)` when `n` are
/// missing.
pub fn missing_sames(root: &Node) -> Option<(usize, std::ops::Range<usize>)> {
    let same = root.get("changeSummary")?.get("same")?;
    let counted = match same.kind {
        Kind::Number(n) if n >= 1.0 => n as usize,
        _ => return None,
    };
    let written = match root.get("steps").map(|s| &s.kind) {
        Some(Kind::List(steps)) => steps
            .iter()
            .filter(|s| s.get("op").and_then(Node::as_str) == Some("same"))
            .count(),
        _ => 0,
    };
    (counted > written).then(|| (counted - written, same.span.clone()))
}

/// Whether a parsed JSON document is a preview: `steps` whose entries
/// have Pulumi URNs.
pub fn is_preview(root: &Node) -> bool {
    match root.get("steps").map(|s| &s.kind) {
        Some(Kind::List(steps)) => steps.iter().any(|s| {
            s.get("urn")
                .and_then(Node::as_str)
                .is_some_and(|u| u.starts_with("urn:pulumi:"))
        }),
        _ => false,
    }
}

/// A step's resource, when the update leaves it existing: its type token,
/// logical name (the URN's last part), inputs and the URN's span.
pub struct Step<'a> {
    pub token: &'a str,
    pub name: &'a str,
    pub inputs: Option<&'a Node>,
    pub urn_span: std::ops::Range<usize>,
}

/// The steps whose resource exists after the update: created, updated,
/// replaced or unchanged; not deleted ones, nor reads of existing
/// resources.
pub fn steps(root: &Node) -> Vec<Step<'_>> {
    let Some(Kind::List(steps)) = root.get("steps").map(|s| &s.kind) else {
        return Vec::new();
    };
    steps
        .iter()
        .filter_map(|step| {
            let op = step.get("op").and_then(Node::as_str)?;
            if matches!(
                op,
                "delete"
                    | "delete-replaced"
                    | "discard"
                    | "discard-replaced"
                    | "read"
                    | "read-replacement"
                    | "remove-pending-replace"
            ) {
                return None;
            }
            let urn_node = step.get("urn")?;
            let urn = urn_node.as_str()?;
            let state = step.get("newState")?;
            let token = state
                .get("type")
                .and_then(Node::as_str)
                .or_else(|| urn.rsplit("::").nth(1))?;
            Some(Step {
                token,
                name: urn.rsplit("::").next().unwrap_or(urn),
                inputs: state.get("inputs"),
                urn_span: urn_node.span.clone(),
            })
        })
        .collect()
}

/// One step's inputs, read for [`aws::lower`].
pub struct PreviewArguments<'a> {
    pub inputs: Option<&'a Node>,
    pub name: &'a str,
    pub file: FileId,
    pub span: Span,
}

impl PreviewArguments<'_> {
    fn input(&self, arg: &str) -> Option<&Node> {
        self.inputs?
            .get(&super::camel_case(arg))
            .filter(|n| !matches!(n.kind, Kind::Null))
    }

    fn span_of(&self, node: &Node) -> Span {
        Span::new(self.file, node.span.clone())
    }

    fn unresolved(&self, arg: &str, node: Option<&Node>, reason: &str) -> Unresolved {
        Unresolved {
            expression: format!("{}.{}", self.name, super::camel_case(arg)),
            reason: reason.to_string(),
            span: node.map_or(self.span, |n| self.span_of(n)),
            symbol: None,
        }
    }

    fn link_of(&self, arg: &str, node: &Node) -> Link {
        match node.as_str() {
            Some(text) if hidden(text).is_some() => {
                Link::Unresolved(self.unresolved(arg, Some(node), hidden(text).unwrap_or_default()))
            }
            Some(name) => Link::Name {
                name: name.to_string(),
                span: self.span_of(node),
            },
            None => Link::Unresolved(self.unresolved(arg, Some(node), "not a name")),
        }
    }
}

impl aws::Arguments for PreviewArguments<'_> {
    fn is_set(&self, arg: &str) -> bool {
        self.input(arg).is_some()
    }

    fn name(&self, arg: &str) -> Name {
        match self.input(arg) {
            Some(node) => match node.as_str() {
                Some(text) if hidden(text).is_some() => Name::Unresolved(self.unresolved(
                    arg,
                    Some(node),
                    hidden(text).unwrap_or_default(),
                )),
                Some(s) => Name::Known(s.to_string()),
                None => Name::Unresolved(self.unresolved(arg, Some(node), "not a name")),
            },
            None => Name::Unresolved(self.unresolved(arg, None, "not in the step's inputs")),
        }
    }

    fn link(&self, arg: &str, _target_type: &str) -> Link {
        match self.input(arg) {
            Some(node) => self.link_of(arg, node),
            None => Link::Unresolved(self.unresolved(arg, None, "not in the step's inputs")),
        }
    }

    fn links(&self, arg: &str, _target_type: &str) -> Vec<Link> {
        match self.input(arg).map(|n| (n, &n.kind)) {
            Some((_, Kind::List(items))) => items.iter().map(|i| self.link_of(arg, i)).collect(),
            Some((node, _)) => vec![self.link_of(arg, node)],
            None => vec![Link::Unresolved(self.unresolved(
                arg,
                None,
                "not in the step's inputs",
            ))],
        }
    }

    fn document(&self, arg: &str) -> PolicyDocument {
        match self.input(arg) {
            Some(node) => match node.as_str() {
                Some(text) if hidden(text).is_some() => PolicyDocument::Unresolved(
                    self.unresolved(arg, Some(node), hidden(text).unwrap_or_default()),
                ),
                Some(text) => PolicyDocument::Json {
                    text: text.to_string(),
                    span: self.span_of(node),
                },
                // A document given as a mapping: its JSON.
                None => PolicyDocument::Json {
                    text: node.to_json().to_string(),
                    span: self.span_of(node),
                },
            },
            None => {
                PolicyDocument::Unresolved(self.unresolved(arg, None, "not in the step's inputs"))
            }
        }
    }

    fn boolean(&self, arg: &str) -> Option<bool> {
        match self.input(arg)?.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }
}
