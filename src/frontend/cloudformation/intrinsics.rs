//! CloudFormation's intrinsic functions in the spanned tree: the short
//! forms YAML tags write (`!Ref x`, `!GetAtt A.B`) and the long forms a
//! one-key mapping writes (`{"Fn::Sub": x}`) become one
//! [`Kind::Intrinsic`], so that lowering reads both alike. The parsers in
//! [`crate::syntax`] know nothing of them.

use crate::syntax::{Kind, Node};

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

/// Not CloudFormation's: a value another front-end's syntax could not
/// evaluate (a Serverless variable read at deploy time), as
/// `[reason, symbol]`. Lowering reads it as unknown, with that reason.
pub const UNKNOWN: &str = "mfalint::Unknown";

/// Reads the intrinsic functions of a parsed template, inner ones first:
/// a one-key mapping naming an intrinsic is that intrinsic, and so is a
/// node tagged with one (`!Sub`, `!Ref`); other tags keep only their
/// value.
pub fn resolve(node: &mut Node) {
    match &mut node.kind {
        Kind::List(items) => items.iter_mut().for_each(resolve),
        Kind::Map(entries) => entries.iter_mut().for_each(|(_, value)| resolve(value)),
        Kind::Tagged(_, inner) | Kind::Intrinsic(_, inner) => resolve(inner),
        _ => {}
    }
    node.kind = match std::mem::replace(&mut node.kind, Kind::Null) {
        Kind::Map(mut entries)
            if entries.len() == 1 && INTRINSICS.contains(&entries[0].0.name.as_str()) =>
        {
            let (key, value) = entries.remove(0);
            Kind::Intrinsic(key.name, Box::new(value))
        }
        Kind::Tagged(suffix, inner) => {
            let name = match suffix.as_str() {
                "Ref" | "Condition" => suffix,
                other => format!("Fn::{other}"),
            };
            if INTRINSICS.contains(&name.as_str()) {
                Kind::Intrinsic(name, inner)
            } else {
                inner.kind
            }
        }
        kind => kind,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn yaml(text: &str) -> Node {
        let mut root =
            crate::syntax::parse_yaml(&SourceFile::new("t.yaml".into(), text), 200, 100_000)
                .expect("valid YAML")
                .root;
        resolve(&mut root);
        root
    }

    fn json(text: &str) -> Node {
        let mut root = crate::syntax::parse_json(&SourceFile::new("t.json".into(), text), 200)
            .expect("valid JSON");
        resolve(&mut root);
        root
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
    fn tagged_keys_are_read_by_their_text() {
        let root = yaml("a: [ !ImportValue Fn::Sub: \"x-${N}\", ! \"Ref\": y ]\n");
        let Kind::List(items) = &root.get("a").unwrap().kind else {
            panic!("a list")
        };
        assert!(matches!(&items[0].kind, Kind::Intrinsic(n, _) if n == "Fn::Sub"));
        assert!(matches!(&items[1].kind, Kind::Intrinsic(n, _) if n == "Ref"));
    }

    #[test]
    fn other_tags_keep_their_value_and_generic_parses_keep_maps() {
        let root = yaml("a: !Custom x\nb: {Ref: y}\n");
        assert_eq!(root.get("a").unwrap().kind, Kind::String("x".into()));
        let plain =
            crate::syntax::parse_json(&SourceFile::new("t.json".into(), r#"{"Ref": "y"}"#), 200)
                .expect("valid JSON");
        assert!(
            matches!(plain.kind, Kind::Map(_)),
            "no intrinsic outside CloudFormation"
        );
    }
}
