//! Property tests over generated inputs: Terraform modules (HCL), the same
//! configuration in `.tf.json`, CloudFormation templates in YAML (short-form
//! tags, anchors) and JSON, plan JSON, and credential reports beside
//! Terraform. Byte-level fuzzing (`fuzz/`) rarely gets past a parser; these
//! inputs are built from the grammar and from the resource types,
//! arguments and references the rules read, so
//! they reach the evaluator, the links and every rule with odd but valid
//! (and sometimes slightly broken) structures.
//!
//! For every input: no panic anywhere from the front-end to the five
//! reporters; every span inside its file and on character boundaries (the
//! fuzz harness's checks, shared); and the same bytes out when the same
//! input is scanned again. A failing case is shrunk, printed, and saved
//! beside this file (`property.proptest-regressions`) to be replayed
//! forever; turn it into a fixture or a fuzz regression as well.

#[path = "../fuzz/common.rs"]
mod common;

use mfalint::frontend::Trees;
use std::path::PathBuf;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};

/// Deterministic by default (a fixed seed, 256 cases), so that the suite
/// gives the same verdict on every run; `PROPTEST_RNG_SEED` and
/// `PROPTEST_CASES` explore further (see `fuzz/README.md`).
fn config() -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 256;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(20_261_123);
    }
    config.failure_persistence = Some(Box::new(FileFailurePersistence::WithSource(
        "proptest-regressions",
    )));
    config
}

/// Scans the files, checks spans, renders every format, and checks that
/// scans that keep less of the syntax trees until the model is built
/// (parsing later, or again: `frontend::Trees`) render the same bytes.
fn check(files: Vec<(PathBuf, String)>) {
    let render = |files: Vec<(PathBuf, String)>, trees| {
        let result = mfalint::scan::scan_texts_with(files, trees);
        common::check_spans(&result);
        common::render_all(&result)
    };
    let first = render(files.clone(), Trees::Keep);
    let second = render(files.clone(), Trees::Defer);
    assert!(
        first == second,
        "two scans of the same input differ (trees kept, then parsed later)"
    );
    let third = render(files, Trees::Reparse);
    assert!(
        first == third,
        "two scans of the same input differ (trees kept, then parsed again)"
    );
}

// ---------------------------------------------------------------- HCL

const NAMES: &[&str] = &["alice", "bob", "admins", "main", "x", "each", "é"];
const IAM_TYPES: &[&str] = &[
    "aws_iam_user",
    "aws_iam_user_login_profile",
    "aws_iam_virtual_mfa_device",
    "aws_iam_group",
    "aws_iam_group_membership",
    "aws_iam_user_group_membership",
    "aws_iam_policy",
    "aws_iam_group_policy",
    "aws_iam_group_policy_attachment",
    "aws_iam_user_policy",
    "aws_iam_user_policy_attachment",
    "aws_iam_account_password_policy",
    "gitlab_group",
    "okta_policy_signon",
    "azuread_conditional_access_policy",
    "aws_s3_bucket",
];
const ARGUMENTS: &[&str] = &[
    "name",
    "user",
    "users",
    "groups",
    "group",
    "policy",
    "policy_arn",
    "password_reset_required",
    "virtual_mfa_device_name",
    "require_two_factor_authentication",
    "count",
    "for_each",
    "depends_on",
];
const FUNCTIONS: &[&str] = &[
    "jsonencode",
    "jsondecode",
    "format",
    "join",
    "concat",
    "lookup",
    "merge",
    "tolist",
    "toset",
    "tomap",
    "length",
    "element",
    "coalesce",
    "try",
    "can",
    "flatten",
    "keys",
    "values",
    "zipmap",
    "distinct",
    "lower",
    "replace",
    "split",
    "file",
    "templatefile",
    "fileexists",
    "unknown_function",
];

/// Keeps the first of each key: repeated keys are a syntax error, which a
/// few generated inputs may be but most should not.
fn unique_keys<T>(pairs: Vec<(String, T)>) -> Vec<(String, T)> {
    let mut seen = std::collections::HashSet::new();
    pairs
        .into_iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .collect()
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

fn string_literal() -> impl Strategy<Value = String> {
    prop::sample::select(
        &[
            "\"alice\"",
            "\"\"",
            "\"aws:MultiFactorAuthPresent\"",
            "\"arn:aws:iam::aws:policy/IAMUserChangePassword\"",
            "\"*\"",
            "\"iam:*\"",
            "\"false\"",
            "\"Deny\"",
            "\"Allow\"",
            "\"BoolIfExists\"",
            "\"a\\\"b\\n\\u00e9\"",
            "\"$${not}-%%{not}\"",
            "\"ünï\"",
            "\"./m\"",
        ][..],
    )
    .prop_map(str::to_string)
}

fn reference() -> impl Strategy<Value = String> {
    let rooted = (
        prop::sample::select(
            &[
                "var",
                "local",
                "aws_iam_user",
                "aws_iam_group",
                "aws_iam_policy",
                "aws_iam_user_login_profile",
                "module",
                "data.aws_iam_policy_document",
                "each",
                "count",
                "path",
                "self",
            ][..],
        ),
        name(),
        prop::option::of(prop::sample::select(
            &[
                "name", "arn", "json", "id", "key", "value", "index", "module",
            ][..],
        )),
    )
        .prop_map(|(root, name, attr)| match attr {
            Some(attr) => format!("{root}.{name}.{attr}"),
            None => format!("{root}.{name}"),
        });
    prop_oneof![
        4 => rooted,
        1 => Just("each.key".to_string()),
        1 => Just("each.value".to_string()),
        1 => Just("count.index".to_string()),
        1 => Just("path.module".to_string()),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => string_literal(),
        3 => reference(),
        1 => (-3i64..100).prop_map(|n| n.to_string()),
        1 => Just("1.5e3".to_string()),
        1 => prop::bool::ANY.prop_map(|b| b.to_string()),
        1 => Just("null".to_string()),
    ];
    leaf.prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            prop::collection::vec((name(), inner.clone()), 0..4).prop_map(|pairs| {
                let body: Vec<String> = unique_keys(pairs)
                    .iter()
                    .map(|(k, v)| format!("\"{k}\" = {v}"))
                    .collect();
                format!("{{ {} }}", body.join(", "))
            }),
            (
                prop::sample::select(FUNCTIONS),
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(f, args)| format!("{f}({})", args.join(", "))),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(c, a, b)| format!("{c} ? {a} : {b}")),
            (
                inner.clone(),
                prop::sample::select(
                    &["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"][..]
                ),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            inner.clone().prop_map(|a| format!("!{a}")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (
                inner.clone(),
                inner.clone(),
                prop::option::of(inner.clone())
            )
                .prop_map(|(coll, value, cond)| match cond {
                    Some(c) => format!("[for k, v in {coll} : {value} if {c}]"),
                    None => format!("[for v in {coll} : {value}]"),
                }),
            (inner.clone(), inner.clone(), prop::bool::ANY).prop_map(|(coll, value, group)| {
                format!(
                    "{{for k, v in {coll} : k => {value}{}}}",
                    if group { "..." } else { "" }
                )
            }),
            inner.clone().prop_map(|a| format!("\"pre-${{{a}}}-post\"")),
            inner
                .clone()
                .prop_map(|a| format!("\"%{{ if {a} }}yes%{{ else }}no%{{ endif }}\"")),
            inner
                .clone()
                .prop_map(|a| format!("\"%{{ for x in {a} }}${{x}},%{{ endfor }}\"")),
            (inner.clone(), inner.clone()).prop_map(|(a, i)| format!("{a}[{i}]")),
            inner.clone().prop_map(|a| format!("{a}[*].name")),
            inner.clone().prop_map(|a| format!("{a}.*.arn")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner
                .clone()
                .prop_map(|a| format!("<<-EOT\n  ${{{a}}}\n  EOT\n")),
        ]
    })
}

fn attributes() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(ARGUMENTS).prop_map(str::to_string),
            expression(),
        ),
        0..5,
    )
    .prop_map(|pairs| {
        unique_keys(pairs)
            .iter()
            .map(|(key, value)| format!("  {key} = {value}\n"))
            .collect()
    })
}

fn policy_document() -> impl Strategy<Value = String> {
    (
        name(),
        prop::collection::vec(
            (
                prop::sample::select(&["Deny", "Allow", "deny"][..]),
                prop::sample::select(&["actions", "not_actions"][..]),
                expression(),
                prop::option::of((
                    prop::sample::select(&["BoolIfExists", "Bool", "StringEquals", "Null"][..]),
                    prop::sample::select(
                        &["aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:username"][..],
                    ),
                    expression(),
                )),
            ),
            0..3,
        ),
    )
        .prop_map(|(name, statements)| {
            let mut out = format!("data \"aws_iam_policy_document\" \"{name}\" {{\n");
            for (effect, actions, list, condition) in statements {
                out.push_str(&format!(
                    "  statement {{\n    effect = \"{effect}\"\n    {actions} = {list}\n    resources = [\"*\"]\n"
                ));
                if let Some((test, variable, values)) = condition {
                    out.push_str(&format!(
                        "    condition {{\n      test = \"{test}\"\n      variable = \"{variable}\"\n      values = {values}\n    }}\n"
                    ));
                }
                out.push_str("  }\n");
            }
            out.push_str("}\n");
            out
        })
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (
            prop::option::of(prop::sample::select(&[
                "# mfalint:ignore MFA001 reason=\"break-glass\" expires=2099-01-01\n",
                "# mfalint:ignore MFA001 expires=2001-01-01\n",
                "# mfalint:ignore\n",
                "// mfalint:ignore MFA999 reason=x\n",
            ][..])),
            prop::sample::select(IAM_TYPES),
            name(),
            attributes(),
            prop::option::of(expression()),
        )
            .prop_map(|(comment, kind, name, attributes, dynamic)| {
                let mut out = comment.unwrap_or("").to_string();
                out.push_str(&format!("resource \"{kind}\" \"{name}\" {{\n"));
                out.push_str(&attributes);
                if let Some(each) = dynamic {
                    out.push_str(&format!(
                        "  dynamic \"statement\" {{\n    for_each = {each}\n    content {{\n      effect = statement.value\n    }}\n  }}\n"
                    ));
                }
                out.push_str("}\n");
                out
            }),
        2 => policy_document(),
        2 => (name(), prop::option::of(expression()))
            .prop_map(|(name, default)| match default {
                Some(d) => format!("variable \"{name}\" {{\n  default = {d}\n}}\n"),
                None => format!("variable \"{name}\" {{}}\n"),
            }),
        2 => prop::collection::vec((name(), expression()), 0..4).prop_map(|pairs| {
            let body: String = unique_keys(pairs).iter().map(|(k, v)| format!("  {k} = {v}\n")).collect();
            format!("locals {{\n{body}}}\n")
        }),
        2 => (
            name(),
            prop::sample::select(&["./m", "../m", "/abs", "./missing", "terraform-aws-modules/iam/aws", "git::https://example.com/x.git", "./m/../m"][..]),
            prop::collection::vec((name(), expression()), 0..3),
        )
            .prop_map(|(name, source, inputs)| {
                let body: String = unique_keys(inputs).iter().map(|(k, v)| format!("  {k} = {v}\n")).collect();
                format!("module \"{name}\" {{\n  source = \"{source}\"\n{body}}}\n")
            }),
        1 => (name(), expression())
            .prop_map(|(name, value)| format!("output \"{name}\" {{\n  value = {value}\n}}\n")),
    ]
}

fn module_text() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 0..8).prop_map(|blocks| blocks.concat())
}

/// Cuts a generated text at a character boundary: half-typed files are
/// what an editor sends.
fn maybe_truncated(text: String, cut: Option<prop::sample::Index>) -> String {
    match cut {
        Some(index) if !text.is_empty() => {
            let mut at = index.index(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text[..at].to_string()
        }
        _ => text,
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_terraform_modules(
        root in module_text(),
        called in module_text(),
        vars in prop::option::of(prop::collection::vec((name(), expression()), 0..3)),
        cut in prop::option::weighted(0.1, any::<prop::sample::Index>()),
    ) {
        let mut files = vec![
            (PathBuf::from("main.tf"), maybe_truncated(root, cut)),
            (PathBuf::from("m/main.tf"), called),
        ];
        if let Some(vars) = vars {
            let text: String = vars.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
            files.push((PathBuf::from("terraform.tfvars"), text));
        }
        check(files);
    }
}

// ------------------------------------------------ CloudFormation and JSON

/// A YAML/JSON node; `Tag` is an intrinsic function, written `!Ref x` in
/// YAML's short form and `{"Ref": x}` / `{"Fn::GetAtt": x}` in JSON.
#[derive(Debug, Clone)]
enum Node {
    Str(String),
    Num(i64),
    Bool(bool),
    Null,
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
    Tag(&'static str, Box<Node>),
}

const LOGICAL_IDS: &[&str] = &["Alice", "Admins", "ForceMfa", "Device", "Stack", "Missing"];

fn scalar() -> impl Strategy<Value = Node> {
    prop_oneof![
        3 => prop::sample::select(&[
            "alice", "Alice", "Admins", "Alice.Arn", "${Alice}-x", "${AWS::AccountId}", "*",
            "iam:*", "false", "true", "Deny", "Allow", "aws:MultiFactorAuthPresent",
            "arn:aws:iam::aws:policy/AdministratorAccess", "", "é\u{0}\t\"\\",
        ][..]).prop_map(|s| Node::Str(s.to_string())),
        1 => (-2i64..5).prop_map(Node::Num),
        1 => prop::bool::ANY.prop_map(Node::Bool),
        1 => Just(Node::Null),
        2 => prop::sample::select(LOGICAL_IDS)
            .prop_map(|id| Node::Tag("Ref", Box::new(Node::Str(id.to_string())))),
    ]
}

fn cfn_value() -> impl Strategy<Value = Node> {
    scalar().prop_recursive(4, 40, 4, |inner| {
        prop_oneof![
            3 => prop::collection::vec(inner.clone(), 0..4).prop_map(Node::List),
            3 => prop::collection::vec(
                (
                    prop::sample::select(&[
                        "Effect", "Action", "NotAction", "Resource", "Condition", "Bool",
                        "BoolIfExists", "aws:MultiFactorAuthPresent", "Statement", "Version",
                        "Password", "UserName", "Groups", "Users",
                    ][..])
                    .prop_map(str::to_string),
                    inner.clone(),
                ),
                0..4,
            )
            .prop_map(|pairs| Node::Map(unique_keys(pairs))),
            4 => intrinsic(inner.clone()),
            // Any argument at all: the front-end must say what is wrong.
            1 => (
                prop::sample::select(&[
                    "Ref", "GetAtt", "Sub", "Join", "If", "Select", "Split", "FindInMap",
                    "ImportValue", "Base64", "Equals", "Not",
                ][..]),
                inner.clone(),
            )
                .prop_map(|(tag, value)| Node::Tag(tag, Box::new(value))),
        ]
    })
}

/// An intrinsic function with arguments of the shape it takes.
fn intrinsic(inner: BoxedStrategy<Node>) -> impl Strategy<Value = Node> {
    let id = || prop::sample::select(LOGICAL_IDS).prop_map(str::to_string);
    let tag = |name: &'static str, node: Node| Node::Tag(name, Box::new(node));
    prop_oneof![
        id().prop_map(move |id| tag("Ref", Node::Str(id))),
        (
            id(),
            prop::sample::select(&["Arn", "GroupName", "SerialNumber"][..])
        )
            .prop_map(move |(id, attr)| tag("GetAtt", Node::Str(format!("{id}.{attr}")))),
        id().prop_map(move |id| tag(
            "Sub",
            Node::Str(format!("arn:aws:iam::${{AWS::AccountId}}:user/${{{id}}}"))
        )),
        prop::collection::vec(inner.clone(), 0..3).prop_map(move |items| {
            tag(
                "Join",
                Node::List(vec![Node::Str(",".into()), Node::List(items)]),
            )
        }),
        (inner.clone(), inner.clone()).prop_map(move |(a, b)| {
            tag("If", Node::List(vec![Node::Str("IsProd".into()), a, b]))
        }),
        prop::collection::vec(inner, 1..3).prop_map(move |items| {
            tag("Select", Node::List(vec![Node::Num(0), Node::List(items)]))
        }),
    ]
}

fn cfn_template() -> impl Strategy<Value = Node> {
    let property = (
        prop::sample::select(
            &[
                "UserName",
                "LoginProfile",
                "Groups",
                "Users",
                "GroupName",
                "PolicyDocument",
                "Policies",
                "ManagedPolicyArns",
                "SerialNumber",
                "TemplateURL",
                "Path",
            ][..],
        )
        .prop_map(str::to_string),
        cfn_value(),
    );
    // Most users get a console password, so that the rules have something
    // to decide; the rest get whatever the generator makes.
    let login_profile = prop_oneof![
        3 => scalar().prop_map(|password| Node::Map(vec![("Password".into(), password)])),
        1 => cfn_value(),
    ]
    .prop_map(|profile| ("LoginProfile".to_string(), profile));
    let property = prop_oneof![3 => property, 1 => login_profile];
    let resource = (
        prop::sample::select(LOGICAL_IDS),
        prop::sample::select(
            &[
                "AWS::IAM::User",
                "AWS::IAM::Group",
                "AWS::IAM::Policy",
                "AWS::IAM::ManagedPolicy",
                "AWS::IAM::UserToGroupAddition",
                "AWS::IAM::VirtualMFADevice",
                "AWS::CloudFormation::Stack",
                "AWS::S3::Bucket",
            ][..],
        ),
        prop::collection::vec(property, 0..5),
        prop::option::of(cfn_value()),
    )
        .prop_map(|(id, kind, properties, condition)| {
            let mut body = vec![
                ("Type".to_string(), Node::Str(kind.to_string())),
                ("Properties".to_string(), Node::Map(unique_keys(properties))),
            ];
            if let Some(condition) = condition {
                body.push(("Metadata".to_string(), condition));
            }
            (id.to_string(), Node::Map(body))
        });
    (
        prop::collection::vec(resource, 0..5),
        prop::collection::vec((prop::sample::select(LOGICAL_IDS), scalar()), 0..2),
    )
        .prop_map(|(resources, parameters)| {
            Node::Map(vec![
                (
                    "AWSTemplateFormatVersion".into(),
                    Node::Str("2010-09-09".into()),
                ),
                (
                    "Parameters".into(),
                    Node::Map(
                        unique_keys(
                            parameters
                                .into_iter()
                                .map(|(id, default)| (id.to_string(), default))
                                .collect(),
                        )
                        .into_iter()
                        .map(|(id, default)| {
                            (
                                id,
                                Node::Map(vec![
                                    ("Type".into(), Node::Str("String".into())),
                                    ("Default".into(), default),
                                ]),
                            )
                        })
                        .collect(),
                    ),
                ),
                ("Resources".into(), Node::Map(unique_keys(resources))),
            ])
        })
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Flow-style YAML (valid at any depth), short-form tags, and an anchor
/// on the first value of every mapping that later values may alias.
fn to_yaml(node: &Node, anchors: &mut u32) -> String {
    match node {
        Node::Str(s) => json_string(s),
        Node::Num(n) => n.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Null => "null".into(),
        Node::List(items) => {
            let items: Vec<String> = items.iter().map(|n| to_yaml(n, anchors)).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(pairs) => {
            let mut parts = Vec::new();
            for (i, (k, v)) in pairs.iter().enumerate() {
                // Only anchors already written are counted, so an alias
                // never names one that is not defined before it.
                // Never in place of a mapping (a resource, its properties):
                // aliases stand for values.
                let structural = matches!(k.as_str(), "Type") || matches!(v, Node::Map(_));
                if i == 2 && *anchors > 0 && !structural {
                    parts.push(format!("{}: *a{}", json_string(k), anchors));
                    continue;
                }
                let value = to_yaml(v, anchors);
                if i == 0 && !matches!(v, Node::Tag(..)) {
                    *anchors += 1;
                    parts.push(format!("{}: &a{} {value}", json_string(k), anchors));
                } else {
                    parts.push(format!("{}: {value}", json_string(k)));
                }
            }
            format!("{{{}}}", parts.join(", "))
        }
        // A node has one tag at most: a tagged argument goes in a list.
        Node::Tag(tag, value) if matches!(**value, Node::Tag(..)) => {
            format!("!{tag} [{}]", to_yaml(value, anchors))
        }
        Node::Tag(tag, value) => format!("!{tag} {}", to_yaml(value, anchors)),
    }
}

fn to_json(node: &Node) -> String {
    match node {
        Node::Str(s) => json_string(s),
        Node::Num(n) => n.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Null => "null".into(),
        Node::List(items) => {
            let items: Vec<String> = items.iter().map(to_json).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Map(pairs) => {
            let parts: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{}: {}", json_string(k), to_json(v)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Node::Tag(tag, value) => {
            let key = if *tag == "Ref" {
                "Ref".to_string()
            } else {
                format!("Fn::{tag}")
            };
            format!("{{{}: {}}}", json_string(&key), to_json(value))
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_cloudformation_templates(
        template in cfn_template(),
        nested in cfn_template(),
        cut in prop::option::weighted(0.1, any::<prop::sample::Index>()),
    ) {
        let yaml = to_yaml(&template, &mut 0);
        let json = to_json(&nested);
        check(vec![
            (PathBuf::from("template.yaml"), maybe_truncated(yaml, cut)),
            (PathBuf::from("nested/template.json"), json),
        ]);
    }

    #[test]
    fn generated_terraform_json_and_plans(
        resources in prop::collection::vec(
            (prop::sample::select(IAM_TYPES), name(), prop::collection::vec(
                (prop::sample::select(ARGUMENTS).prop_map(str::to_string), cfn_value()), 0..4)),
            0..5,
        ),
        expressions in prop::collection::vec(expression(), 0..3),
    ) {
        // The same resources as `.tf.json` (values, and HCL expressions
        // inside strings) and as a plan's planned values.
        let mut by_type: Vec<(String, Node)> = Vec::new();
        let mut planned = Vec::new();
        for (i, (kind, name, values)) in resources.iter().enumerate() {
            let mut body = unique_keys(values.clone());
            if let Some(e) = expressions.get(i) {
                body.push(("name".into(), Node::Str(format!("${{{e}}}"))));
            }
            by_type.push((kind.to_string(), Node::Map(vec![(name.clone(), Node::Map(body))])));
            planned.push(Node::Map(vec![
                ("address".into(), Node::Str(format!("{kind}.{name}"))),
                ("mode".into(), Node::Str("managed".into())),
                ("type".into(), Node::Str(kind.to_string())),
                ("name".into(), Node::Str(name.clone())),
                ("values".into(), Node::Map(unique_keys(values.clone()))),
            ]));
        }
        let tf_json = to_json(&Node::Map(vec![("resource".into(), Node::Map(unique_keys(by_type)))]));
        let plan = format!(
            "{{\"format_version\": \"1.2\", \"planned_values\": {{\"root_module\": {{\"resources\": {}}}}}}}",
            to_json(&Node::List(planned))
        );
        check(vec![
            (PathBuf::from("main.tf.json"), tf_json),
            (PathBuf::from("plan.json"), plan),
        ]);
    }
}

/// The properties above hold trivially if the generators only produce
/// syntax errors: most generated inputs must parse cleanly, and together
/// they must reach the rules.
#[test]
fn generators_mostly_produce_valid_inputs_that_reach_the_rules() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut sample = |strategy: &dyn Fn() -> BoxedStrategy<Vec<(PathBuf, String)>>| {
        let (mut clean, mut findings) = (0, 0);
        for _ in 0..100 {
            let files = strategy().new_tree(&mut runner).expect("a value").current();
            let result = mfalint::scan::scan_texts(files);
            clean += usize::from(result.errors.is_empty());
            findings += result.findings.len();
        }
        (clean, findings)
    };
    let (clean, findings) = sample(&|| {
        (module_text(), module_text())
            .prop_map(|(root, called)| {
                vec![
                    (PathBuf::from("main.tf"), root),
                    (PathBuf::from("m/main.tf"), called),
                ]
            })
            .boxed()
    });
    assert!(
        clean >= 60,
        "{clean}/100 generated Terraform inputs parse cleanly"
    );
    assert!(
        findings >= 50,
        "{findings} findings on 100 Terraform inputs"
    );
    let (clean, findings) = sample(&|| {
        cfn_template()
            .prop_map(|t| {
                vec![
                    (PathBuf::from("template.yaml"), to_yaml(&t, &mut 0)),
                    (PathBuf::from("template.json"), to_json(&t)),
                ]
            })
            .boxed()
    });
    assert!(clean >= 60, "{clean}/100 generated templates load cleanly");
    assert!(findings >= 50, "{findings} findings on 100 templates");
    let (_, findings) = sample(&|| {
        prop::collection::vec(
            (
                prop::sample::select(&["alice", "bob", "<root_account>"][..]),
                prop::sample::select(&["true", "false", "not_supported"][..]),
                prop::sample::select(&["true", "false"][..]),
            ),
            1..4,
        )
        .prop_map(|rows| {
            let mut csv =
                "user,arn,password_enabled,mfa_active,access_key_1_active,access_key_2_active"
                    .to_string();
            for (user, password, mfa) in rows {
                csv.push_str(&format!(
                    "\n{user},arn:aws:iam::1:user/{user},{password},{mfa},false,false"
                ));
            }
            vec![(PathBuf::from("credential-report.csv"), csv)]
        })
        .boxed()
    });
    assert!(
        findings >= 50,
        "{findings} findings on 100 credential reports"
    );
}

// ------------------------------------------------------ credential report

/// After `user`, which a report's header starts with.
const REPORT_COLUMNS: &[&str] = &[
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "mfa_active",
    "access_key_1_active",
    "access_key_2_active",
];

fn report_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(&[
            "true", "false", "TRUE", "N/A", "not_supported", "no_information",
            "2024-01-15T10:00:00+00:00", "", "<root_account>", "alice", "bob",
            "arn:aws:iam::123456789012:user/alice", "\"quoted, with comma\"", "\"\"", "é",
        ][..]).prop_map(str::to_string),
        1 => "[a-z,\"\\r]{0,6}",
    ]
}

proptest! {
    #![proptest_config(config())]

    /// Credential reports with the columns after `user` in any order,
    /// often all, sometimes some missing, rows long or short, beside
    /// Terraform declaring some of the users.
    #[test]
    fn generated_credential_reports(
        columns in prop_oneof![
            2 => Just(REPORT_COLUMNS.to_vec()).prop_shuffle(),
            1 => prop::sample::subsequence(REPORT_COLUMNS, 1..REPORT_COLUMNS.len()).prop_shuffle(),
        ],
        rows in prop::collection::vec(prop::collection::vec(report_cell(), 0..10), 0..6),
        code in module_text(),
        crlf in prop::bool::ANY,
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let mut csv = format!("user,{}", columns.join(","));
        for row in rows {
            csv.push_str(newline);
            csv.push_str(&row.join(","));
        }
        check(vec![
            (PathBuf::from("credential-report.csv"), csv),
            (PathBuf::from("main.tf"), code),
        ]);
    }
}
