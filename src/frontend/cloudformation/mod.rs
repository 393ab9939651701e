//! CloudFormation front-end: JSON and YAML templates (short-form tags,
//! long-form intrinsics, SAM and CDK output alike), recognised by content,
//! lowered into the IAM model. One template is one scope: links resolve
//! inside it, as `Ref` does.

mod lower;
mod node;

use std::path::Path;

use crate::diagnostic::InputError;
use crate::model::{Model, ScopeId};
use crate::source::{FileId, SourceFile, SourceMap};

pub use node::{Kind, Node};

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    pub file: FileId,
    pub root: Node,
}

/// Whether discovery reads the file: JSON, YAML and `.template` files,
/// except Terraform's JSON variable and configuration files.
pub fn claims(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".tfvars.json") || name.ends_with(".tf.json") {
        return false;
    }
    [".json", ".yaml", ".yml", ".template"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Parses a file that may be a template. `Ok(None)` means it is some other
/// JSON or YAML (a Kubernetes manifest, `package.json`...), skipped
/// silently; a cheap look at the text decides before any parsing.
pub fn parse(id: FileId, file: &SourceFile) -> Result<Option<Template>, InputError> {
    let text = &file.text;
    if !(text.contains("AWSTemplateFormatVersion") || text.contains("AWS::")) {
        return Ok(None);
    }
    let looks_json =
        file.path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with('{');
    let parsed = if looks_json {
        node::parse_json(file)
    } else {
        node::parse_yaml(file)
    };
    let root = parsed.map_err(|e| InputError::at(file.display.clone(), id, e.span, e.message))?;
    if !is_template(&root) {
        return Ok(None);
    }
    if let Some((key, resources)) = root.entry("Resources")
        && !matches!(resources.kind, Kind::Map(_))
    {
        return Err(InputError::at(
            file.display.clone(),
            id,
            key.span.clone(),
            "`Resources` must be a mapping of logical ids to resources",
        ));
    }
    Ok(Some(Template { file: id, root }))
}

/// A template has `AWSTemplateFormatVersion`, or `Resources` whose entries
/// have an `AWS::` type.
fn is_template(root: &Node) -> bool {
    if root.get("AWSTemplateFormatVersion").is_some() {
        return true;
    }
    match root.get("Resources").map(|r| &r.kind) {
        Some(Kind::Map(entries)) => entries.iter().any(|(_, resource)| {
            resource
                .get("Type")
                .and_then(Node::as_str)
                .is_some_and(|t| t.starts_with("AWS::"))
        }),
        Some(_) => true, // Malformed, but meant as a template: say so.
        None => false,
    }
}

/// Lowers each template into its own scope, from `first_scope` on.
pub fn build(
    templates: Vec<Template>,
    sources: &SourceMap,
    first_scope: u32,
) -> (Vec<Model>, Vec<InputError>) {
    let mut models = Vec::new();
    let mut errors = Vec::new();
    for (i, template) in templates.iter().enumerate() {
        let scope = ScopeId(first_scope + i as u32);
        let (model, problems) = lower::lower_template(scope, template, sources);
        models.push(model);
        errors.extend(problems);
    }
    (models, errors)
}
