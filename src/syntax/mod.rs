//! Spanned data: one tree for JSON and YAML documents in which every node
//! keeps its byte span, so that a finding can point into the file. The
//! CloudFormation front-end reads templates with it, the Terraform
//! front-end `.tf.json` files, `yamldecode`/`jsondecode` and the modules
//! manifest, and the plan front-end plans; what a node means (an
//! intrinsic function, a block) is the front-end's to say. YAML is read
//! as CloudFormation's tools read it (PyYAML's leniencies), within bounds
//! on nesting and on what aliases expand to.

mod json;
mod yaml;

pub use json::parse_json;
pub use yaml::{MAX_ALIAS_BYTES, Yaml, parse_yaml};

use std::ops::Range;
use std::path::Path;

/// File name endings (lower-case) of the documents read with this tree:
/// JSON, YAML, and `.template`, which may be either.
const DOCUMENT_ENDINGS: &[&str] = &[".json", ".yaml", ".yml", ".template"];

/// The editor's glob for those files.
pub const DOCUMENT_GLOB: &str = "**/*.{json,yaml,yml,template}";

/// Whether a file's name, in any case, is a JSON or YAML document's.
pub fn is_document_name(path: &Path) -> bool {
    DOCUMENT_ENDINGS
        .iter()
        .any(|ending| crate::paths::name_ends_with_ignore_case(path, ending))
}

/// Whether a file's extension, in any case, is `.json` (a JSON document
/// has no comments).
pub fn is_json_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Node>),
    /// Keys with their spans, in document order.
    Map(Vec<(Key, Node)>),
    /// A YAML node with a local tag (`!Ref x`): the tag's name after the
    /// `!`, and the node. What a tag means is the front-end's to say.
    Tagged(String, Box<Node>),
    /// A function call of a data language: its name and argument. The
    /// parsers here never make one; CloudFormation reads its intrinsic
    /// functions (`!Ref x`, `{"Fn::Sub": ...}`) into them.
    Intrinsic(String, Box<Node>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub span: Range<usize>,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    pub fn entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == key)
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The node as JSON, intrinsics in their long form (for policy
    /// documents, which are analysed as JSON).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.kind {
            Kind::Null => J::Null,
            Kind::Bool(b) => J::Bool(*b),
            Kind::Number(n) => serde_json::Number::from_f64(*n).map_or(J::Null, J::Number),
            Kind::String(s) => J::String(s.clone()),
            Kind::List(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Kind::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
            Kind::Tagged(_, node) => node.to_json(),
            Kind::Intrinsic(name, arg) => {
                J::Object([(name.clone(), arg.to_json())].into_iter().collect())
            }
        }
    }
}

/// A syntax problem with its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub span: Range<usize>,
    pub message: String,
    /// A bound was reached (nesting, aliases), not a syntax rule broken.
    pub limit: bool,
}

impl SyntaxError {
    /// What kind of input error this is.
    pub fn kind(&self) -> crate::diagnostic::InputErrorKind {
        if self.limit {
            crate::diagnostic::InputErrorKind::Limit
        } else {
            crate::diagnostic::InputErrorKind::Syntax
        }
    }
}

impl SyntaxError {
    /// The positioned input error of `file` this is.
    pub fn into_input_error(
        self,
        id: crate::source::FileId,
        file: &crate::source::SourceFile,
    ) -> crate::diagnostic::InputError {
        let kind = self.kind();
        crate::diagnostic::InputError::at(file.display.clone(), id, self.span, self.message)
            .of_kind(kind)
    }
}

impl SyntaxWarning {
    /// The positioned input warning of `file` this is.
    pub fn into_input_error(
        self,
        id: crate::source::FileId,
        file: &crate::source::SourceFile,
    ) -> crate::diagnostic::InputError {
        crate::diagnostic::InputError::at(file.display.clone(), id, self.span, self.message)
    }
}

/// A JSON (when `json`) or YAML document, with YAML's warnings.
pub fn parse_document(
    file: &crate::source::SourceFile,
    json: bool,
    max_nesting: usize,
    max_aliases: usize,
) -> Result<Yaml, SyntaxError> {
    if json {
        parse_json(file, max_nesting).map(|root| Yaml {
            root,
            warnings: Vec::new(),
        })
    } else {
        parse_yaml(file, max_nesting, max_aliases)
    }
}

/// A problem that does not stop a file from being read (a duplicate key),
/// with its byte range.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxWarning {
    pub span: Range<usize>,
    pub message: String,
    pub kind: WarningKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningKind {
    /// A key seen before in the same mapping: the last one is read.
    DuplicateKey,
    /// A second document: only the first is read.
    LaterDocument,
}

/// Rejects documents nested deeper than `max_depth` before any recursive
/// parser sees them (brackets and braces outside strings, indentation is
/// not counted: YAML block nesting is bounded by line length anyway).
fn check_depth(text: &str, max_depth: usize) -> Result<(), SyntaxError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    return Err(SyntaxError {
                        span: i..i + 1,
                        message: format!("the document nests deeper than {max_depth} levels"),
                        limit: true,
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn yaml(text: &str) -> Node {
        parse_yaml(&SourceFile::new("t.yaml".into(), text), 200, 100_000)
            .expect("valid YAML")
            .root
    }

    fn yaml_warnings(text: &str) -> (Node, Vec<SyntaxWarning>) {
        let parsed =
            parse_yaml(&SourceFile::new("t.yaml".into(), text), 200, 100_000).expect("valid YAML");
        (parsed.root, parsed.warnings)
    }

    fn json(text: &str) -> Node {
        parse_json(&SourceFile::new("t.json".into(), text), 200).expect("valid JSON")
    }

    #[test]
    fn keys_keep_their_byte_spans() {
        let text = "Resources:\n  Alice:\n    Type: AWS::IAM::User\n";
        let node = yaml(text);
        let (key, _) = node.get("Resources").unwrap().entry("Alice").unwrap();
        assert_eq!(&text[key.span.clone()], "Alice");
        let text = "{\n  \"Resources\": {\"Bob\": {}}\n}";
        let node = json(text);
        let (key, _) = node.get("Resources").unwrap().entry("Bob").unwrap();
        assert_eq!(&text[key.span.clone()], "\"Bob\"");
    }

    #[test]
    fn json_duplicate_keys_and_alias_bombs_are_errors() {
        let err = parse_json(
            &SourceFile::new("t.json".into(), r#"{"a": 1, "a": 2}"#),
            200,
        )
        .unwrap_err();
        assert!(err.message.contains("duplicate key"));
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = (b'a' + i) as char;
            let next = (b'a' + i + 1) as char;
            bomb.push_str(&format!("{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let err = parse_yaml(&SourceFile::new("t.yaml".into(), bomb), 200, 100_000).unwrap_err();
        assert_eq!(
            err.message,
            "YAML aliases expand to more than 100000 nodes (--max-yaml-aliases); not read"
        );
        // The budget is the caller's: three aliases of a ten-item list are
        // 33 nodes, too many for 20 and enough for 40.
        let three = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a]\n";
        let file = SourceFile::new("t.yaml".into(), three);
        assert!(parse_yaml(&file, 200, 20).is_err());
        assert!(parse_yaml(&file, 200, 40).is_ok());
    }

    /// The budget counts bytes too: 300 aliases of a 300,000-byte scalar
    /// (held twice each, as a value and as the text it would be as a key)
    /// are 180 MB from a 300 KB file, and refused; 100 of them pass.
    #[test]
    fn aliases_of_a_big_scalar_are_counted_in_bytes() {
        let aliases = |n: usize| {
            format!(
                "a: &a \"{}\"\nb: [{}]\n",
                "x".repeat(300_000),
                vec!["*a"; n].join(", ")
            )
        };
        let file = SourceFile::new("t.yaml".into(), aliases(300));
        let err = parse_yaml(&file, 200, 100_000).unwrap_err();
        assert_eq!(
            err.message,
            format!("YAML aliases expand to more than {MAX_ALIAS_BYTES} bytes; not read")
        );
        let file = SourceFile::new("t.yaml".into(), aliases(100));
        assert!(parse_yaml(&file, 200, 100_000).is_ok());
    }

    #[test]
    fn a_duplicate_key_is_a_warning_at_the_duplicate_and_the_last_one_wins() {
        let text = "Resources:\n  Alice:\n    Type: AWS::IAM::Group\n  Bob: {}\n  Alice:\n    Type: AWS::IAM::User\n";
        let (root, warnings) = yaml_warnings(text);
        let resources = root.get("Resources").unwrap();
        let Kind::Map(entries) = &resources.kind else {
            panic!("a mapping")
        };
        // The first one's place, the last one's key and value.
        let names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["Alice", "Bob"]);
        let (key, value) = resources.entry("Alice").unwrap();
        let second = text.rfind("Alice").unwrap();
        assert_eq!(key.span, second..second + "Alice".len());
        assert_eq!(value.get("Type").unwrap().as_str(), Some("AWS::IAM::User"));
        let type_at = text.rfind("AWS::IAM::User").unwrap();
        assert_eq!(
            value.get("Type").unwrap().span,
            type_at..type_at + "AWS::IAM::User".len()
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].span, second..second + "Alice".len());
        assert_eq!(warnings[0].kind, WarningKind::DuplicateKey);
        assert_eq!(
            warnings[0].message,
            "duplicate key `Alice`: this one is read and the one on line 2 is ignored, as CloudFormation does"
        );
    }

    #[test]
    fn duplicate_keys_are_found_in_large_mappings_too() {
        let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k3: last\n");
        let (root, warnings) = yaml_warnings(&text);
        assert_eq!(root.get("k3").unwrap().as_str(), Some("last"));
        assert_eq!(warnings.len(), 1);
        assert_eq!(&text[warnings[0].span.clone()], "k3");
        assert_eq!(warnings[0].span.start, text.rfind("k3").unwrap());
    }

    #[test]
    fn spans_are_bytes_with_crlf_and_non_ascii_text() {
        let text =
            "Description: \"héllo wörld ✓\"\r\nResources:\r\n  Ünïcode: {}\r\n  Ünïcode: [1]\r\n";
        let (root, warnings) = yaml_warnings(text);
        let (key, value) = root.get("Resources").unwrap().entry("Ünïcode").unwrap();
        let second = text.rfind("Ünïcode").unwrap();
        assert_eq!(&text[key.span.clone()], "Ünïcode");
        assert_eq!(key.span.start, second);
        assert!(text[value.span.clone()].starts_with("[1"));
        assert_eq!(warnings[0].span, key.span);
        assert_eq!(
            &text[root.get("Description").unwrap().span.clone()],
            "\"héllo wörld ✓\""
        );
    }

    #[test]
    fn flow_collections_may_close_at_the_parent_indentation() {
        let text = "Resources:\n  U:\n    Properties:\n      Arns: [\n        \"a\",  # first\n\n      \"b\" # second, at the key's indentation\n      ]\n      Tags: {\n    Key: v,\n  }\n      Name: é\n";
        let root = yaml(text);
        let props = root
            .get("Resources")
            .unwrap()
            .get("U")
            .unwrap()
            .get("Properties")
            .unwrap();
        let Kind::List(arns) = &props.get("Arns").unwrap().kind else {
            panic!("a list")
        };
        let arns: Vec<&str> = arns.iter().filter_map(Node::as_str).collect();
        assert_eq!(arns, ["a", "b"]);
        assert_eq!(
            props.get("Tags").unwrap().get("Key").unwrap().as_str(),
            Some("v")
        );
        // Spans still point into the original text.
        let (key, value) = props.entry("Name").unwrap();
        assert_eq!(&text[key.span.clone()], "Name");
        assert_eq!(&text[value.span.clone()], "é");
        let b = props.get("Arns").unwrap();
        let Kind::List(items) = &b.kind else { panic!() };
        assert_eq!(&text[items[1].span.clone()], "\"b\"");
    }

    #[test]
    fn block_scalars_and_sub_strings_are_not_flow_collections() {
        let text = "A:\n  B: !Sub |\n    [ ${X}\n  C: arn:${AWS::Partition}:x\n  D: [\n  1]\n";
        let root = yaml(text);
        let Kind::Tagged(tag, sub) = &root.get("A").unwrap().get("B").unwrap().kind else {
            panic!("a tagged node")
        };
        assert_eq!((tag.as_str(), sub.as_str()), ("Sub", Some("[ ${X}\n")));
        assert_eq!(
            root.get("A").unwrap().get("C").unwrap().as_str(),
            Some("arn:${AWS::Partition}:x")
        );
        assert_eq!(
            root.get("A").unwrap().get("D").unwrap().to_json(),
            serde_json::json!([1.0])
        );
    }

    #[test]
    fn a_broken_flow_collection_keeps_the_first_error() {
        let err = parse_yaml(
            &SourceFile::new("t.yaml".into(), "a:\n  b: [\n  c\nd: ]]\n"),
            200,
            100,
        )
        .unwrap_err();
        assert!(
            err.message.starts_with("YAML syntax error"),
            "{}",
            err.message
        );
    }

    #[test]
    fn only_the_first_document_is_read_and_a_second_one_is_a_warning() {
        let text = "a: 1\n---\na: 2\n";
        let (root, warnings) = yaml_warnings(text);
        assert_eq!(root.get("a").unwrap().kind, Kind::Number(1.0));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind, WarningKind::LaterDocument);
        assert_eq!(warnings[0].span.start, 5);
    }

    #[test]
    fn aliases_stay_within_the_nesting_limit() {
        let deep = format!("a: &a {}{}\nb: [[[*a]]]\n", "[".repeat(8), "]".repeat(8));
        let file = SourceFile::new("t.yaml".into(), deep);
        assert!(parse_yaml(&file, 12, 1000).is_ok());
        let err = parse_yaml(&file, 10, 1000).unwrap_err();
        assert!(err.message.contains("nests deeper"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_rejected_without_recursion() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = parse_json(&SourceFile::new("t.json".into(), deep), 200).unwrap_err();
        assert!(err.message.contains("nests deeper"));
    }
}
