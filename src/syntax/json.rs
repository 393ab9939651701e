//! JSON into the spanned tree ([`super::Node`]): strict JSON, a duplicate
//! key an error, nesting checked before parsing.

use super::{Key, Kind, Node, SyntaxError, check_depth};
use crate::source::SourceFile;

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
                limit: false,
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
                        limit: false,
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
            return Ok(Node {
                span: o.range.start..o.range.end,
                kind: Kind::Map(entries),
            });
        }
    };
    Ok(Node {
        span: span.start..span.end,
        kind,
    })
}
