//! Pulumi YAML programs: a `Pulumi.yaml` whose runtime is `yaml` holds the
//! program itself (`config`, `variables`, `resources`), or a `Main.yaml`
//! (`Main.json`) beside it does
//! (<https://www.pulumi.com/docs/iac/languages-sdks/yaml/yaml-language-reference/>).
//! Pulumi's AWS provider is bridged from Terraform's, so `aws:iam:User`
//! (or `aws:iam/user:User`) is `aws_iam_user` with its arguments in
//! camelCase, and [`crate::providers::aws`] maps both. One program is one
//! scope: `${alice.name}` links to the resource `alice`, as a Terraform
//! reference does.
//!
//! Expressions are evaluated statically ([`eval`]): interpolation of
//! config values (their `default`), variables, `pulumi.project`, and
//! resource properties written in the program; `fn::toJSON`, `fn::join`,
//! `fn::select`, `fn::split`, `fn::secret`. What is known only when Pulumi
//! runs (an invoke, a stack's own config, an output the provider computes,
//! a name Pulumi generates) is unknown, and says why.
//!
//! For programs in other languages, `pulumi preview --json` output (any
//! `.json` file whose `steps` have Pulumi URNs) is read instead
//! ([`preview`]): each step's resolved inputs, mapped the same way.

mod eval;
mod preview;

use std::path::Path;

use super::{BuildContext, Frontend, ParseContext, Parsed, Selection};
use crate::diagnostic::{InputError, InputErrorKind};
use crate::model::{Link, Model, Name, Origin, PolicyDocument, ScopeId, Unresolved};
use crate::providers::aws;
use crate::source::{CommentSyntax, FileId, SourceFile, Span};
use crate::syntax::{Kind, Node};
use eval::{Evaluator, Value, get_ci};

/// The Pulumi YAML front-end.
pub struct Pulumi;

/// A parsed program, or a preview of one.
#[derive(Debug)]
pub struct Program {
    pub file: FileId,
    pub root: Node,
    /// `pulumi preview --json` output rather than a YAML program.
    pub is_preview: bool,
}

/// The file names a Pulumi YAML program is written in.
fn is_program_name(path: &Path) -> bool {
    matches!(
        crate::paths::file_name_str(path),
        Some("Pulumi.yaml" | "Pulumi.yml" | "Main.yaml" | "Main.yml" | "Main.json")
    )
}

impl Frontend for Pulumi {
    fn name(&self) -> &'static str {
        "pulumi"
    }

    fn claims(&self, path: &Path) -> bool {
        is_program_name(path) || crate::syntax::is_json_name(path)
    }

    fn watched(&self) -> &'static [&'static str] {
        &["**/{Pulumi,Main}.{yaml,yml}", "**/*.json"]
    }

    fn words(&self) -> &'static [&'static str] {
        // `aws:iam/user:User` and `aws:iam:User` (the IAM types it reads
        // all start with U, V, G or P), never an ARN's `arn:aws:iam::`,
        // which any template or policy holds.
        &[
            "aws:iam/",
            "aws:iam:U",
            "aws:iam:V",
            "aws:iam:G",
            "aws:iam:P",
        ]
    }

    fn selection(&self, _path: &Path) -> Selection {
        Selection::File
    }

    fn comments(&self, path: &Path) -> CommentSyntax {
        if crate::syntax::is_json_name(path) {
            CommentSyntax::None
        } else {
            CommentSyntax::Hash
        }
    }

    fn parse(
        &self,
        id: FileId,
        file: &SourceFile,
        ctx: &ParseContext<'_>,
    ) -> Result<Option<Parsed>, InputError> {
        let is_preview = !is_program_name(&file.path);
        if is_preview && !file.text.contains("urn:pulumi:")
            || !is_preview && !file.text.to_ascii_lowercase().contains("resources")
        {
            return Ok(None);
        }
        let crate::syntax::Yaml { root, warnings } = crate::syntax::parse_document(
            file,
            crate::syntax::is_json_name(&file.path),
            ctx.limits.max_nesting,
            ctx.limits.max_yaml_aliases,
        )
        .map_err(|e| e.into_input_error(id, file))?;
        if is_preview && !preview::is_preview(&root)
            || !is_preview && !is_program(&root, &file.path)
        {
            return Ok(None);
        }
        let warnings = warnings
            .into_iter()
            .map(|w| w.into_input_error(id, file))
            .collect();
        Ok(Some(
            Parsed::new(
                self,
                Program {
                    file: id,
                    root,
                    is_preview,
                },
            )
            .with_warnings(warnings),
        ))
    }

    fn build(&self, parsed: Vec<Parsed>, ctx: &BuildContext<'_>) -> (Vec<Model>, Vec<InputError>) {
        let mut models = Vec::new();
        let mut errors = Vec::new();
        let programs: Vec<Program> = parsed.into_iter().map(Parsed::into_inner).collect();
        // Pulumi runs one program per folder: `Main.json`, else
        // `Main.yaml`, else `Pulumi.yaml` (pulumi-yaml `run.go`, `LoadDir`).
        let rank = |p: &Program| program_rank(&ctx.sources.get(p.file).path);
        let mut best: std::collections::BTreeMap<&Path, u8> = std::collections::BTreeMap::new();
        for p in programs.iter().filter(|p| !p.is_preview) {
            let path = &ctx.sources.get(p.file).path;
            let slot = best.entry(crate::paths::folder(path)).or_insert(u8::MAX);
            *slot = (*slot).min(rank(p));
        }
        for (i, program) in programs.into_iter().enumerate() {
            let file = ctx.sources.get(program.file);
            let scope = ScopeId(ctx.first_scope + i as u32);
            if !program.is_preview
                && best
                    .get(crate::paths::folder(&file.path))
                    .is_some_and(|&b| b < rank(&program))
            {
                // Shown, not failing: what Pulumi ignores is no finding.
                let mut model = Model::default();
                let at = match &program.root.kind {
                    Kind::Map(entries) => entries
                        .iter()
                        .find(|(k, _)| k.name.eq_ignore_ascii_case("resources"))
                        .map_or(0..0, |(k, _)| k.span.clone()),
                    _ => 0..0,
                };
                model.warnings.push(
                    InputError::at(
                        file.display.clone(),
                        program.file,
                        at,
                        "not read: Pulumi runs the `Main.json` or `Main.yaml` beside it instead",
                    )
                    .of_kind(InputErrorKind::Reference),
                );
                models.push(model);
                continue;
            }
            let (model, problems) = if program.is_preview {
                let mut problems = Vec::new();
                if let Some((missing, at)) = preview::missing_sames(&program.root) {
                    problems.push(
                        InputError::at(
                            file.display.clone(),
                            program.file,
                            at,
                            format!(
                                "this preview leaves out {missing} unchanged resources (`pulumi preview --json` writes them only with `--show-sames`): their users are not checked"
                            ),
                        )
                        .of_kind(InputErrorKind::Reference),
                    );
                }
                (lower_preview(scope, &program, file), problems)
            } else {
                lower(scope, &program, file)
            };
            models.push(model);
            errors.extend(problems);
        }
        (models, errors)
    }
}

/// Which program file of a folder Pulumi runs first (lower first).
fn program_rank(path: &Path) -> u8 {
    match crate::paths::file_name_str(path) {
        Some("Main.json") => 0,
        Some("Main.yaml" | "Main.yml") => 1,
        _ => 2,
    }
}

/// A `Pulumi.yaml` is a YAML program when its runtime is `yaml`; a
/// `Main.yaml` when its resources have Pulumi type tokens
/// (`package:module:Type`). Any other file of those names is skipped.
fn is_program(root: &Node, path: &Path) -> bool {
    let is_project = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("Pulumi."));
    if is_project {
        let runtime = get_ci(root, "runtime");
        let name = runtime.and_then(|r| {
            r.as_str()
                .or_else(|| get_ci(r, "name").and_then(Node::as_str))
        });
        return name == Some("yaml");
    }
    match get_ci(root, "resources").map(|r| &r.kind) {
        Some(Kind::Map(entries)) => entries.iter().any(|(_, r)| {
            get_ci(r, "type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.split(':').count() == 3)
        }),
        _ => false,
    }
}

/// The Terraform name of a Pulumi AWS IAM type token: `aws:iam:User` and
/// `aws:iam/user:User` are `aws_iam_user`, `aws:iam:VirtualMfaDevice`
/// `aws_iam_virtual_mfa_device`. Other tokens: `None`.
fn terraform_type(token: &str) -> Option<&'static str> {
    let mut parts = token.split(':');
    let (package, module, name) = (parts.next()?, parts.next()?, parts.next()?);
    if package != "aws" || module.split('/').next() != Some("iam") || parts.next().is_some() {
        return None;
    }
    let snake = format!("aws_iam_{}", snake_case(name));
    aws::TYPES.iter().copied().find(|t| *t == snake)
}

fn snake_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A Terraform argument's Pulumi property name: `policy_arn` is
/// `policyArn`.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Lowers one program's AWS IAM resources into a scope.
fn lower(scope: ScopeId, program: &Program, file: &SourceFile) -> (Model, Vec<InputError>) {
    let mut model = Model::default();
    model
        .scope_inputs
        .push((scope, [file.path.clone()].into_iter().collect()));
    let mut errors = Vec::new();
    let Some(Kind::Map(resources)) = get_ci(&program.root, "resources").map(|r| &r.kind) else {
        return (model, errors);
    };
    let evaluator = Evaluator::new(&program.root);
    for (key, resource) in resources {
        let Some(token) = get_ci(resource, "type").and_then(Node::as_str) else {
            if !matches!(resource.kind, Kind::Map(_)) || get_ci(resource, "type").is_some() {
                errors.push(
                    InputError::at(
                        file.display.clone(),
                        program.file,
                        key.span.clone(),
                        format!("resource `{}` needs a `type` token", key.name),
                    )
                    .of_kind(InputErrorKind::Invalid),
                );
            }
            continue;
        };
        // `get:` reads a resource that exists already; it creates nothing.
        if get_ci(resource, "get").is_some() {
            continue;
        }
        let Some(kind) = terraform_type(token) else {
            continue;
        };
        let span = Span::new(program.file, key.span.clone());
        let origin = Origin::plain(scope, key.name.clone(), span);
        let args = PulumiArguments {
            evaluator: &evaluator,
            properties: get_ci(resource, "properties"),
            resource: &key.name,
            file: program.file,
            text: &file.text,
            span,
            user_autonamed: kind == aws::USER,
        };
        aws::lower(kind, &args, origin, &mut model);
    }
    errors.extend(
        evaluator
            .into_problems()
            .into_iter()
            .map(|(span, message)| {
                InputError::at(file.display.clone(), program.file, span, message)
                    .of_kind(InputErrorKind::Limit)
            }),
    );
    (model, errors)
}

/// Lowers the AWS IAM resources of a preview's steps into a scope.
fn lower_preview(scope: ScopeId, program: &Program, file: &SourceFile) -> Model {
    let mut model = Model::default();
    model
        .scope_inputs
        .push((scope, [file.path.clone()].into_iter().collect()));
    for step in preview::steps(&program.root) {
        let Some(kind) = terraform_type(step.token) else {
            continue;
        };
        let span = Span::new(program.file, step.urn_span.clone());
        let origin = Origin::plain(scope, step.name, span);
        let args = preview::PreviewArguments {
            inputs: step.inputs,
            name: step.name,
            file: program.file,
            span,
        };
        aws::lower(kind, &args, origin, &mut model);
    }
    model
}

/// One resource's `properties`, read for [`aws::lower`].
struct PulumiArguments<'a> {
    evaluator: &'a Evaluator<'a>,
    properties: Option<&'a Node>,
    /// The resource's logical name.
    resource: &'a str,
    file: FileId,
    text: &'a str,
    /// The resource's key, where findings about it point.
    span: Span,
    /// An `aws:iam:User` without `name`: Pulumi names it itself.
    user_autonamed: bool,
}

impl PulumiArguments<'_> {
    fn property(&self, arg: &str) -> Option<&Node> {
        self.properties?
            .get(&camel_case(arg))
            .filter(|n| !matches!(n.kind, Kind::Null))
    }

    fn span_of(&self, node: &Node) -> Span {
        Span::new(self.file, node.span.clone())
    }

    fn unresolved(&self, node: &Node, reason: String, symbol: Option<String>) -> Unresolved {
        let span = self.span_of(node);
        let text = self.text.get(node.span.clone()).unwrap_or("").trim();
        Unresolved {
            expression: crate::finding::clipped(text),
            reason,
            span,
            symbol,
        }
    }

    fn missing(&self, arg: &str) -> Unresolved {
        Unresolved {
            expression: camel_case(arg),
            reason: format!("the `{}` property is missing", camel_case(arg)),
            span: self.span,
            symbol: None,
        }
    }

    /// A link from a value: a reference to a resource of the target type
    /// links to it; text links by name.
    fn link_of(&self, node: &Node, value: Value, target_type: &str) -> Link {
        match value {
            Value::Resource { name, .. }
                if self.evaluator.resource_type(&name).and_then(terraform_type)
                    == Some(target_type) =>
            {
                Link::Address {
                    address: name,
                    span: self.span_of(node),
                }
            }
            Value::Resource { name, property } => Link::Unresolved(self.unresolved(
                node,
                format!(
                    "`{name}{}` is known only once Pulumi has created `{name}`",
                    property.map(|p| format!(".{p}")).unwrap_or_default()
                ),
                None,
            )),
            Value::String(s) => Link::Name {
                name: s,
                span: self.span_of(node),
            },
            Value::Unknown { reason, symbol } => {
                Link::Unresolved(self.unresolved(node, reason, symbol))
            }
            other => Link::Unresolved(self.unresolved(
                node,
                format!("a {} is not a name", other.type_name()),
                None,
            )),
        }
    }
}

impl aws::Arguments for PulumiArguments<'_> {
    fn is_set(&self, arg: &str) -> bool {
        self.property(arg).is_some()
    }

    fn name(&self, arg: &str) -> Name {
        let Some(node) = self.property(arg) else {
            if arg == "name" && self.user_autonamed {
                return Name::Unresolved(Unresolved {
                    expression: self.resource.to_string(),
                    reason: format!(
                        "no `name`: Pulumi names the user `{}-` and a random suffix",
                        self.resource
                    ),
                    span: self.span,
                    symbol: None,
                });
            }
            return Name::Unresolved(self.missing(arg));
        };
        match self.evaluator.eval(node) {
            Value::String(s) => Name::Known(s),
            Value::Unknown { reason, symbol } => {
                Name::Unresolved(self.unresolved(node, reason, symbol))
            }
            Value::Resource { name, property } => Name::Unresolved(self.unresolved(
                node,
                format!(
                    "`{name}{}` is known only once Pulumi has created `{name}`",
                    property.map(|p| format!(".{p}")).unwrap_or_default()
                ),
                None,
            )),
            other => Name::Unresolved(self.unresolved(
                node,
                format!("a {} is not a name", other.type_name()),
                None,
            )),
        }
    }

    fn link(&self, arg: &str, target_type: &str) -> Link {
        match self.property(arg) {
            Some(node) => self.link_of(node, self.evaluator.eval(node), target_type),
            None => Link::Unresolved(self.missing(arg)),
        }
    }

    fn links(&self, arg: &str, target_type: &str) -> Vec<Link> {
        let Some(node) = self.property(arg) else {
            return vec![Link::Unresolved(self.missing(arg))];
        };
        match self.evaluator.eval(node) {
            Value::List(items) => {
                // Each element where it is written, when the list is.
                let nodes: Vec<&Node> = match &node.kind {
                    Kind::List(written) if written.len() == items.len() => written.iter().collect(),
                    _ => vec![node; items.len()],
                };
                items
                    .into_iter()
                    .zip(nodes)
                    .map(|(v, n)| self.link_of(n, v, target_type))
                    .collect()
            }
            other => vec![self.link_of(node, other, target_type)],
        }
    }

    fn document(&self, arg: &str) -> PolicyDocument {
        let Some(node) = self.property(arg) else {
            return PolicyDocument::Unresolved(self.missing(arg));
        };
        match self.evaluator.eval(node) {
            Value::String(text) => PolicyDocument::Json {
                text,
                span: self.span_of(node),
            },
            Value::Unknown { reason, symbol } => {
                PolicyDocument::Unresolved(self.unresolved(node, reason, symbol))
            }
            // A mapping is the document itself: the provider writes it as
            // JSON (pulumi-aws: `policy` takes a `PolicyDocument` too).
            value @ (Value::Object(_) | Value::List(_)) => match self.evaluator.to_json(value) {
                Ok(json) => PolicyDocument::Json {
                    text: json.to_string(),
                    span: self.span_of(node),
                },
                Err(Value::Unknown { reason, symbol }) => {
                    PolicyDocument::Unresolved(self.unresolved(node, reason, symbol))
                }
                Err(other) => PolicyDocument::Unresolved(self.unresolved(
                    node,
                    format!("a {} is not a policy document", other.type_name()),
                    None,
                )),
            },
            other => PolicyDocument::Unresolved(self.unresolved(
                node,
                format!("a {} is not a policy document", other.type_name()),
                None,
            )),
        }
    }

    fn boolean(&self, arg: &str) -> Option<bool> {
        match self.evaluator.eval(self.property(arg)?) {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// A device named after a user: a reference to exactly one user
    /// anywhere in its name (`${alice.name}-mfa`), as for Terraform; or
    /// else the name itself.
    fn device_user(&self, arg: &str) -> Link {
        if let Some(node) = self.property(arg)
            && let Some(text) = node.as_str()
        {
            let mut users = referenced_roots(text).filter(|r| {
                self.evaluator.resource_type(r).and_then(terraform_type) == Some(aws::USER)
            });
            if let Some(first) = users.next()
                && users.all(|u| u == first)
            {
                return Link::Address {
                    address: first.to_string(),
                    span: self.span_of(node),
                };
            }
        }
        aws::Arguments::link(self, arg, aws::USER)
    }
}

/// The root names a string's interpolations refer to (`alice` in
/// `${alice.name}-mfa`).
fn referenced_roots(text: &str) -> impl Iterator<Item = &str> {
    text.split("${").skip(1).filter_map(|rest| {
        let inner = &rest[..rest.find('}')?];
        let end = inner.find(['.', '[']).unwrap_or(inner.len());
        Some(inner[..end].trim())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_tokens_map_to_terraform_types() {
        assert_eq!(terraform_type("aws:iam:User"), Some("aws_iam_user"));
        assert_eq!(terraform_type("aws:iam/user:User"), Some("aws_iam_user"));
        assert_eq!(
            terraform_type("aws:iam:VirtualMfaDevice"),
            Some("aws_iam_virtual_mfa_device")
        );
        assert_eq!(
            terraform_type("aws:iam:UserLoginProfile"),
            Some("aws_iam_user_login_profile")
        );
        assert_eq!(
            terraform_type("aws:iam:PolicyAttachment"),
            Some("aws_iam_policy_attachment")
        );
        assert_eq!(terraform_type("aws:iam:Role"), None);
        assert_eq!(terraform_type("aws:s3:Bucket"), None);
        assert_eq!(terraform_type("gcp:iam:User"), None);
        assert_eq!(
            camel_case("virtual_mfa_device_name"),
            "virtualMfaDeviceName"
        );
        assert_eq!(camel_case("policy_arn"), "policyArn");
    }

    fn yaml(text: &str) -> Node {
        let file = SourceFile::new("x.yaml".into(), text);
        crate::syntax::parse_yaml(&file, 64, 1000)
            .expect("YAML")
            .root
    }

    /// Its words select Pulumi programs and previews, not every document
    /// that holds an IAM ARN.
    #[test]
    fn words_are_type_tokens_not_arns() {
        let words = Pulumi.words();
        let selects = |text: &str| words.iter().any(|w| text.contains(w));
        assert!(selects("type: aws:iam:User"));
        assert!(selects("type: aws:iam:VirtualMfaDevice"));
        assert!(selects(
            "\"type\": \"aws:iam/userLoginProfile:UserLoginProfile\""
        ));
        assert!(!selects(
            "\"Resource\": \"arn:aws:iam::123456789012:user/alice\""
        ));
    }

    #[test]
    fn only_yaml_programs_are_read() {
        let project = Path::new("Pulumi.yaml");
        let main = Path::new("Main.yaml");
        assert!(is_program(&yaml("name: a\nruntime: yaml\n"), project));
        assert!(is_program(
            &yaml("name: a\nruntime:\n  name: yaml\n"),
            project
        ));
        // A TypeScript project's file holds no program.
        assert!(!is_program(&yaml("name: a\nruntime: nodejs\n"), project));
        assert!(is_program(
            &yaml("resources:\n  u:\n    type: aws:iam:User\n"),
            main
        ));
        // Another tool's Main.yaml.
        assert!(!is_program(
            &yaml("resources:\n  u:\n    type: user\n"),
            main
        ));
    }
}
