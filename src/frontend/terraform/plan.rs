//! Terraform plan JSON (`terraform show -json plan.out > plan.json`):
//! values are resolved by Terraform itself, so names link exactly; values
//! known only after apply are linked through the configuration's recorded
//! references (`expressions.<arg>.references`). The plan does not record
//! source lines: when the configuration's `.tf` files were scanned too
//! (the plan's folder, and local module folders its configuration names),
//! findings point at the resource block there; otherwise at the resource's
//! `address` in the plan file.

use std::collections::HashMap;

use super::aws;
use crate::diagnostic::InputError;
use crate::frontend::{BuildContext, Frontend, ParseContext, Parsed, Selection};
use crate::model::{
    Argument, Body, Link, Model, Name, Origin, PolicyDocument, Schema, ScopeId, ServiceResource,
    Setting, Unresolved,
};
use crate::syntax::{Kind, Node, parse_json};
use std::path::{Path, PathBuf};

use crate::source::{CommentSyntax, FileId, SourceFile, SourceMap, Span};

/// A parsed plan.
#[derive(Debug)]
pub struct Plan {
    pub file: FileId,
    pub root: Node,
}

/// The Terraform plan front-end: JSON files recognised by their content,
/// tried before CloudFormation templates.
pub struct TerraformPlan;

impl Frontend for TerraformPlan {
    fn name(&self) -> &'static str {
        "terraform-plan"
    }

    /// Recognised by content (`is_plan`) in any JSON or YAML file name;
    /// Terraform's own JSON files (`.tf.json`) are the Terraform
    /// front-end's alone.
    fn claims(&self, path: &Path) -> bool {
        crate::syntax::is_document_name(path)
    }

    fn watched(&self) -> &'static [&'static str] {
        &[crate::syntax::DOCUMENT_GLOB]
    }

    fn words(&self) -> &'static [&'static str] {
        &["aws_iam_"]
    }

    fn selection(&self, _path: &Path) -> Selection {
        Selection::File
    }

    fn comments(&self, _path: &Path) -> CommentSyntax {
        CommentSyntax::None
    }

    fn parse(
        &self,
        id: FileId,
        file: &SourceFile,
        ctx: &ParseContext<'_>,
    ) -> Result<Option<Parsed>, InputError> {
        if !is_plan(&file.text) {
            return Ok(None);
        }
        parse(id, file, ctx.limits).map(|plan| Some(Parsed::new(self, plan)))
    }

    /// One scope per plan.
    fn build(&self, parsed: Vec<Parsed>, ctx: &BuildContext<'_>) -> (Vec<Model>, Vec<InputError>) {
        let models = parsed
            .into_iter()
            .enumerate()
            .map(|(i, parsed)| {
                let plan: Plan = parsed.into_inner();
                lower(
                    ScopeId(ctx.first_scope + i as u32),
                    &plan,
                    ctx.sources,
                    ctx.schema,
                )
            })
            .collect();
        (models, Vec::new())
    }
}

/// Whether a JSON text is a Terraform plan (by content).
pub fn is_plan(text: &str) -> bool {
    text.contains("\"format_version\"")
        && (text.contains("\"planned_values\"") || text.contains("\"resource_changes\""))
}

pub fn parse(
    id: FileId,
    file: &SourceFile,
    limits: &crate::frontend::Limits,
) -> Result<Plan, InputError> {
    let root = parse_json(file, limits.max_nesting).map_err(|e| e.into_input_error(id, file))?;
    Ok(Plan { file: id, root })
}

pub fn lower(scope: ScopeId, plan: &Plan, sources: &SourceMap, schema: &Schema) -> Model {
    let plan_dir = sources
        .get(plan.file)
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut lowerer = Lowerer {
        scope,
        file: plan.file,
        references: HashMap::new(),
        module_dirs: HashMap::from([(String::new(), plan_dir)]),
        tf_files: HashMap::new(),
        sources,
        schema,
    };
    if let Some(config) = plan
        .root
        .get("configuration")
        .and_then(|c| c.get("root_module"))
    {
        lowerer.index_configuration(config, "");
    }
    // One pass over the scanned files, not one per planned resource.
    let dirs: std::collections::HashSet<&Path> =
        lowerer.module_dirs.values().map(PathBuf::as_path).collect();
    let mut tf_files: HashMap<PathBuf, Vec<FileId>> = HashMap::new();
    for (id, file) in sources.iter() {
        if let Some(dir) = file.path.parent()
            && dirs.contains(dir)
            && file
                .path
                .extension()
                .is_some_and(|e| e == "tf" || e == "tofu")
        {
            tf_files.entry(dir.to_path_buf()).or_default().push(id);
        }
    }
    lowerer.tf_files = tf_files;
    let mut model = Model::default();
    if let Some(root) = plan
        .root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        lowerer.module(root, &mut model);
    }
    let mut read: std::collections::BTreeSet<PathBuf> = lowerer.module_dirs.into_values().collect();
    read.insert(sources.get(plan.file).path.clone());
    model.scope_inputs.push((scope, read));
    model
}

struct Lowerer<'p> {
    scope: ScopeId,
    file: FileId,
    /// Configuration address (without instance key) -> its `expressions`.
    references: HashMap<String, &'p Node>,
    /// Module path prefix (`""`, `module.a.`) -> its folder, for the root
    /// and local module calls.
    module_dirs: HashMap<String, PathBuf>,
    /// The scanned `.tf` files of those folders.
    tf_files: HashMap<PathBuf, Vec<FileId>>,
    sources: &'p SourceMap,
    /// What the rules read: which service resources to keep.
    schema: &'p Schema,
}

impl<'p> Lowerer<'p> {
    fn index_configuration(&mut self, module: &'p Node, prefix: &str) {
        if let Some(Kind::List(resources)) = module.get("resources").map(|r| &r.kind) {
            for resource in resources {
                if let (Some(address), Some(expressions)) = (
                    resource.get("address").and_then(Node::as_str),
                    resource.get("expressions"),
                ) {
                    self.references
                        .insert(format!("{prefix}{address}"), expressions);
                }
            }
        }
        if let Some(Kind::Map(calls)) = module.get("module_calls").map(|c| &c.kind) {
            for (key, call) in calls {
                let child_prefix = format!("{prefix}module.{}.", key.name);
                let source = call.get("source").and_then(Node::as_str).unwrap_or("");
                if super::is_local_source(source)
                    && let Some(parent) = self.module_dirs.get(prefix)
                {
                    let dir = crate::source::join_lexically(parent, source);
                    self.module_dirs.insert(child_prefix.clone(), dir);
                }
                if let Some(child) = call.get("module") {
                    self.index_configuration(child, &child_prefix);
                }
            }
        }
    }

    fn module(&self, module: &Node, model: &mut Model) {
        if let Some(Kind::List(resources)) = module.get("resources").map(|r| &r.kind) {
            for resource in resources {
                self.resource(resource, model);
            }
        }
        if let Some(Kind::List(children)) = module.get("child_modules").map(|c| &c.kind) {
            for child in children {
                self.module(child, model);
            }
        }
    }

    fn resource(&self, resource: &Node, model: &mut Model) {
        if resource.get("mode").and_then(Node::as_str) != Some("managed") {
            return;
        }
        let (Some((key, address_node)), Some(kind)) = (
            resource.entry("address"),
            resource.get("type").and_then(Node::as_str),
        ) else {
            return;
        };
        let Some(address) = address_node.as_str() else {
            return;
        };
        let empty = Node {
            span: resource.span.clone(),
            kind: Kind::Map(Vec::new()),
        };
        let values = resource.get("values").unwrap_or(&empty);
        let in_plan = Span::new(self.file, key.span.start..address_node.span.end);
        let source = self.source_block(address, kind);
        let origin = Origin {
            scope: self.scope,
            address: address.to_string(),
            span: source.unwrap_or(in_plan),
            repeated_by: None,
            via: Vec::new(),
            condition: None,
            planned_at: source.map(|_| in_plan),
            root: address
                .starts_with("module.")
                .then(|| root_display(&self.sources.get(self.file).path)),
            root_shown: false,
        };
        if self.schema.keeps(kind) {
            model.service_resources.push(ServiceResource {
                assertions: Vec::new(),
                body: self.body(values, address),
                resource_type: kind.to_string(),
                origin,
            });
            return;
        }
        let args = PlanArguments {
            lowerer: self,
            values,
            address,
            span: origin.span,
        };
        aws::lower(kind, &args, origin, model);
    }
}

impl Lowerer<'_> {
    /// The `resource "type" "name"` header of a planned resource in the
    /// scanned `.tf` files of its module's folder, if they were scanned.
    fn source_block(&self, address: &str, kind: &str) -> Option<Span> {
        // `module.a["k"].aws_x.name[0]` -> module prefix `module.a.`, name.
        let mut prefix = String::new();
        let mut rest = address;
        while let Some(after) = rest.strip_prefix("module.") {
            let end = after.find('.')?;
            let call = after[..end].split('[').next()?;
            prefix.push_str(&format!("module.{call}."));
            rest = &after[end + 1..];
        }
        let name = rest
            .strip_prefix(kind)?
            .strip_prefix('.')?
            .split('[')
            .next()?;
        let dir = self.module_dirs.get(&prefix)?;
        let needle = format!("\"{kind}\"");
        for &id in self.tf_files.get(dir)? {
            let text = &self.sources.get(id).text;
            for (at, _) in text.match_indices(&needle) {
                let before = text[..at].trim_end();
                let keyword_at = before.len().saturating_sub("resource".len());
                let whole_word =
                    !text[..keyword_at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
                if !before.ends_with("resource") || !whole_word {
                    continue;
                }
                let after = text[at + needle.len()..].trim_start();
                let label = format!("\"{name}\"");
                if after.starts_with(&label) {
                    let start = keyword_at;
                    let end = text.len() - after.len() + label.len();
                    return Some(Span::new(id, start..end));
                }
            }
        }
        None
    }

    /// A planned resource's values as a body. A list of objects is both a
    /// list argument and a series of nested blocks, as the plan does not
    /// say which; a value the plan omits but the configuration sets is
    /// known only after apply.
    fn body(&self, values: &Node, address: &str) -> Body {
        let mut body = Body::default();
        let span = Span::new(self.file, values.span.clone());
        if let Kind::Map(entries) = &values.kind {
            for (key, value) in entries {
                if let Kind::List(items) = &value.kind {
                    for item in items.iter().filter(|i| matches!(i.kind, Kind::Map(_))) {
                        body.blocks
                            .push((key.name.clone(), self.body(item, address)));
                    }
                }
                body.arguments.insert(
                    key.name.clone(),
                    Argument {
                        value: setting(value),
                        span: Span::new(self.file, value.span.clone()),
                    },
                );
            }
        }
        let base = address.split('[').next().unwrap_or(address);
        if let Some(Kind::Map(expressions)) = self.references.get(base).map(|e| &e.kind) {
            for (key, _) in expressions {
                body.arguments
                    .entry(key.name.clone())
                    .or_insert_with(|| Argument {
                        value: Setting::Unresolved(Unresolved {
                            expression: format!("{address}.{}", key.name),
                            reason: "the plan knows this value only after apply".into(),
                            span,
                            symbol: None,
                        }),
                        span,
                    });
            }
        }
        body
    }
}

fn setting(node: &Node) -> Setting {
    match &node.kind {
        // JSON makes neither tags nor intrinsics.
        Kind::Null | Kind::Tagged(..) | Kind::Intrinsic(..) => Setting::Null,
        Kind::Bool(b) => Setting::Bool(*b),
        Kind::Number(n) => Setting::Number(*n),
        Kind::String(s) => Setting::String(s.clone()),
        Kind::List(items) => Setting::List(items.iter().map(setting).collect()),
        Kind::Map(entries) => Setting::Map(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), setting(v)))
                .collect(),
        ),
    }
}

/// A planned resource instance's arguments: the values Terraform
/// resolved, and for a value known only after apply, the references the
/// configuration records for it.
struct PlanArguments<'a, 'p> {
    lowerer: &'a Lowerer<'p>,
    values: &'a Node,
    address: &'a str,
    /// Where findings about the resource point.
    span: Span,
}

impl PlanArguments<'_, '_> {
    fn value(&self, arg: &str) -> Option<&Node> {
        self.values
            .get(arg)
            .filter(|v| !matches!(v.kind, Kind::Null))
    }

    fn unresolved(&self, arg: &str) -> Unresolved {
        Unresolved {
            expression: format!("{}.{arg}", self.address),
            reason: "the plan knows this value only after apply".into(),
            span: self.span,
            symbol: None,
        }
    }

    /// `configuration...expressions.<arg>.references`: the first that is a
    /// resource of `target_type`, as its address in this module.
    fn reference(&self, arg: &str, target_type: &str) -> Option<Link> {
        let base = self.address.split('[').next().unwrap_or(self.address);
        let expressions = self.lowerer.references.get(base)?;
        let Kind::List(references) = &expressions.get(arg)?.get("references")?.kind else {
            return None;
        };
        // `module.a.aws_x.y` -> `module.a.`: the module the resource is in.
        let segments: Vec<&str> = base.split('.').collect();
        let module_prefix = match segments.len() {
            n if n > 2 => format!("{}.", segments[..n - 2].join(".")),
            _ => String::new(),
        };
        references.iter().filter_map(Node::as_str).find_map(|r| {
            let mut parts = r.split('.');
            let (kind, name) = (parts.next()?, parts.next()?);
            (kind == target_type).then(|| Link::Address {
                address: format!("{module_prefix}{kind}.{name}"),
                span: self.span,
            })
        })
    }

    /// Whether the configuration records an expression for the argument
    /// (its value may be known only after apply).
    fn has_expression(&self, arg: &str) -> bool {
        let base = self.address.split('[').next().unwrap_or(self.address);
        self.lowerer
            .references
            .get(base)
            .is_some_and(|e| e.get(arg).is_some())
    }
}

impl aws::Arguments for PlanArguments<'_, '_> {
    fn is_set(&self, arg: &str) -> bool {
        match self.value(arg).map(|v| &v.kind) {
            Some(Kind::List(items)) => !items.is_empty() || self.has_expression(arg),
            Some(_) => true,
            None => self.has_expression(arg),
        }
    }

    fn name(&self, arg: &str) -> Name {
        match self.value(arg).and_then(Node::as_str) {
            Some(s) => Name::Known(s.to_string()),
            None => Name::Unresolved(self.unresolved(arg)),
        }
    }

    /// A known value links by name; an unknown one through the resource
    /// the configuration says it refers to.
    fn link(&self, arg: &str, target_type: &str) -> Link {
        match self.value(arg).and_then(Node::as_str) {
            Some(name) => Link::Name {
                name: name.to_string(),
                span: self.span,
            },
            None => self
                .reference(arg, target_type)
                .unwrap_or_else(|| Link::Unresolved(self.unresolved(arg))),
        }
    }

    fn links(&self, arg: &str, target_type: &str) -> Vec<Link> {
        match self.value(arg).map(|v| &v.kind) {
            Some(Kind::List(items)) => items
                .iter()
                .map(|item| match item.as_str() {
                    Some(name) => Link::Name {
                        name: name.to_string(),
                        span: self.span,
                    },
                    None => Link::Unresolved(self.unresolved(arg)),
                })
                .collect(),
            _ => match self.reference(arg, target_type) {
                Some(link) => vec![link],
                None => vec![Link::Unresolved(self.unresolved(arg))],
            },
        }
    }

    fn boolean(&self, arg: &str) -> Option<bool> {
        match self.value(arg)?.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    fn document(&self, arg: &str) -> PolicyDocument {
        match self.value(arg).and_then(Node::as_str) {
            Some(text) => PolicyDocument::Json {
                text: text.to_string(),
                span: self.span,
            },
            None => PolicyDocument::Unresolved(self.unresolved(arg)),
        }
    }
}

/// The folder a plan (or a root module's file) is in, as paths are shown.
fn root_display(file: &Path) -> String {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => crate::source::display_path(dir),
        _ => ".".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttachmentTarget, PolicyAttachment};

    /// What an attachment attaches to, as `kind:name` (links by name).
    fn targets(attachment: &PolicyAttachment) -> Vec<String> {
        attachment
            .targets
            .iter()
            .map(|t| {
                let (kind, link) = match t {
                    AttachmentTarget::User(l) => ("user", l),
                    AttachmentTarget::Group(l) => ("group", l),
                    AttachmentTarget::Role(l) => ("role", l),
                };
                match link {
                    Link::Name { name, .. } => format!("{kind}:{name}"),
                    other => format!("{kind}:{other:?}"),
                }
            })
            .collect()
    }

    /// One mapping for configuration and plans: an attachment's `roles`
    /// were read from `.tf` files and not from plans, and a plan's
    /// attachment without `users` got an unknown user.
    #[test]
    fn a_plan_and_its_configuration_declare_the_same_attachments() {
        let tf = r#"
resource "aws_iam_policy_attachment" "ci" {
  name       = "ci"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
  groups     = ["ops"]
  roles      = ["ci-runner"]
}
"#;
        let plan = r#"{
  "format_version": "1.2",
  "planned_values": {"root_module": {"resources": [{
    "address": "aws_iam_policy_attachment.ci",
    "mode": "managed",
    "type": "aws_iam_policy_attachment",
    "name": "ci",
    "values": {
      "name": "ci",
      "policy_arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "users": null,
      "groups": ["ops"],
      "roles": ["ci-runner"]
    }
  }]}}
}"#;
        let sources = SourceMap::new(vec![
            SourceFile::new("c/main.tf".into(), tf),
            SourceFile::new("p/plan.json".into(), plan),
        ]);
        let schema = Schema::default();
        let limits = crate::frontend::Limits::default();
        let ctx = crate::frontend::ParseContext {
            limits: &limits,
            schema: &schema,
            keeping: crate::frontend::Keeping::All,
        };
        let parsed: Vec<_> = sources
            .iter()
            .map(|(id, file)| {
                crate::frontend::parse(crate::frontend::claims_of(&file.path), id, file, &ctx)
                    .expect("parses")
                    .expect("recognised")
            })
            .collect();
        let (model, errors) = crate::frontend::build_model(
            parsed,
            &crate::frontend::FrontendOptions::default(),
            &sources,
            &schema,
        );
        assert!(errors.is_empty(), "{errors:?}");
        let [from_tf, from_plan] = model.policy_attachments.as_slice() else {
            panic!("two attachments: {:?}", model.policy_attachments);
        };
        assert_eq!(targets(from_tf), ["group:ops", "role:ci-runner"]);
        assert_eq!(targets(from_plan), targets(from_tf));
    }
}
