//! Terraform's JSON syntax (`.tf.json`): rewritten into native HCL text
//! that hcl-edit parses like any `.tf` file, with a [`SpanMap`] that takes
//! every position in the rewritten text back to the JSON file, so findings
//! point at the JSON.
//!
//! Expressions need little translation: a JSON string is a template in
//! both syntaxes, and JSON numbers, arrays and objects are valid HCL
//! expressions as written. But Terraform decodes a JSON string before it
//! reads the template in it, so inside `${...}` and `%{...}` the JSON
//! escapes are decoded (`"${lookup(m, \"k\")}"` reads `lookup(m, "k")`),
//! where HCL would reject them. The block structure is rewritten
//! following Terraform's JSON rules: `resource` and `data` nest type then
//! name, `module`, `variable`, `output` and `provider` nest a name, a block
//! may be an array of bodies, `"//"` keys are comments. Inside a body, JSON
//! cannot say whether an object is a map argument or a nested block
//! (Terraform asks the provider's schema); mfalint treats as blocks the
//! nested block types it reads itself ([`NESTED_BLOCKS`]: the language's
//! and the IAM policy document's) and those the rules declare they read
//! ([`Schema::is_block`]), and everything else as arguments.

use std::ops::Range;

use crate::model::Schema;
use crate::source::SourceFile;
use crate::syntax::{Key, Kind, Node, parse_json};

/// Nested block types the front-end reads itself: the language's meta
/// blocks, and the statements of `aws_iam_policy_document`.
const NESTED_BLOCKS: &[&str] = &[
    "assert",
    "backend",
    "condition",
    "connection",
    "content",
    "dynamic",
    "lifecycle",
    "not_principals",
    "postcondition",
    "precondition",
    "principals",
    "provisioner",
    "required_providers",
    "statement",
    "validation",
];

/// Nested block types that carry one label (`provisioner "local-exec"`).
const LABELED_NESTED_BLOCKS: &[&str] = &["backend", "dynamic", "provisioner"];

/// Maps byte offsets of the rewritten HCL back to the JSON source.
#[derive(Debug, Default)]
pub struct SpanMap {
    /// `(rewritten start, rewritten length, source start, source length)`,
    /// in rewritten order.
    segments: Vec<(usize, usize, usize, usize)>,
}

impl SpanMap {
    /// The source range of a rewritten range.
    pub fn map(&self, range: Range<usize>) -> Range<usize> {
        let start = self.point(range.start, false);
        let end = self.point(range.end, true).max(start);
        start..end
    }

    fn point(&self, offset: usize, is_end: bool) -> usize {
        // The last segment starting at or before the offset.
        let i = self.segments.partition_point(|s| s.0 <= offset);
        let Some(&(gen_start, gen_len, src_start, src_len)) =
            i.checked_sub(1).and_then(|i| self.segments.get(i))
        else {
            return 0;
        };
        let within = offset - gen_start;
        if within < gen_len || (is_end && within == gen_len) {
            if gen_len == src_len {
                // The same text: positions correspond byte for byte.
                src_start + within
            } else if is_end && within > 0 {
                // Rewritten text (an escape, a type): never split it.
                src_start + src_len
            } else {
                src_start
            }
        } else {
            // Structural text between segments: the end of the previous one.
            src_start + src_len
        }
    }
}

/// A syntax error in the JSON itself, positioned in the JSON.
#[derive(Debug)]
pub struct JsonSyntaxError {
    pub span: Range<usize>,
    pub message: String,
    /// A bound was reached (nesting), not a syntax rule broken.
    pub limit: bool,
}

/// Rewrites a `.tf.json` file as HCL text.
pub fn to_hcl(
    file: &SourceFile,
    max_nesting: usize,
    schema: &Schema,
) -> Result<(String, SpanMap), JsonSyntaxError> {
    let root = parse_json(file, max_nesting).map_err(|e| JsonSyntaxError {
        span: e.span,
        message: e.message,
        limit: e.limit,
    })?;
    let Kind::Map(entries) = &root.kind else {
        return Err(JsonSyntaxError {
            span: root.span,
            message: "a Terraform JSON file must hold one JSON object".into(),
            limit: false,
        });
    };
    let mut writer = Writer {
        source: &file.text,
        out: String::with_capacity(file.text.len() + 64),
        map: SpanMap::default(),
        schema,
    };
    for (key, value) in entries {
        writer.top_level(key, value);
    }
    Ok((writer.out, writer.map))
}

struct Writer<'s> {
    source: &'s str,
    out: String,
    map: SpanMap,
    schema: &'s Schema,
}

/// Which body is being written: some arguments read differently.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    Variable,
    Locals,
    /// A `check` block, whose `data` blocks have two labels.
    Check,
    Other,
}

/// The bodies of a block: one object, or an array of them.
fn bodies(node: &Node) -> Vec<&Node> {
    match &node.kind {
        Kind::Map(_) => vec![node],
        Kind::List(items) => items
            .iter()
            .filter(|i| matches!(i.kind, Kind::Map(_)))
            .collect(),
        _ => Vec::new(),
    }
}

fn entries(node: &Node) -> &[(Key, Node)] {
    match &node.kind {
        Kind::Map(entries) => entries,
        _ => &[],
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

impl Writer<'_> {
    fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// Writes `text` standing for `source` in the JSON.
    fn mapped(&mut self, text: &str, source: Range<usize>) {
        self.map
            .segments
            .push((self.out.len(), text.len(), source.start, source.len()));
        self.out.push_str(text);
    }

    fn top_level(&mut self, key: &Key, value: &Node) {
        match key.name.as_str() {
            kind @ ("resource" | "data") => {
                for (type_key, names) in entries(value) {
                    for (name_key, body) in entries(names) {
                        for body in bodies(body) {
                            self.block(kind, &[type_key, name_key], name_key, body, Context::Other);
                        }
                    }
                }
            }
            kind @ ("module" | "output" | "provider" | "variable") => {
                let context = if kind == "variable" {
                    Context::Variable
                } else {
                    Context::Other
                };
                for (name_key, body) in entries(value) {
                    for body in bodies(body) {
                        self.block(kind, &[name_key], name_key, body, context);
                    }
                }
            }
            "check" => {
                for (name_key, body) in entries(value) {
                    for body in bodies(body) {
                        self.block("check", &[name_key], name_key, body, Context::Check);
                    }
                }
            }
            "locals" => {
                for body in bodies(value) {
                    self.block("locals", &[], key, body, Context::Locals);
                }
            }
            "terraform" => {
                for body in bodies(value) {
                    self.block("terraform", &[], key, body, Context::Other);
                }
            }
            // "//" comments, and blocks no rule reads (moved, import, ...).
            _ => {}
        }
    }

    /// `ident "label" ... { body }`, the header mapped to `anchor` (the
    /// JSON key that names the block) so findings point at it.
    fn block(&mut self, ident: &str, labels: &[&Key], anchor: &Key, body: &Node, context: Context) {
        self.mapped(ident, anchor.span.clone());
        for label in labels {
            self.raw(" ");
            let text = self.string_literal(&label.span, &label.name);
            self.mapped(&text, label.span.clone());
        }
        self.raw(" {\n");
        for (key, value) in entries(body) {
            self.body_item(key, value, context);
        }
        self.raw("}\n");
    }

    fn body_item(&mut self, key: &Key, value: &Node, context: Context) {
        let name = key.name.as_str();
        if name == "//" || !is_identifier(name) {
            return;
        }
        // A data source scoped to a check block.
        if context == Context::Check && name == "data" {
            for (type_key, names) in entries(value) {
                for (name_key, body) in entries(names) {
                    for body in bodies(body) {
                        self.block(
                            "data",
                            &[type_key, name_key],
                            name_key,
                            body,
                            Context::Other,
                        );
                    }
                }
            }
            return;
        }
        let is_block = context != Context::Locals
            && (NESTED_BLOCKS.contains(&name) || self.schema.is_block(name))
            && !bodies(value).is_empty();
        if is_block {
            if LABELED_NESTED_BLOCKS.contains(&name) {
                for (label_key, inner) in entries(value) {
                    for body in bodies(inner) {
                        self.block(name, &[label_key], label_key, body, Context::Other);
                    }
                }
            } else {
                for body in bodies(value) {
                    self.block(name, &[], key, body, Context::Other);
                }
            }
            return;
        }
        self.mapped(name, key.span.clone());
        self.raw(" = ");
        self.expression(name, value, context);
        self.raw("\n");
    }

    fn expression(&mut self, name: &str, value: &Node, context: Context) {
        let text = &self.source[value.span.clone()];
        let rewritten = match (context, name, &value.kind) {
            // A variable's type is a type expression written as a string.
            (Context::Variable, "type", Kind::String(t)) => t.clone(),
            // A variable's default is a literal: no interpolation.
            (Context::Variable, "default", _) => sanitize_escapes(text)
                .replace("${", "$${")
                .replace("%{", "%%{"),
            _ => {
                let mut at = value.span.start;
                for (hcl, json_len) in rewrite_expression(text) {
                    self.mapped(&hcl, at..at + json_len);
                    at += json_len;
                }
                return;
            }
        };
        self.mapped(&rewritten, value.span.clone());
    }

    /// An HCL string literal for a JSON key (labels are never templates).
    fn string_literal(&self, span: &Range<usize>, name: &str) -> String {
        let text = &self.source[span.clone()];
        if text.starts_with('"') && !text.contains("${") && !text.contains("%{") {
            sanitize_escapes(text)
        } else {
            let mut out = String::from("\"");
            for c in name.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
    }
}

/// An expression's JSON text as HCL, in pieces `(HCL text, length of the
/// JSON it stands for)`: text copied as is comes in runs of equal length
/// (so positions inside it map byte for byte), each rewritten escape is a
/// piece of its own. Outside templates' interpolations, escapes HCL lacks
/// are rewritten ([`sanitize_escapes`]); inside them, every JSON escape is
/// decoded, as Terraform decodes the string before reading the template.
fn rewrite_expression(json: &str) -> Vec<(String, usize)> {
    let mut pieces: Vec<(String, usize)> = Vec::new();
    let mut copied = String::new();
    let flush = |copied: &mut String, pieces: &mut Vec<(String, usize)>| {
        if !copied.is_empty() {
            let len = copied.len();
            pieces.push((std::mem::take(copied), len));
        }
    };
    let bytes = json.as_bytes();
    let (mut in_string, mut depth, mut inner_string, mut inner_escaped) =
        (false, 0u32, false, false);
    let mut i = 0;
    while i < json.len() {
        let c = json[i..].chars().next().unwrap_or('\0');
        let rest = &bytes[i..];
        if !in_string {
            in_string = c == '"';
            copied.push(c);
            i += c.len_utf8();
            continue;
        }
        if c == '\\' {
            let (decoded, len) = json_escape(&json[i..]);
            flush(&mut copied, &mut pieces);
            if depth == 0 {
                pieces.push((sanitize_escapes(&json[i..i + len]), len));
            } else {
                for d in decoded.chars() {
                    track_inner(d, &mut depth, &mut inner_string, &mut inner_escaped);
                }
                pieces.push((decoded, len));
            }
            i += len;
            continue;
        }
        if c == '"' {
            // The JSON string ends (inside an interpolation, the template
            // is unfinished: HCL will say so).
            in_string = false;
            depth = 0;
            inner_string = false;
        } else if depth == 0 {
            if rest.starts_with(b"$${") || rest.starts_with(b"%%{") {
                copied.push_str(&json[i..i + 3]);
                i += 3;
                continue;
            }
            if rest.starts_with(b"${") || rest.starts_with(b"%{") {
                copied.push_str(&json[i..i + 2]);
                i += 2;
                depth = 1;
                continue;
            }
        } else {
            track_inner(c, &mut depth, &mut inner_string, &mut inner_escaped);
        }
        copied.push(c);
        i += c.len_utf8();
    }
    flush(&mut copied, &mut pieces);
    pieces
}

/// Follows braces and quoted strings inside an interpolation, to know
/// where it ends.
fn track_inner(c: char, depth: &mut u32, inner_string: &mut bool, escaped: &mut bool) {
    if *inner_string {
        if *escaped {
            *escaped = false;
        } else if c == '\\' {
            *escaped = true;
        } else if c == '"' {
            *inner_string = false;
        }
        return;
    }
    match c {
        '"' => *inner_string = true,
        '{' => *depth += 1,
        '}' => *depth = depth.saturating_sub(1),
        _ => {}
    }
}

/// A JSON escape at the start of `text` (which starts with `\`): what it
/// stands for and how many bytes it takes. An invalid one stands for
/// itself.
fn json_escape(text: &str) -> (String, usize) {
    let mut chars = text.chars().skip(1);
    let simple = |c: char| (c.to_string(), 2);
    match chars.next() {
        Some('"') => simple('"'),
        Some('\\') => simple('\\'),
        Some('/') => simple('/'),
        Some('n') => simple('\n'),
        Some('t') => simple('\t'),
        Some('r') => simple('\r'),
        Some('b') => simple('\u{8}'),
        Some('f') => simple('\u{c}'),
        Some('u') => {
            let hex = |at: usize| {
                text.get(at..at + 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            };
            match hex(2) {
                Some(high @ 0xD800..=0xDBFF) if text.get(6..8) == Some("\\u") => match hex(8) {
                    Some(low @ 0xDC00..=0xDFFF) => {
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        match char::from_u32(code) {
                            Some(c) => (c.to_string(), 12),
                            None => (text[..6].to_string(), 6),
                        }
                    }
                    _ => (text[..6].to_string(), 6),
                },
                Some(code) => match char::from_u32(code) {
                    Some(c) => (c.to_string(), 6),
                    None => (text[..6].to_string(), 6),
                },
                None => ("\\u".to_string(), 2),
            }
        }
        Some(other) => (
            text[..1 + other.len_utf8()].to_string(),
            1 + other.len_utf8(),
        ),
        None => ("\\".to_string(), 1),
    }
}

/// JSON escapes HCL lacks (`\/`, `\b`, `\f`) rewritten as HCL accepts them.
fn sanitize_escapes(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('/') => out.push('/'),
            Some('b') => out.push_str("\\u0008"),
            Some('f') => out.push_str("\\u000c"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn rewrite(json: &str) -> (String, SpanMap) {
        let file = SourceFile::new(PathBuf::from("main.tf.json"), json.to_string());
        to_hcl(&file, 200, &Schema::default()).expect("valid JSON")
    }

    #[test]
    fn blocks_are_rewritten_and_positions_map_back() {
        let json = r#"{
  "resource": {
    "aws_iam_user": {
      "alice": { "name": "${var.prefix}-alice", "//": "comment" },
      "bob": [{ "name": "bob" }]
    }
  },
  "variable": { "prefix": { "type": "string", "default": "${literal}" } },
  "locals": { "x": { "a": 1 } }
}"#;
        let (hcl, map) = rewrite(json);
        let body = hcl_edit::parser::parse_body(&hcl).expect("rewritten HCL parses");
        let blocks: Vec<_> = body.blocks().collect();
        assert_eq!(blocks.len(), 4, "{hcl}");
        assert_eq!(blocks[0].ident.as_str(), "resource");
        assert_eq!(blocks[1].labels[1].as_str(), "bob");
        assert!(hcl.contains("type = string"), "{hcl}");
        assert!(hcl.contains(r#""$${literal}""#), "{hcl}");
        let name = &blocks[0].body.get_attribute("name").unwrap().value;
        use hcl_edit::Span as _;
        let mapped = map.map(name.span().unwrap());
        assert_eq!(&json[mapped], r#""${var.prefix}-alice""#);
        let header = map.map(blocks[0].span().unwrap().start..blocks[0].span().unwrap().start);
        assert_eq!(&json[header.start..header.start + 7], r#""alice""#);
    }

    #[test]
    fn nested_blocks_and_labels() {
        let json = r#"{"resource": {"null_resource": {"x": {
  "provisioner": {"local-exec": {"command": "aws iam enable-mfa-device --user-name bob"}},
  "tags": {"Name": "x"}
}}}}"#;
        let (hcl, _) = rewrite(json);
        let body = hcl_edit::parser::parse_body(&hcl).expect("parses");
        let resource = body.blocks().next().unwrap();
        let provisioner = resource.body.blocks().next().unwrap();
        assert_eq!(provisioner.ident.as_str(), "provisioner");
        assert_eq!(provisioner.labels[0].as_str(), "local-exec");
        assert!(resource.body.get_attribute("tags").is_some());
    }

    #[test]
    fn json_only_escapes_become_hcl_escapes() {
        assert_eq!(sanitize_escapes(r#""a\/b\f""#), r#""a/b\u000c""#);
    }

    fn rewritten(json: &str) -> String {
        let pieces = rewrite_expression(json);
        assert_eq!(
            pieces.iter().map(|(_, len)| len).sum::<usize>(),
            json.len(),
            "the pieces cover the JSON exactly"
        );
        pieces.into_iter().map(|(hcl, _)| hcl).collect()
    }

    #[test]
    fn json_escapes_are_decoded_inside_interpolations_only() {
        assert_eq!(rewritten(r#""${f(\"k\")}""#), r#""${f("k")}""#);
        assert_eq!(rewritten(r#""a\"b${x}\n""#), r#""a\"b${x}\n""#);
        // `$${` is a literal `${`: no interpolation, nothing decoded.
        assert_eq!(rewritten(r#""$${f(\"k\")}""#), r#""$${f(\"k\")}""#);
        // An HCL string inside the interpolation keeps its own escapes, and
        // a brace inside it does not end the interpolation.
        assert_eq!(
            rewritten(r#"["${f(\"}\\\"\")}\"", 1]"#),
            r#"["${f("}\"")}\"", 1]"#
        );
        assert_eq!(rewritten(r#""${\ud83d\ude00}""#), "\"${\u{1F600}}\"");
    }
}
