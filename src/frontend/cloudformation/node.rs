//! One tree for CloudFormation templates, whether written in YAML (with
//! short-form tags such as `!Ref`) or JSON: every node keeps its byte span,
//! and intrinsic functions are recognised in both their short and long
//! forms (`!GetAtt A.B`, `{"Fn::GetAtt": ["A", "B"]}`).

use std::ops::Range;

use saphyr::{MarkedYaml, Scalar, YamlData};

use crate::source::SourceFile;

/// The intrinsic functions, by their long names.
pub const INTRINSICS: &[&str] = &[
    "Ref",
    "Condition",
    "Fn::And",
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::Equals",
    "Fn::FindInMap",
    "Fn::GetAtt",
    "Fn::GetAZs",
    "Fn::If",
    "Fn::ImportValue",
    "Fn::Join",
    "Fn::Length",
    "Fn::Not",
    "Fn::Or",
    "Fn::Select",
    "Fn::Split",
    "Fn::Sub",
    "Fn::ToJsonString",
    "Fn::Transform",
];

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
    /// An intrinsic function call: its long name and argument.
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
}

/// Parses YAML; documents nested deeper than `max_depth` are rejected,
/// not recursed, and aliases may expand to at most `max_aliases` nodes.
pub fn parse_yaml(
    file: &SourceFile,
    max_depth: usize,
    max_aliases: usize,
) -> Result<Node, SyntaxError> {
    check_depth(&file.text, max_depth)?;
    // saphyr rejects duplicate keys, and stops alias expansion at the
    // budget (against "billion laughs").
    let mut loader = saphyr::YamlLoader::<MarkedYaml<'_>>::default();
    loader.alias_limit(max_aliases);
    let loaded = saphyr_parser::Parser::new_from_str(&file.text).load(&mut loader, true);
    let docs = match loaded.err().or_else(|| loader.error().cloned()) {
        Some(err) => {
            let at = char_offset(file, err.marker().line(), err.marker().col());
            let info = err.info();
            let message = if info.contains("alias expansion exceeded") {
                format!(
                    "YAML aliases expand to more than {max_aliases} nodes (--max-yaml-aliases); not read"
                )
            } else {
                format!("YAML syntax error: {info}")
            };
            return Err(SyntaxError {
                span: at..at,
                message,
            });
        }
        None => loader.into_documents(),
    };
    let Some(doc) = docs.into_iter().next() else {
        return Ok(Node {
            span: 0..0,
            kind: Kind::Null,
        });
    };
    from_yaml(file, &doc, 0, max_depth)
}

/// Byte offset of a 1-based line and 0-based character column.
fn char_offset(file: &SourceFile, line: usize, col: usize) -> usize {
    file.lines.offset_of_char_column(&file.text, line, col)
}

fn yaml_span(file: &SourceFile, node: &MarkedYaml<'_>) -> Range<usize> {
    let start = char_offset(file, node.span.start.line(), node.span.start.col());
    let end = char_offset(file, node.span.end.line(), node.span.end.col());
    start..end.max(start)
}

fn from_yaml(
    file: &SourceFile,
    node: &MarkedYaml<'_>,
    depth: usize,
    max_depth: usize,
) -> Result<Node, SyntaxError> {
    let span = yaml_span(file, node);
    if depth > max_depth {
        return Err(SyntaxError {
            span,
            message: format!("the document nests deeper than {max_depth} levels"),
        });
    }
    let kind = match &node.data {
        YamlData::Value(scalar) => scalar_kind(scalar),
        YamlData::Representation(text, _, _) => Kind::String(text.to_string()),
        YamlData::Sequence(items) => Kind::List(
            items
                .iter()
                .map(|item| from_yaml(file, item, depth + 1, max_depth))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (k, v) in map.iter() {
                let name = match &k.data {
                    YamlData::Value(scalar) => scalar_text(scalar),
                    _ => {
                        return Err(SyntaxError {
                            span: yaml_span(file, k),
                            message: "a mapping key must be a plain value".into(),
                        });
                    }
                };
                entries.push((
                    Key {
                        name,
                        span: yaml_span(file, k),
                    },
                    from_yaml(file, v, depth + 1, max_depth)?,
                ));
            }
            return Ok(long_form(Node {
                span,
                kind: Kind::Map(entries),
            }));
        }
        YamlData::Tagged(tag, inner) => {
            let inner = from_yaml(file, inner, depth + 1, max_depth)?;
            let name = match tag.suffix.as_str() {
                "Ref" | "Condition" => tag.suffix.clone(),
                suffix => format!("Fn::{suffix}"),
            };
            if tag.handle != "!" || !INTRINSICS.contains(&name.as_str()) {
                // Other tags (`!!str`, custom ones) keep their value.
                return Ok(inner);
            }
            Kind::Intrinsic(name, Box::new(inner))
        }
        YamlData::Alias(_) | YamlData::BadValue => Kind::Null,
    };
    Ok(Node { span, kind })
}

fn scalar_kind(scalar: &Scalar<'_>) -> Kind {
    match scalar {
        Scalar::Null => Kind::Null,
        Scalar::Boolean(b) => Kind::Bool(*b),
        Scalar::Integer(i) => Kind::Number(*i as f64),
        Scalar::FloatingPoint(f) => Kind::Number(f.into_inner()),
        Scalar::String(s) => Kind::String(s.to_string()),
    }
}

fn scalar_text(scalar: &Scalar<'_>) -> String {
    match scalar {
        Scalar::Null => "null".into(),
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.to_string(),
        Scalar::String(s) => s.to_string(),
    }
}

/// `{"Ref": x}` and `{"Fn::Sub": x}`: a one-key mapping naming an
/// intrinsic is that intrinsic.
fn long_form(node: Node) -> Node {
    if let Kind::Map(entries) = &node.kind
        && let [(key, value)] = entries.as_slice()
        && INTRINSICS.contains(&key.name.as_str())
    {
        return Node {
            span: node.span.clone(),
            kind: Kind::Intrinsic(key.name.clone(), Box::new(value.clone())),
        };
    }
    node
}

/// Parses JSON; documents nested deeper than `max_depth` are rejected.
pub fn parse_json(file: &SourceFile, max_depth: usize) -> Result<Node, SyntaxError> {
    check_depth(&file.text, max_depth)?;
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_extended_string_escapes: false,
        allow_non_finite_numbers: false,
    };
    let parsed =
        jsonc_parser::parse_to_ast(&file.text, &Default::default(), &options).map_err(|e| {
            let range = e.range();
            SyntaxError {
                span: range.start..range.end,
                message: format!("JSON syntax error: {}", e.kind()),
            }
        })?;
    match parsed.value {
        Some(value) => from_json(&value),
        None => Ok(Node {
            span: 0..0,
            kind: Kind::Null,
        }),
    }
}

fn from_json(value: &jsonc_parser::ast::Value<'_>) -> Result<Node, SyntaxError> {
    use jsonc_parser::ast::Value as V;
    let (span, kind) = match value {
        V::NullKeyword(n) => (n.range, Kind::Null),
        V::BooleanLit(b) => (b.range, Kind::Bool(b.value)),
        V::NumberLit(n) => (n.range, Kind::Number(n.value.parse().unwrap_or(f64::NAN))),
        V::StringLit(s) => (s.range, Kind::String(s.value.to_string())),
        V::Array(a) => (
            a.range,
            Kind::List(a.elements.iter().map(from_json).collect::<Result<_, _>>()?),
        ),
        V::Object(o) => {
            let mut entries: Vec<(Key, Node)> = Vec::with_capacity(o.properties.len());
            // A set, not a scan of `entries`: an object of 100,000 keys must
            // not cost 5e9 comparisons.
            let mut seen = std::collections::HashSet::with_capacity(o.properties.len());
            for prop in &o.properties {
                let (name, range) = match &prop.name {
                    jsonc_parser::ast::ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    jsonc_parser::ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                };
                if !seen.insert(name.clone()) {
                    return Err(SyntaxError {
                        span: range.start..range.end,
                        message: format!("duplicate key `{name}`"),
                    });
                }
                entries.push((
                    Key {
                        name,
                        span: range.start..range.end,
                    },
                    from_json(&prop.value)?,
                ));
            }
            return Ok(long_form(Node {
                span: o.range.start..o.range.end,
                kind: Kind::Map(entries),
            }));
        }
    };
    Ok(Node {
        span: span.start..span.end,
        kind,
    })
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

    fn yaml(text: &str) -> Node {
        parse_yaml(&SourceFile::new("t.yaml".into(), text), 200, 100_000).expect("valid YAML")
    }

    fn json(text: &str) -> Node {
        parse_json(&SourceFile::new("t.json".into(), text), 200).expect("valid JSON")
    }

    #[test]
    fn short_and_long_forms_are_the_same_intrinsic() {
        let short = yaml("a: !Ref User\nb: !GetAtt User.Arn\nc: !Sub '${AWS::StackName}-x'\n");
        let long = json(
            r#"{"a": {"Ref": "User"}, "b": {"Fn::GetAtt": ["User", "Arn"]}, "c": {"Fn::Sub": "${AWS::StackName}-x"}}"#,
        );
        for node in [&short, &long] {
            assert!(matches!(&node.get("a").unwrap().kind, Kind::Intrinsic(n, _) if n == "Ref"));
            assert!(
                matches!(&node.get("b").unwrap().kind, Kind::Intrinsic(n, _) if n == "Fn::GetAtt")
            );
            assert!(
                matches!(&node.get("c").unwrap().kind, Kind::Intrinsic(n, _) if n == "Fn::Sub")
            );
        }
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
    fn duplicate_keys_and_alias_bombs_are_errors() {
        let err = parse_json(
            &SourceFile::new("t.json".into(), r#"{"a": 1, "a": 2}"#),
            200,
        )
        .unwrap_err();
        assert!(err.message.contains("duplicate key"));
        let err = parse_yaml(
            &SourceFile::new("t.yaml".into(), "a: 1\na: 2\n"),
            200,
            100_000,
        )
        .unwrap_err();
        assert!(err.message.contains("duplicate"), "{}", err.message);
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

    #[test]
    fn deep_nesting_is_rejected_without_recursion() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = parse_json(&SourceFile::new("t.json".into(), deep), 200).unwrap_err();
        assert!(err.message.contains("nests deeper"));
    }
}
