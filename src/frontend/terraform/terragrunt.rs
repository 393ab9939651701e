//! Terragrunt units (<https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/>):
//! a `terragrunt.hcl` whose `terraform { source }` names a module is a
//! root module of its own that calls that module with its `inputs`, as
//! `module.terragrunt`. Its `locals` are the call's context; a
//! `dependency` block's `outputs` are its `mock_outputs` (unknown without
//! them); the `inputs` of the files it `include`s (found with
//! `find_in_parent_folders()` or a literal path) are merged under its own,
//! shallowly, as Terragrunt merges them by default. A module folder that
//! units call is evaluated through them only, like a module another
//! folder calls.
//!
//! Read, never run: only local sources (`../modules//users`) are
//! followed; a remote one (`git::`, `tfr://`) is a warning, its module not
//! checked (mfalint downloads nothing, and `.terragrunt-cache` holds
//! Terragrunt's own copies, not the scanned code). An included file's
//! input that reads that file's own `locals`, `include` or `dependency`
//! is unknown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Body;

use super::module::{TfFile, Unit, UnitInput, is_local_source};
use crate::diagnostic::{InputError, InputErrorKind};
use crate::source::{SourceMap, join_lexically};

/// Terragrunt's configuration files: units, and the root file they
/// include.
pub fn is_terragrunt_name(path: &Path) -> bool {
    matches!(
        crate::paths::file_name_str(path),
        Some("terragrunt.hcl" | "root.hcl")
    )
}

/// A unit's `terraform { source = ... }`.
fn source(body: &Body) -> Option<&Expression> {
    body.blocks()
        .find(|b| b.ident.as_str() == "terraform" && b.labels.is_empty())?
        .body
        .get_attribute("source")
        .map(|a| &a.value)
}

fn literal(expr: &Expression) -> Option<&str> {
    match expr {
        Expression::String(s) => Some(s.value().as_str()),
        _ => None,
    }
}

/// The module folder a unit's literal local source names (`//` marks the
/// folder inside the copied tree, and is a plain separator here).
pub fn module_folder(tf: &TfFile, folder: &Path) -> Option<PathBuf> {
    let source = literal(source(&tf.body)?)?;
    is_local_source(source).then(|| join_lexically(folder, source))
}

/// The entries of a file's top-level `inputs = { ... }`, and whether some
/// are not literal (`inputs = merge(...)`, a computed key).
fn inputs(body: &Body) -> (Vec<(String, &Expression)>, bool) {
    let Some(value) = body.get_attribute("inputs").map(|a| &a.value) else {
        return (Vec::new(), false);
    };
    let Expression::Object(object) = value else {
        return (Vec::new(), true);
    };
    let mut opaque = false;
    let entries = object
        .iter()
        .filter_map(|(key, value)| {
            let key = match key {
                ObjectKey::Ident(ident) => ident.as_str().to_string(),
                ObjectKey::Expression(expr) => match literal(expr) {
                    Some(k) => k.to_string(),
                    None => {
                        opaque = true;
                        return None;
                    }
                },
            };
            Some((key, value.expr()))
        })
        .collect();
    (entries, opaque)
}

/// An `include` block, the file it names (or why it is not found) and
/// its merge strategy.
type Include<'b> = (
    &'b hcl_edit::structure::Block,
    Result<PathBuf, String>,
    String,
);

/// The `include` blocks of a file.
fn includes<'b>(body: &'b Body, dir: &Path, files: &BTreeMap<PathBuf, TfFile>) -> Vec<Include<'b>> {
    body.blocks()
        .filter(|b| b.ident.as_str() == "include")
        .filter_map(|include| {
            let target = include.body.get_attribute("path")?;
            let strategy = include
                .body
                .get_attribute("merge_strategy")
                .and_then(|a| literal(&a.value))
                .unwrap_or("shallow")
                .to_string();
            Some((include, include_target(&target.value, dir, files), strategy))
        })
        .collect()
}

/// Whether an expression reads a file's own context (`local.x`,
/// `include.x`, `dependency.x`).
fn reads_context(expr: &Expression) -> bool {
    struct Finder(bool);
    impl hcl_edit::visit::Visit for Finder {
        fn visit_expr(&mut self, node: &Expression) {
            if let Expression::Variable(v) = node
                && matches!(v.as_str(), "local" | "include" | "dependency")
            {
                self.0 = true;
            }
            hcl_edit::visit::visit_expr(self, node);
        }
    }
    let mut finder = Finder(false);
    hcl_edit::visit::Visit::visit_expr(&mut finder, expr);
    finder.0
}

/// The file an `include` block's `path` names, among the scanned
/// Terragrunt files.
fn include_target(
    expr: &Expression,
    dir: &Path,
    files: &BTreeMap<PathBuf, TfFile>,
) -> Result<PathBuf, String> {
    match expr {
        Expression::FuncCall(call) if call.name.name.as_str() == "find_in_parent_folders" => {
            let name = match call.args.iter().next() {
                None => "terragrunt.hcl",
                Some(arg) => literal(arg)
                    .ok_or("`find_in_parent_folders` with a name that is not a literal")?,
            };
            dir.ancestors()
                .skip(1)
                .map(|a| a.join(name))
                .find(|candidate| files.contains_key(candidate))
                .ok_or_else(|| {
                    format!("`find_in_parent_folders()` finds no scanned `{name}` above the unit")
                })
        }
        _ => match literal(expr) {
            Some(path) => {
                let target = join_lexically(dir, path);
                if files.contains_key(&target) {
                    Ok(target)
                } else {
                    Err(format!("`{path}` is not a scanned Terragrunt file"))
                }
            }
            None => Err("an include path that is not known statically".into()),
        },
    }
}

/// The Terragrunt units among the parsed Terragrunt files, each with the
/// folder it is in and its inputs; the other files (those only included)
/// are dropped once read. What is not followed is a warning, by the
/// folder of the unit it concerns.
pub fn units(
    files: Vec<TfFile>,
    sources: &SourceMap,
    warnings: &mut Vec<(PathBuf, InputError)>,
) -> Vec<(PathBuf, TfFile)> {
    use hcl_edit::Span as _;
    let mut by_path: BTreeMap<PathBuf, TfFile> = files
        .into_iter()
        .map(|tf| (sources.get(tf.file).path.clone(), tf))
        .collect();
    // A file another one includes is configuration for its units, not a
    // unit of its own (a root `terragrunt.hcl` or `root.hcl`).
    let included: std::collections::BTreeSet<PathBuf> = by_path
        .iter()
        .flat_map(|(path, tf)| {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            includes(&tf.body, &dir, &by_path)
                .into_iter()
                .filter_map(|(_, target, _)| target.ok())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut found: Vec<(PathBuf, Unit)> = Vec::new();
    for (path, tf) in &by_path {
        if included.contains(path) {
            continue;
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let display = &sources.get(tf.file).display;
        let warn = |span: Option<std::ops::Range<usize>>, message: String| {
            InputError::at(display.clone(), tf.file, span.unwrap_or(0..0), message)
                .of_kind(InputErrorKind::Reference)
        };
        let parents = includes(&tf.body, &dir, &by_path);
        let Some(source_expr) = source(&tf.body) else {
            // A source only an included file gives, or none: the unit is
            // not evaluated, which is said.
            let inherited = parents
                .iter()
                .filter_map(|(_, target, _)| target.as_ref().ok())
                .find(|p| source(&by_path[*p].body).is_some());
            if let Some(parent) = inherited {
                warnings.push((
                    dir.clone(),
                    warn(
                        None,
                        format!(
                            "the unit's module source comes from the included `{}`, which mfalint does not follow yet: what it creates is not checked",
                            sources.get(by_path[parent].file).display
                        ),
                    ),
                ));
            } else if tf.body.get_attribute("inputs").is_some() {
                warnings.push((
                    dir.clone(),
                    warn(
                        None,
                        "the unit has no `terraform { source }`: its inputs are not applied to the module of its folder (not followed yet)".into(),
                    ),
                ));
            }
            continue;
        };
        match literal(source_expr) {
            Some(s) if is_local_source(s) => {}
            Some(s) => warnings.push((
                dir.clone(),
                warn(
                    source_expr.span(),
                    format!(
                        "the unit's module `{s}` is not local: mfalint reads only local sources, so what it creates is not checked"
                    ),
                ),
            )),
            None => warnings.push((
                dir.clone(),
                warn(
                    source_expr.span(),
                    "the unit's module source is not known statically: what it creates is not checked"
                        .into(),
                ),
            )),
        }
        let mut unit = Unit::default();
        let (own, own_opaque) = inputs(&tf.body);
        for (include, target, strategy) in &parents {
            let parent = match target {
                Ok(parent) => parent,
                Err(reason) => {
                    let span = include
                        .body
                        .get_attribute("path")
                        .and_then(|a| a.value.span());
                    warnings.push((
                        dir.clone(),
                        warn(
                            span,
                            format!(
                                "not read: {reason}; the inputs it would give the unit are not checked"
                            ),
                        ),
                    ));
                    continue;
                }
            };
            // `no_merge`: the included file gives the unit nothing.
            if strategy == "no_merge" {
                continue;
            }
            let parent_file = &by_path[parent];
            let parent_display = &sources.get(parent_file.file).display;
            let (parent_inputs, parent_opaque) = inputs(&parent_file.body);
            if parent_opaque {
                unit.opaque.get_or_insert_with(|| {
                    format!("the inputs of the included `{parent_display}` are not all literal")
                });
            }
            for (key, expr) in parent_inputs {
                let input = if strategy == "deep" && own.iter().any(|(k, _)| *k == key) {
                    // Deep merging (maps merged, lists concatenated) is
                    // not modelled: an input both set is unknown.
                    UnitInput::Unknown(format!(
                        "input `{key}` is deep-merged with the included `{parent_display}`'s, which mfalint does not model"
                    ))
                } else if reads_context(expr) {
                    UnitInput::Unknown(format!(
                        "input `{key}` of the included `{parent_display}` reads that file's own locals or dependencies, which mfalint does not follow"
                    ))
                } else {
                    UnitInput::Expr(expr.clone())
                };
                set(&mut unit.inputs, key, input);
            }
        }
        if own_opaque {
            unit.opaque = Some(
                "the unit's `inputs` are not a literal object (`merge(...)`, a computed key), which mfalint does not evaluate"
                    .into(),
            );
        }
        for (key, expr) in own {
            let deep = unit.inputs.iter().any(|(k, v)| {
                *k == key && matches!(v, UnitInput::Unknown(r) if r.contains("deep-merged"))
            });
            if !deep {
                set(&mut unit.inputs, key, UnitInput::Expr(expr.clone()));
            }
        }
        found.push((path.clone(), unit));
    }
    found
        .into_iter()
        .filter_map(|(path, unit)| {
            let mut tf = by_path.remove(&path)?;
            tf.unit = Some(unit);
            Some((path.parent().map(Path::to_path_buf).unwrap_or_default(), tf))
        })
        .collect()
}

/// Sets an input, a later one replacing an earlier one of its name.
fn set(inputs: &mut Vec<(String, UnitInput)>, key: String, input: UnitInput) {
    match inputs.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = input,
        None => inputs.push((key, input)),
    }
}
