//! CloudFormation front-end: JSON and YAML templates (short-form tags,
//! long-form intrinsics, SAM and CDK output alike), recognised by content,
//! and the `resources` of Serverless Framework services, lowered into the
//! IAM model. One template is one scope: links resolve inside it, as `Ref`
//! does.

mod intrinsics;
mod lower;
mod serverless;

use std::path::Path;

use super::{BuildContext, Frontend, ParseContext, Parsed, Selection};
use crate::diagnostic::{InputError, InputErrorKind};
use crate::model::{Model, ScopeId};
use crate::source::{CommentSyntax, FileId, SourceFile, SourceMap};

use crate::syntax::{Kind, Node, Yaml};

/// A parsed template.
#[derive(Debug)]
pub struct Template {
    pub file: FileId,
    pub root: Node,
    /// What was read leniently, as CloudFormation reads it (a duplicate
    /// key).
    pub warnings: Vec<InputError>,
    /// What could not be read and may hide users (a Serverless fragment
    /// read at deploy time), reported as errors when the scan is built.
    pub errors: Vec<InputError>,
}

/// The CloudFormation front-end (templates in JSON or YAML, SAM, CDK
/// output).
pub struct CloudFormation;

impl Frontend for CloudFormation {
    fn name(&self) -> &'static str {
        "cloudformation"
    }

    fn claims(&self, path: &Path) -> bool {
        claims(path)
    }

    fn watched(&self) -> &'static [&'static str] {
        &[crate::syntax::DOCUMENT_GLOB]
    }

    fn words(&self) -> &'static [&'static str] {
        // IAM resources, and nested stacks (their templates are read
        // through them).
        &["AWS::IAM::", "AWS::CloudFormation::Stack"]
    }

    /// A Serverless service is parsed whatever it mentions: its
    /// resources may come from elsewhere (`${file(...)}`), which it must
    /// say.
    fn selection(&self, path: &Path) -> Selection {
        if serverless::is_service_name(path) {
            Selection::Always
        } else {
            Selection::File
        }
    }

    /// YAML's comments; none in a `.json` template (JSON has none). A
    /// `.template` file may be either: `#` is read as YAML reads it, and
    /// JSON has no `#` outside its strings.
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
        Ok(parse(id, file, ctx.limits)?.map(|mut template| {
            let warnings = std::mem::take(&mut template.warnings);
            Parsed::new(self, template).with_warnings(warnings)
        }))
    }

    fn build(&self, parsed: Vec<Parsed>, ctx: &BuildContext<'_>) -> (Vec<Model>, Vec<InputError>) {
        build(
            parsed.into_iter().map(Parsed::into_inner).collect(),
            ctx.sources,
            ctx.schema,
            ctx.first_scope,
            ctx.options.freeing,
        )
    }
}

/// Whether discovery reads the file: JSON, YAML and `.template` files
/// (Terraform's JSON files are claimed by its front-end alone).
pub fn claims(path: &Path) -> bool {
    crate::syntax::is_document_name(path)
}

/// Parses a file that may be a template. `Ok(None)` means it is some other
/// JSON or YAML (a Kubernetes manifest, `package.json`...), skipped
/// silently; a cheap look at the text decides before any parsing.
pub fn parse(
    id: FileId,
    file: &SourceFile,
    limits: &super::Limits,
) -> Result<Option<Template>, InputError> {
    let text = &file.text;
    if !(text.contains("AWSTemplateFormatVersion")
        || text.contains("AWS::")
        || serverless::is_service_name(&file.path) && text.contains("resources"))
    {
        return Ok(None);
    }
    // A `.yaml` file that opens with `{` is flow-style YAML (tags and all),
    // not JSON; a `.template` file is whichever its first character says.
    let extension = file.path.extension().and_then(|e| e.to_str());
    let looks_json = match extension {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        _ => text.trim_start().starts_with('{'),
    };
    let Yaml { mut root, warnings } = crate::syntax::parse_document(
        file,
        looks_json,
        limits.max_nesting,
        limits.max_yaml_aliases,
    )
    .map_err(|e| e.into_input_error(id, file))?;
    let mut problems = Vec::new();
    let mut errors = Vec::new();
    let mut from_service = false;
    // A service's `resources` are its template; a template merely named
    // `serverless.yml` (SAM's, say) is read as one.
    if serverless::is_service_name(&file.path) && root.get("Resources").is_none() {
        let Some((template, found)) = serverless::template(&root) else {
            return Ok(None);
        };
        root = template;
        from_service = true;
        for p in found {
            let error = InputError::at(file.display.clone(), id, p.span, p.message).of_kind(p.kind);
            if p.hides_users {
                errors.push(error);
            } else {
                problems.push(error);
            }
        }
    }
    intrinsics::resolve(&mut root);
    // A service's resources are read whatever they hold (one may be a
    // variable, which must be said).
    if !from_service && !is_template(&root) {
        return Ok(None);
    }
    if let Some((_, resources)) = root.entry("Resources")
        && let Kind::Intrinsic(name, why) = &resources.kind
        && name == intrinsics::UNKNOWN
    {
        let reason = match &why.kind {
            Kind::List(parts) => parts.first().and_then(Node::as_str).unwrap_or(""),
            _ => "",
        };
        return Err(InputError::at(
            file.display.clone(),
            id,
            resources.span.clone(),
            format!("not read: `Resources` is not in the file ({reason}); the users it declares are not checked"),
        )
        .of_kind(InputErrorKind::Reference));
    }
    if let Some((key, resources)) = root.entry("Resources")
        && !matches!(resources.kind, Kind::Map(_))
    {
        return Err(InputError::at(
            file.display.clone(),
            id,
            key.span.clone(),
            "`Resources` must be a mapping of logical ids to resources",
        )
        .of_kind(InputErrorKind::Invalid));
    }
    let warnings = warnings
        .into_iter()
        .map(|w| w.into_input_error(id, file))
        .chain(problems)
        .collect();
    Ok(Some(Template {
        file: id,
        root,
        warnings,
        errors,
    }))
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

/// Nested stacks deeper than this are not followed.
const MAX_STACK_DEPTH: usize = 8;

/// Template instances one root template may expand to through its nested
/// stacks: thirty stacks of a template with thirty stacks of ... would
/// otherwise be lowered millions of times (810,000 took 29 s and 3 GB).
const MAX_STACK_INSTANCES: usize = 10_000;

/// Lowers each template into its own scope, from `first_scope` on. A
/// template that a scanned parent uses as a nested stack (a local
/// `TemplateURL`) is lowered through that parent, with the parameters it
/// passes, and not on its own.
pub fn build(
    mut templates: Vec<Template>,
    sources: &SourceMap,
    schema: &crate::model::Schema,
    first_scope: u32,
    freeing: crate::frontend::Freeing,
) -> (Vec<Model>, Vec<InputError>) {
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    let read_errors: Vec<InputError> = templates
        .iter_mut()
        .flat_map(|t| std::mem::take(&mut t.errors))
        .collect();
    let by_path: BTreeMap<PathBuf, usize> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| (sources.get(t.file).path.clone(), i))
        .collect();
    let child_of = |parent: usize, url: &str| -> Option<usize> {
        let dir = sources
            .get(templates[parent].file)
            .path
            .parent()?
            .to_path_buf();
        by_path
            .get(&crate::source::join_lexically(&dir, url))
            .copied()
    };
    // First pass: which templates are nested somewhere.
    let mut nested_targets = std::collections::BTreeSet::new();
    for (i, template) in templates.iter().enumerate() {
        for url in nested_template_urls(template) {
            if let Some(child) = child_of(i, url) {
                nested_targets.insert(child);
            }
        }
    }
    let mut errors = read_errors;
    // Root templates take the first scopes, so that what they export is
    // known before any template is lowered; nested instances follow.
    let mut roots: Vec<usize> = (0..templates.len())
        .filter(|i| !nested_targets.contains(i))
        .collect();
    // A template that only a cycle of nested stacks reaches (one that
    // names itself, two that name each other) is no root's child: the
    // first of each such group is lowered as a root, so that its users
    // and those of the templates it nests are checked once, and the
    // cycle is reported where it closes.
    let mut reached = vec![false; templates.len()];
    let reach = |from: usize, reached: &mut Vec<bool>| {
        let mut next = vec![from];
        while let Some(i) = next.pop() {
            if std::mem::replace(&mut reached[i], true) {
                continue;
            }
            next.extend(
                nested_template_urls(&templates[i])
                    .into_iter()
                    .filter_map(|url| child_of(i, url)),
            );
        }
    };
    for &root in &roots {
        reach(root, &mut reached);
    }
    for i in 0..templates.len() {
        if !reached[i] {
            roots.push(i);
            reach(i, &mut reached);
        }
    }
    // Root templates are lowered first, in parallel (their scopes do not
    // depend on what the others nest), then nested stacks in order. The
    // evaluation's text budget is shared: were it to run out, what was
    // left unknown would depend on the order, so all is done again in
    // order (the order that decides, as before: a rare case).
    let lower = |parallel| {
        lower_roots(
            &templates,
            &roots,
            sources,
            schema,
            first_scope,
            &child_of,
            parallel,
        )
    };
    let (lowered, problems) = lower(true)
        .or_else(|| lower(false))
        .expect("lowered in order");
    errors.extend(problems);
    freeing.free(templates);
    (lowered, errors)
}

/// Lowers the root templates (each in its scope, from `first_scope`) and
/// the nested stacks they expand to (in the scopes after, in order); the
/// roots themselves in parallel with `parallel`, which gives `None` if the
/// text budget ran out (the order of spending then mattered).
fn lower_roots(
    templates: &[Template],
    roots: &[usize],
    sources: &SourceMap,
    schema: &crate::model::Schema,
    first_scope: u32,
    child_of: &(dyn Fn(usize, &str) -> Option<usize> + Sync),
    parallel: bool,
) -> Option<(Vec<Model>, Vec<InputError>)> {
    use rayon::prelude::*;
    use std::path::PathBuf;
    let budget = lower::TextBudget::default();
    let mut exports = lower::Exports::default();
    for (k, &i) in roots.iter().enumerate() {
        exports.add(
            ScopeId(first_scope + k as u32),
            &templates[i],
            sources,
            &budget,
        );
    }
    let mut first: Vec<Option<lower::Lowered>> = match parallel {
        true => roots
            .par_iter()
            .enumerate()
            .map(|(k, &i)| {
                Some(lower::lower_template(
                    ScopeId(first_scope + k as u32),
                    &templates[i],
                    sources,
                    schema,
                    None,
                    &exports,
                    &budget,
                ))
            })
            .collect(),
        false => Vec::new(),
    };
    let mut models = Vec::new();
    let mut errors = Vec::new();
    let mut next_nested = first_scope + roots.len() as u32;
    for (k, &i) in roots.iter().enumerate() {
        let mut stack = vec![(i, None::<lower::StackCall>, vec![i])];
        let mut lowered = 0;
        while let Some((index, call, chain)) = stack.pop() {
            if lowered == MAX_STACK_INSTANCES {
                // Loud, not silent: the users of the stacks left out are
                // not checked.
                // Placed at the call, in the parent's file.
                let root = &sources.get(templates[i].file).display;
                let parent = chain.iter().rev().nth(1).copied().unwrap_or(index);
                errors.push(InputError {
                    path: sources.get(templates[parent].file).display.clone(),
                    span: call.as_ref().and_then(|c| c.via.last()).map(|(_, s)| *s),
                    message: format!(
                        "`{root}` expands to more than {MAX_STACK_INSTANCES} nested stack instances; from this one on, they are not followed"
                    ),
                    kind: InputErrorKind::Limit,
                });
                break;
            }
            lowered += 1;
            let scope = if call.is_none() {
                ScopeId(first_scope + k as u32)
            } else {
                next_nested += 1;
                ScopeId(next_nested - 1)
            };
            let done = match call {
                None => first.get_mut(k).and_then(Option::take),
                Some(_) => None,
            };
            let (mut model, problems, nested) = match done {
                Some(lowered) => lowered,
                None => lower::lower_template(
                    scope,
                    &templates[index],
                    sources,
                    schema,
                    call.as_ref(),
                    &exports,
                    &budget,
                ),
            };
            // A nested stack depends on its parents' templates (they pass
            // its parameters) and on the templates it names, found or not.
            let mut read: std::collections::BTreeSet<PathBuf> = chain
                .iter()
                .map(|&t| sources.get(templates[t].file).path.clone())
                .collect();
            let path = &sources.get(templates[index].file).path;
            if let Some(dir) = path.parent() {
                read.extend(
                    nested
                        .iter()
                        .map(|n| crate::source::join_lexically(dir, &n.template_url)),
                );
            }
            model.scope_inputs.push((scope, read));
            models.push(model);
            errors.extend(problems);
            for n in nested.into_iter().rev() {
                let Some(child) = child_of(index, &n.template_url) else {
                    continue;
                };
                let span = Some(n.url_span);
                let stack_name = n.call.prefix.trim_end_matches('.');
                let refused = if chain.contains(&child) {
                    Some((
                        InputErrorKind::Reference,
                        format!(
                            "nested stack `{stack_name}` names `{}`, a template that already contains it (a cycle of nested stacks, which CloudFormation cannot deploy); not followed: each template's users are checked once",
                            n.template_url
                        ),
                    ))
                } else if chain.len() > MAX_STACK_DEPTH {
                    Some((
                        InputErrorKind::Limit,
                        format!(
                            "nested stack `{stack_name}` (`{}`) nests deeper than {MAX_STACK_DEPTH} levels; not followed",
                            n.template_url
                        ),
                    ))
                } else {
                    None
                };
                if let Some((kind, message)) = refused {
                    errors.push(InputError {
                        path: sources.get(templates[index].file).display.clone(),
                        span,
                        message,
                        kind,
                    });
                    continue;
                }
                let mut chain = chain.clone();
                chain.push(child);
                stack.push((child, Some(n.call), chain));
            }
        }
    }
    if parallel && budget.ran_out() {
        return None;
    }
    Some((models, errors))
}

/// The literal `TemplateURL`s of a template's nested stacks.
fn nested_template_urls(template: &Template) -> Vec<&str> {
    let Some(Kind::Map(resources)) = template.root.get("Resources").map(|r| &r.kind) else {
        return Vec::new();
    };
    resources
        .iter()
        .filter(|(_, r)| r.get("Type").and_then(Node::as_str) == Some("AWS::CloudFormation::Stack"))
        .filter_map(|(_, r)| r.get("Properties")?.get("TemplateURL")?.as_str())
        .collect()
}
