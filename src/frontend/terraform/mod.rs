//! Terraform front-end: `.tf` files parsed with hcl-edit (which keeps byte
//! spans), variable files (`terraform.tfvars`, `*.auto.tfvars`, their JSON
//! forms, `--var-file`, `--var`), grouped into modules (one folder = one
//! module) and evaluated as module trees: a folder that another scanned
//! folder calls is evaluated through its calls, with their inputs, and not
//! on its own, as Terraform and tflint do.

mod aws;
mod budget;
mod eval;
mod file_functions;
mod functions;
mod instance;
mod json_syntax;
mod known_modules;
mod lower;
mod manifest;
mod module;
pub mod plan;
mod policy_document;
mod services;
mod terragrunt;
mod tree;
mod value;
mod vars;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{BuildContext, Frontend, FrontendOptions, ParseContext, Parsed, Selection};
use crate::diagnostic::{InputError, InputErrorKind};
use crate::model::{Model, Schema, ScopeId};
use crate::source::{CommentSyntax, FileId, SourceFile};

use crate::source::join_lexically;
pub use functions::IMPLEMENTED as IMPLEMENTED_FUNCTIONS;
pub use manifest::{downloaded_files, downloaded_root, is_downloaded, is_manifest};
pub use module::TfFile;
pub use module::is_local_source;
pub use vars::VarsFile;

/// Variable values given on the command line, applied to every root module.
#[derive(Debug, Clone, Default)]
pub struct TerraformOptions {
    /// `--var NAME=VALUE`, in command-line order.
    pub vars: Vec<(String, String)>,
    /// `--var-file FILE`, in command-line order.
    pub var_files: Vec<PathBuf>,
}

/// A parsed Terraform file.
#[derive(Debug)]
pub enum TfParsed {
    Config(TfFile),
    /// An auto-loaded variable file of its folder.
    Vars(VarsFile),
    /// A `--var-file`, applied to every root module.
    ExplicitVars(VarsFile),
    /// `.terraform/modules/modules.json`: where downloaded modules are.
    Manifest(manifest::ModuleManifest),
    /// A Terragrunt configuration (`terragrunt.hcl`, `root.hcl`).
    Terragrunt(TfFile),
}

/// The Terraform front-end (`.tf`, `.tf.json`, variable files, module
/// manifests); plans are [`plan::TerraformPlan`].
pub struct Terraform;

impl Frontend for Terraform {
    fn name(&self) -> &'static str {
        "terraform"
    }

    fn claims(&self, path: &Path) -> bool {
        claims(path)
    }

    /// Terraform's file names in any case: `Main.TF.JSON` is no template
    /// either (Terraform itself reads only the lower-case names).
    fn owns(&self, path: &Path) -> bool {
        claims(path)
            || [".tf.json", ".tofu.json", ".tfvars", ".tfvars.json"]
                .iter()
                .any(|ext| crate::paths::name_ends_with_ignore_case(path, ext))
    }

    /// OpenTofu loads `x.tofu` instead of `x.tf`, and `x.tofu.json`
    /// instead of `x.tf.json`, in one folder (override files too).
    fn replaces(&self, path: &Path) -> Option<PathBuf> {
        let name = crate::paths::file_name_str(path)?;
        let base = name
            .strip_suffix(".tofu")
            .map(|b| format!("{b}.tf"))
            .or_else(|| {
                name.strip_suffix(".tofu.json")
                    .map(|b| format!("{b}.tf.json"))
            })?;
        Some(path.with_file_name(base))
    }

    fn watched(&self) -> &'static [&'static str] {
        &[
            "**/*.{tf,tf.json,tofu,tofu.json,tfvars,tfvars.json}",
            "**/{terragrunt,root}.hcl",
        ]
    }

    fn words(&self) -> &'static [&'static str] {
        // AWS IAM resources and data sources, and the command MFA
        // evidence reads in `local-exec` provisioners.
        &["aws_iam_", "enable-mfa-device"]
    }

    fn selection(&self, path: &Path) -> Selection {
        if is_manifest(path) || terragrunt::is_terragrunt_name(path) {
            Selection::Always
        } else {
            Selection::Folder
        }
    }

    fn parse(
        &self,
        id: FileId,
        file: &SourceFile,
        ctx: &ParseContext<'_>,
    ) -> Result<Option<Parsed>, InputError> {
        use super::Keeping;
        // Override files are kept whole: merging them needs every block.
        let whole = ctx.keeping == Keeping::All || module::is_override_name(&file.path);
        // A configuration without the word `module` calls no module (in
        // HCL syntax a block type is never escaped): it is first parsed,
        // whole, with its folder's group, where a syntax error in it is
        // reported.
        if !whole
            && file_kind(&file.path) == FileKind::HclConfiguration
            && !file.text.contains("module")
        {
            let deferred = TfFile::deferred(id);
            return Ok(Some(Parsed::new(self, TfParsed::Config(deferred))));
        }
        let mut parsed = parse(id, file, ctx.limits, ctx.schema)?;
        if !whole
            && ctx.keeping == Keeping::CallsOnly
            && let TfParsed::Config(tf) = &mut parsed
        {
            tf.keep_only_calls();
        }
        Ok(Some(Parsed::new(self, parsed)))
    }

    fn comments(&self, path: &Path) -> CommentSyntax {
        if crate::syntax::is_json_name(path) {
            CommentSyntax::None
        } else {
            CommentSyntax::HashAndSlashes
        }
    }

    fn follow_ups(&self, parsed: &Parsed, folder: &Path) -> Vec<PathBuf> {
        match parsed.get::<TfParsed>() {
            Some(TfParsed::Terragrunt(tf)) => {
                terragrunt::module_folder(tf, folder).into_iter().collect()
            }
            Some(tf) => local_module_calls(tf, folder),
            None => Vec::new(),
        }
    }

    fn follows_folder(&self, folder: &Path) -> Option<PathBuf> {
        downloaded_root(folder)
    }

    fn extra_files(&self, discovered: &[PathBuf]) -> Vec<PathBuf> {
        downloaded_module_files(discovered)
    }

    fn named_files(&self, options: &FrontendOptions) -> Vec<PathBuf> {
        options.terraform.var_files.clone()
    }

    fn parse_named(&self, id: FileId, file: &SourceFile) -> Result<Parsed, InputError> {
        vars::parse(id, file).map(|v| Parsed::new(self, TfParsed::ExplicitVars(v)))
    }

    fn build(&self, parsed: Vec<Parsed>, ctx: &BuildContext<'_>) -> (Vec<Model>, Vec<InputError>) {
        build(parsed.into_iter().map(Parsed::into_inner).collect(), ctx)
    }
}

/// Modules that `terraform init` downloaded for the Terraform folders
/// found: `.terraform/` is never walked, but its module manifest says which
/// of its folders the configuration calls. One manifest lookup per folder,
/// in parallel (most folders have none, and each lookup is a system call).
fn downloaded_module_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut parents: Vec<&Path> = files
        .par_iter()
        .filter(|f| claims(f) && !is_downloaded(f))
        .filter_map(|f| crate::paths::parent(f))
        .collect();
    // Each folder once, found by its bytes (discovered paths have one
    // spelling; a repeat would only be looked up twice). A walking thread
    // finds a folder's files side by side: adjacent repeats go first.
    parents.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
    parents.par_sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    parents.dedup_by(|a, b| a.as_os_str() == b.as_os_str());
    parents
        .par_iter()
        .flat_map_iter(|folder| downloaded_files(folder, claims))
        .collect()
}

/// Whether discovery picks up this file: configuration (Terraform's and
/// OpenTofu's), and the variable files Terraform loads by itself.
pub fn claims(path: &Path) -> bool {
    let name = crate::paths::file_name(path)
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    is_configuration(&name)
        || vars::is_auto_loaded(&name)
        || manifest::is_manifest(path)
        || terragrunt::is_terragrunt_name(path)
}

/// `.tf`, `.tf.json`, and OpenTofu's `.tofu` and `.tofu.json`.
fn is_configuration(name: &str) -> bool {
    name.ends_with(".tf") || name.ends_with(".tofu") || is_json_configuration(name)
}

fn is_json_configuration(name: &str) -> bool {
    name.ends_with(".tf.json") || name.ends_with(".tofu.json")
}

/// What a Terraform file is, by its name: decided once, for [`parse`]
/// and for what parsing for the calls may skip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    /// `.tfvars`, `.tfvars.json`.
    Vars,
    /// `.terraform/modules/modules.json`.
    Manifest,
    /// `terragrunt.hcl`, `root.hcl`.
    Terragrunt,
    /// `.tf.json`, `.tofu.json`.
    JsonConfiguration,
    /// Any other: `.tf`, `.tofu`.
    HclConfiguration,
}

fn file_kind(path: &Path) -> FileKind {
    let name = crate::paths::file_name(path)
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        FileKind::Vars
    } else if manifest::is_manifest(path) {
        FileKind::Manifest
    } else if terragrunt::is_terragrunt_name(path) {
        FileKind::Terragrunt
    } else if is_json_configuration(&name) {
        FileKind::JsonConfiguration
    } else {
        FileKind::HclConfiguration
    }
}

/// Parses one file: a variable file by its name, else configuration.
///
/// The trees are most of a large scan's memory. The vendored hcl-edit
/// builds each of their lists exactly as long as it needs to be
/// (`vendor/hcl-edit/PATCHED.md`); hcl-edit as published grows them by
/// doubling, which a build from crates.io keeps (a fifth more memory for
/// the trees).
pub fn parse(
    id: FileId,
    file: &SourceFile,
    limits: &super::Limits,
    schema: &Schema,
) -> Result<TfParsed, InputError> {
    let whole = |body| TfFile {
        file: id,
        body,
        spans: None,
        unit: None,
        kept: module::Kept::Whole,
    };
    match file_kind(&file.path) {
        FileKind::Vars => vars::parse(id, file).map(TfParsed::Vars),
        FileKind::Manifest => manifest::parse(id, file, limits.max_nesting).map(TfParsed::Manifest),
        FileKind::Terragrunt => match hcl_edit::parser::parse_body(&file.text) {
            Ok(body) => Ok(TfParsed::Terragrunt(whole(body))),
            Err(err) => Err(hcl_error(id, file, &err)),
        },
        FileKind::JsonConfiguration => {
            parse_json_syntax(id, file, limits.max_nesting, schema).map(TfParsed::Config)
        }
        FileKind::HclConfiguration => parse_hcl_configuration(id, file).map(TfParsed::Config),
    }
}

/// A configuration file in HCL syntax (`.tf`, `.tofu`), whole.
fn parse_hcl_configuration(id: FileId, file: &SourceFile) -> Result<TfFile, InputError> {
    match hcl_edit::parser::parse_body(&file.text) {
        Ok(body) => Ok(TfFile {
            file: id,
            body,
            spans: None,
            unit: None,
            kept: module::Kept::Whole,
        }),
        Err(err) => Err(hcl_error(id, file, &err)),
    }
}

/// A `.tf.json` file, through its HCL rewriting; errors point at the JSON.
fn parse_json_syntax(
    id: FileId,
    file: &SourceFile,
    max_nesting: usize,
    schema: &Schema,
) -> Result<TfFile, InputError> {
    let (hcl, spans) = json_syntax::to_hcl(file, max_nesting, schema).map_err(|e| {
        let kind = if e.limit {
            InputErrorKind::Limit
        } else {
            InputErrorKind::Syntax
        };
        InputError::at(file.display.clone(), id, e.span, e.message).of_kind(kind)
    })?;
    match hcl_edit::parser::parse_body(&hcl) {
        Ok(body) => Ok(TfFile {
            file: id,
            body,
            spans: Some(spans),
            unit: None,
            kept: module::Kept::Whole,
        }),
        Err(err) => {
            // The error is in an expression copied from the JSON: locate it
            // in the rewritten text, then in the JSON.
            let offset = crate::source::floor_char_boundary(&hcl, err.location().offset());
            let range = spans.map(offset..offset);
            Err(InputError::at(
                file.display.clone(),
                id,
                range,
                format!("Terraform expression syntax error: {}", err.message()),
            ))
        }
    }
}

/// The folders a parsed file's module calls with local sources (`./x`,
/// `../x`) designate, relative to `folder` as Terraform resolves them.
pub fn local_module_calls(parsed: &TfParsed, folder: &Path) -> Vec<PathBuf> {
    let TfParsed::Config(tf) = parsed else {
        return Vec::new();
    };
    tf.body
        .blocks()
        .filter(|b| b.ident.as_str() == "module")
        .filter_map(|b| module::literal_source(&b.body))
        .filter(|s| is_local_source(s))
        .map(|s| join_lexically(folder, s))
        .collect()
}

/// A positioned diagnostic for an HCL syntax error.
pub(crate) fn hcl_error(
    id: FileId,
    file: &SourceFile,
    err: &hcl_edit::parser::Error,
) -> InputError {
    // A byte offset: hcl-edit's column counts characters.
    let start = crate::source::floor_char_boundary(&file.text, err.location().offset());
    let end = file.text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    InputError::at(
        file.display.clone(),
        id,
        start..end,
        format!("HCL syntax error: {}", err.message()),
    )
}

/// The files of one folder.
#[derive(Default)]
struct Folder {
    configs: Vec<TfFile>,
    /// Override files, in the order Terraform merges them (by name).
    overrides: Vec<TfFile>,
    /// Auto-loaded variable files, in Terraform's order of precedence.
    auto_vars: Vec<VarsFile>,
}

/// Builds the model of every module tree in the scanned folders. Each root
/// module (a folder no scanned folder calls) is one scope, starting at
/// `first_scope`; returns the models in folder order and the diagnostics.
fn build(files: Vec<TfParsed>, ctx: &BuildContext<'_>) -> (Vec<Model>, Vec<InputError>) {
    let BuildContext {
        options, sources, ..
    } = *ctx;
    let mut manifests: BTreeMap<PathBuf, manifest::ModuleManifest> = BTreeMap::new();
    let mut explicit_vars = Vec::new();
    let mut terragrunt_files = Vec::new();
    // Files come sorted, so a folder's files are mostly adjacent: they are
    // gathered while the folder stays the same, and the runs (mostly in
    // order already: a folder's files are split only by its subfolders')
    // sorted and joined after, rather than each looked up in a map whose
    // paths compare component by component.
    let mut runs: Vec<(PathBuf, Folder)> = Vec::new();
    let mut run: Option<(PathBuf, Folder)> = None;
    for file in files {
        let id = match file {
            TfParsed::Manifest(m) => {
                manifests.insert(m.root.clone(), m);
                continue;
            }
            TfParsed::Terragrunt(tf) => {
                terragrunt_files.push(tf);
                continue;
            }
            TfParsed::ExplicitVars(v) => {
                explicit_vars.push(v);
                continue;
            }
            TfParsed::Config(ref c) => c.file,
            TfParsed::Vars(ref v) => v.file,
        };
        let dir = crate::paths::folder(&sources.get(id).path);
        if run
            .as_ref()
            .is_some_and(|(d, _)| d.as_os_str() != dir.as_os_str())
            && let Some(gathered) = run.take()
        {
            runs.push(gathered);
        }
        let (_, folder) = run.get_or_insert_with(|| (dir.to_path_buf(), Folder::default()));
        match file {
            TfParsed::Config(c) if module::is_override_name(&sources.get(c.file).path) => {
                folder.overrides.push(c)
            }
            TfParsed::Config(c) => folder.configs.push(c),
            TfParsed::Vars(v) => folder.auto_vars.push(v),
            TfParsed::ExplicitVars(_) | TfParsed::Manifest(_) | TfParsed::Terragrunt(_) => {}
        }
    }
    runs.extend(run);
    // Stable: a folder's runs stay in file order.
    runs.sort_by(|(a, _), (b, _)| a.cmp(b));
    let mut joined: Vec<(PathBuf, Folder)> = Vec::with_capacity(runs.len());
    for (dir, gathered) in runs {
        match joined.last_mut() {
            Some((last, folder)) if *last == dir => folder.append(gathered),
            _ => joined.push((dir, gathered)),
        }
    }
    let mut folders: BTreeMap<PathBuf, Folder> = joined.into_iter().collect();
    // Terragrunt units are root modules that call their module; the
    // files they include only lend them inputs.
    let mut errors = Vec::new();
    let mut unit_warnings = Vec::new();
    for (dir, unit) in terragrunt::units(terragrunt_files, sources, &mut unit_warnings) {
        folders.entry(dir).or_default().configs.push(unit);
    }
    errors.extend(settle_deferred(&mut folders, ctx));
    for folder in folders.values_mut() {
        folder
            .auto_vars
            .sort_by_key(|v| vars::precedence(&sources.get(v.file).path));
        folder
            .overrides
            .sort_by(|a, b| sources.get(a.file).path.cmp(&sources.get(b.file).path));
    }
    let LoweredRoots {
        roots,
        mut parts,
        errors: found,
    } = lower_roots(&folders, &manifests, &explicit_vars, &unit_warnings, ctx);
    errors.extend(found);
    options.freeing.free(folders);
    let mut models = Vec::new();
    for (model, problems) in parts.drain(..) {
        models.push(model);
        errors.extend(problems);
    }
    // Warnings about Terragrunt units that are no root module (a unit
    // whose source is not followed): shown all the same.
    let leftover: Vec<InputError> = unit_warnings
        .into_iter()
        .filter(|(dir, _)| !roots.contains(dir))
        .map(|(_, w)| w)
        .collect();
    if !leftover.is_empty() {
        models.push(Model {
            warnings: leftover,
            ..Model::default()
        });
    }
    (models, errors)
}

/// Of each folder whose configuration files parsing all deferred (a
/// folder exists for the scan only if one of its files parses, as when
/// they are parsed first), the smallest files are parsed now, in turn,
/// until one parses, which is kept whole (it is not parsed again). Those
/// that fail are reported and left out, as are folders left with none.
/// Without this, one broken file would be found only once the folders
/// are grouped and their roots numbered.
fn settle_deferred(
    folders: &mut BTreeMap<PathBuf, Folder>,
    ctx: &BuildContext<'_>,
) -> Vec<InputError> {
    let errors: Vec<InputError> = folders
        .par_iter_mut()
        .filter(|(_, folder)| folder.all_deferred())
        .flat_map_iter(|(_, folder)| folder.settle(ctx))
        .collect();
    folders.retain(|_, folder| {
        !folder.configs.is_empty() || !folder.auto_vars.is_empty() || !folder.overrides.is_empty()
    });
    errors
}

/// The root modules, their models (with their problems) in root order,
/// and the diagnostics about the folders.
struct LoweredRoots {
    roots: Vec<PathBuf>,
    parts: Vec<(Model, Vec<InputError>)>,
    errors: Vec<InputError>,
}

/// Indexes the folders, finds the root modules and lowers each (its
/// models in root order, with its problems), parsing the folders again by
/// groups of roots first when parsing deferred files or kept only their
/// calls.
fn lower_roots(
    folders: &BTreeMap<PathBuf, Folder>,
    manifests: &BTreeMap<PathBuf, manifest::ModuleManifest>,
    explicit_vars: &[VarsFile],
    unit_warnings: &[(PathBuf, InputError)],
    ctx: &BuildContext<'_>,
) -> LoweredRoots {
    let sources = ctx.sources;
    // Indexed in parallel: on a scan of many folders this was the largest
    // part of the model's time spent on one thread.
    let indexes: BTreeMap<PathBuf, module::ModuleIndex<'_>> = folders
        .par_iter()
        .map(|(dir, folder)| {
            (
                dir.clone(),
                module::ModuleIndex::new(&folder.configs, &folder.overrides),
            )
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let graph = Graph::new(&indexes);
    // By id, as the graph's: the same order.
    let by_id: Vec<&Folder> = folders.values().collect();
    let roots = graph.roots();
    let lowering = RootLowering {
        manifests,
        explicit_vars,
        unit_warnings,
        ctx,
    };
    let mut errors = Vec::new();
    // When parsing deferred files or kept only their module calls, the
    // folders are parsed (again), whole, by groups of roots that share
    // none with other groups (environments calling one module, Terragrunt
    // units are one group), each group's trees freed once its roots are
    // lowered.
    let reparsing = folders.values().any(Folder::has_partial);
    let parts: Vec<(Model, Vec<InputError>)> = if reparsing {
        let needs: Vec<BTreeSet<usize>> = roots
            .par_iter()
            .map(|&root| graph.needed(root, manifests.get(graph.dirs[root])))
            .collect();
        let mut lowered: Vec<(usize, Model, Vec<InputError>)> = Vec::new();
        let mut reported: Vec<Option<Vec<InputError>>> = (0..by_id.len()).map(|_| None).collect();
        // One task per group: a group is a root's whole parse and lowering,
        // and rayon's default chunks left one core alone with the last of
        // them (40 ms of 50,000 files).
        let groups: Vec<_> = groups_sharing_folders(&needs, by_id.len())
            .par_iter()
            .with_max_len(1)
            .map(|group| {
                let dirs: BTreeSet<usize> =
                    group.iter().flat_map(|&i| &needs[i]).copied().collect();
                // A group may be most of the scan (units of one
                // Terragrunt repository): its folders in parallel.
                let rebuilt: Vec<(usize, Reparsed)> = dirs
                    .into_par_iter()
                    .map(|d| (d, reparse(by_id[d], ctx)))
                    .collect();
                let mut checked: Vec<(usize, Vec<InputError>)> = Vec::new();
                let mut own: BTreeMap<PathBuf, module::ModuleIndex<'_>> = BTreeMap::new();
                for (d, again) in &rebuilt {
                    let index = by_id[*d].index(&again.fresh);
                    let mut found = override_errors(&index, sources);
                    found.extend(again.failed.iter().cloned());
                    checked.push((*d, found));
                    own.insert(graph.dirs[*d].clone(), index);
                }
                let lowered: Vec<(usize, Model, Vec<InputError>)> = group
                    .par_iter()
                    .map(|&i| {
                        let root = roots[i];
                        let (model, problems) =
                            lowering.lower(i, graph.dirs[root], by_id[root], &own);
                        (i, model, problems)
                    })
                    .collect();
                (lowered, checked)
            })
            .collect();
        for (group_lowered, checked) in groups {
            lowered.extend(group_lowered);
            for (d, found) in checked {
                reported[d] = Some(found);
            }
        }
        // Folders no root reads (downloaded modules no manifest names)
        // are checked on their own.
        for (d, folder) in by_id.iter().enumerate() {
            if reported[d].is_none() {
                let again = reparse(folder, ctx);
                let index = folder.index(&again.fresh);
                let mut found = override_errors(&index, sources);
                found.extend(again.failed);
                reported[d] = Some(found);
            }
        }
        errors.extend(reported.into_iter().flatten().flatten());
        lowered.sort_by_key(|(i, _, _)| *i);
        lowered.into_iter().map(|(_, m, p)| (m, p)).collect()
    } else {
        for index in indexes.values() {
            errors.extend(override_errors(index, sources));
        }
        roots
            .par_iter()
            .with_max_len(1)
            .enumerate()
            .map(|(i, &root)| lowering.lower(i, graph.dirs[root], by_id[root], &indexes))
            .collect()
    };
    LoweredRoots {
        roots: roots.iter().map(|&root| graph.dirs[root].clone()).collect(),
        parts,
        errors,
    }
}

impl Folder {
    /// Adds `other`'s files after this folder's own.
    fn append(&mut self, other: Folder) {
        self.configs.extend(other.configs);
        self.overrides.extend(other.overrides);
        self.auto_vars.extend(other.auto_vars);
    }

    /// Whether some file of the folder was deferred or parsed for its
    /// calls only.
    fn has_partial(&self) -> bool {
        self.configs.iter().any(TfFile::partial)
    }

    /// Whether the folder holds only configuration files that parsing
    /// deferred (see [`settle_deferred`]).
    fn all_deferred(&self) -> bool {
        self.overrides.is_empty()
            && self.auto_vars.is_empty()
            && !self.configs.is_empty()
            && self
                .configs
                .iter()
                .all(|tf| tf.kept == module::Kept::Deferred)
    }

    /// Parses the folder's files, smallest first, until one parses, which
    /// is kept whole; those that fail are left out, with their errors.
    fn settle(&mut self, ctx: &BuildContext<'_>) -> Vec<InputError> {
        let mut order: Vec<usize> = (0..self.configs.len()).collect();
        order.sort_by_key(|&i| (ctx.sources.get(self.configs[i].file).text.len(), i));
        let mut errors = Vec::new();
        let mut failed = vec![false; self.configs.len()];
        for i in order {
            let id = self.configs[i].file;
            match parse_hcl_configuration(id, ctx.sources.get(id)) {
                Ok(whole) => {
                    self.configs[i] = whole;
                    break;
                }
                Err(error) => {
                    errors.push(error);
                    failed[i] = true;
                }
            }
        }
        let mut nth = 0;
        self.configs.retain(|_| {
            nth += 1;
            !failed[nth - 1]
        });
        errors
    }

    /// The folder's module index from its files whole: each partial one
    /// as `fresh` (from [`reparse`], in the same order) holds it.
    fn index<'a>(&'a self, fresh: &'a [Option<TfFile>]) -> module::ModuleIndex<'a> {
        let whole = self
            .configs
            .iter()
            .zip(fresh)
            .filter_map(|(kept, fresh)| fresh.as_ref().or((!kept.partial()).then_some(kept)));
        module::ModuleIndex::new(whole, &self.overrides)
    }
}

/// A folder's partial files (deferred, or kept for their calls only)
/// parsed whole.
struct Reparsed {
    /// Each, whole, in the folder's order (`None` for a file kept whole
    /// or that fails).
    fresh: Vec<Option<TfFile>>,
    /// The errors of those that fail.
    failed: Vec<InputError>,
}

/// The partial files of a folder parsed whole: for the first time those
/// that parsing deferred (they hold no `module` block), again those kept
/// for their calls.
fn reparse(folder: &Folder, ctx: &BuildContext<'_>) -> Reparsed {
    let limits = &ctx.options.limits;
    let mut errors = Vec::new();
    let fresh = folder
        .configs
        .iter()
        .map(|kept| {
            if !kept.partial() {
                return None;
            }
            let file = ctx.sources.get(kept.file);
            match parse(kept.file, file, limits, ctx.schema) {
                Ok(TfParsed::Config(tf)) => Some(tf),
                Ok(_) => None,
                Err(error) => {
                    errors.push(error);
                    None
                }
            }
        })
        .collect();
    Reparsed {
        fresh,
        failed: errors,
    }
}

/// What lowering a root module needs besides the module indexes.
struct RootLowering<'a> {
    manifests: &'a BTreeMap<PathBuf, manifest::ModuleManifest>,
    explicit_vars: &'a [VarsFile],
    unit_warnings: &'a [(PathBuf, InputError)],
    ctx: &'a BuildContext<'a>,
}

impl RootLowering<'_> {
    /// The model of the root module `folder` in `dir`, the `i`th root (its
    /// scope follows), and its problems.
    fn lower(
        &self,
        i: usize,
        dir: &PathBuf,
        folder: &Folder,
        indexes: &BTreeMap<PathBuf, module::ModuleIndex<'_>>,
    ) -> (Model, Vec<InputError>) {
        let BuildContext {
            options,
            sources,
            schema,
            first_scope,
        } = *self.ctx;
        let mut problems = Vec::new();
        let index = &indexes[dir];
        let mut inputs = BTreeMap::new();
        for vars_file in folder.auto_vars.iter().chain(self.explicit_vars) {
            inputs.extend(vars_file.values.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        for (name, raw) in &options.terraform.vars {
            inputs.insert(name.clone(), vars::from_command_line(index, name, raw));
        }
        let downloads = self.manifests.get(dir).map(|m| &m.dirs);
        let tree = tree::Tree::new(
            indexes,
            dir.clone(),
            inputs,
            downloads,
            &options.readable_roots,
        );
        let mut model = Model::default();
        model.warnings.extend(
            self.unit_warnings
                .iter()
                .filter(|(unit, _)| unit == dir)
                .map(|(_, w)| w.clone()),
        );
        let scope = ScopeId(first_scope + i as u32);
        lower::lower_tree(scope, &tree, sources, schema, &mut model, &mut problems);
        let mut read = tree.inputs();
        read.extend(
            self.explicit_vars
                .iter()
                .map(|v| sources.get(v.file).path.clone()),
        );
        if let Some(m) = self.manifests.get(dir) {
            read.insert(sources.get(m.file).path.clone());
        }
        model.scope_inputs.push((scope, read));
        (model, problems)
    }
}

/// Roots grouped so that no two groups need a common folder (by index in
/// `needs`, each group in order, groups by their first root), of the
/// `folders` folders of the graph.
fn groups_sharing_folders(needs: &[BTreeSet<usize>], folders: usize) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..needs.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_user: Vec<Option<usize>> = vec![None; folders];
    for (i, dirs) in needs.iter().enumerate() {
        for &dir in dirs {
            match first_user[dir] {
                Some(j) => {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
                None => first_user[dir] = Some(i),
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..needs.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    groups.into_values().collect()
}

/// Override blocks that could not be merged, as diagnostics.
fn override_errors(
    index: &module::ModuleIndex<'_>,
    sources: &crate::source::SourceMap,
) -> Vec<InputError> {
    use hcl_edit::Span as _;
    index
        .override_problems
        .iter()
        .map(|(part, message)| {
            let header = part.block.ident.span().unwrap_or(0..0);
            let span = part.span(header);
            InputError::at(
                sources.get(span.file).display.clone(),
                span.file,
                span.range(),
                message.clone(),
            )
            .of_kind(InputErrorKind::Reference)
        })
        .collect()
}

/// The scanned folders as a graph over ids, their order in the indexes
/// (by path): root selection and grouping compare numbers. Paths compare
/// component by component; on 5,000 folders that was 40 ms on one thread.
struct Graph<'a> {
    /// Folder paths by id.
    dirs: Vec<&'a PathBuf>,
    /// The scanned folders each folder's module blocks call with a local
    /// `source`.
    calls: Vec<Vec<usize>>,
    /// Whether the folder is a module `terraform init` downloaded.
    downloaded: Vec<bool>,
    ids: std::collections::HashMap<&'a Path, usize>,
}

impl<'a> Graph<'a> {
    fn new(indexes: &'a BTreeMap<PathBuf, module::ModuleIndex<'_>>) -> Self {
        let dirs: Vec<&PathBuf> = indexes.keys().collect();
        let ids: std::collections::HashMap<&Path, usize> = dirs
            .iter()
            .enumerate()
            .map(|(i, dir)| (dir.as_path(), i))
            .collect();
        let (calls, downloaded) = indexes
            .par_iter()
            .map(|(dir, index)| {
                let calls = index
                    .calls
                    .values()
                    .filter_map(module::ModuleIndex::call_source)
                    .filter(|s| is_local_source(s))
                    .filter_map(|s| ids.get(join_lexically(dir, s).as_path()).copied())
                    .collect();
                (calls, manifest::is_downloaded(dir))
            })
            .unzip();
        Graph {
            dirs,
            calls,
            downloaded,
            ids,
        }
    }

    /// Marks (with `mark`, which says whether the folder is new) the
    /// folders `stack` holds and what their local calls reach.
    fn reach(&self, mut stack: Vec<usize>, mut mark: impl FnMut(usize) -> bool) {
        while let Some(dir) = stack.pop() {
            if mark(dir) {
                stack.extend(&self.calls[dir]);
            }
        }
    }

    /// Folders that are evaluated on their own: those no scanned folder
    /// calls with a local `source`, plus any folder only reachable through
    /// a cycle (so that a module calling itself still gets its
    /// diagnostic); in order.
    fn roots(&self) -> Vec<usize> {
        let mut called = vec![false; self.dirs.len()];
        for &target in self.calls.iter().flatten() {
            called[target] = true;
        }
        // Downloaded modules are evaluated only through the calls that the
        // manifest ties them to.
        let mut roots: Vec<usize> = (0..self.dirs.len())
            .filter(|&d| !called[d] && !self.downloaded[d])
            .collect();
        let mut reached = vec![false; self.dirs.len()];
        let mut mark = |d: usize| !std::mem::replace(&mut reached[d], true);
        self.reach(roots.clone(), &mut mark);
        for dir in 0..self.dirs.len() {
            if !self.downloaded[dir] && mark(dir) {
                roots.push(dir);
                self.reach(self.calls[dir].clone(), &mut mark);
            }
        }
        roots.sort_unstable();
        roots
    }

    /// The folders a root module's tree may read: those its local calls
    /// reach, and the modules its manifest says `terraform init`
    /// downloaded (and what they call), as [`tree::Tree`] follows them.
    fn needed(&self, root: usize, manifest: Option<&manifest::ModuleManifest>) -> BTreeSet<usize> {
        let mut starts = vec![root];
        if let Some(manifest) = manifest {
            starts.extend(
                manifest
                    .dirs
                    .values()
                    .filter_map(|dir| self.ids.get(dir.as_path()).copied()),
            );
        }
        let mut needed = BTreeSet::new();
        self.reach(starts, |d| needed.insert(d));
        needed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AttachmentTarget, Link, PolicyDocument, PolicyOwner};

    fn lower_text(text: &str) -> Model {
        let sources =
            crate::source::SourceMap::new(vec![SourceFile::new("m/main.tf".into(), text)]);
        let schema = Schema::default();
        let parsed = parse(
            FileId(0),
            sources.get(FileId(0)),
            &Default::default(),
            &schema,
        )
        .expect("valid HCL");
        let options = crate::frontend::FrontendOptions::default();
        let ctx = BuildContext {
            options: &options,
            sources: &sources,
            schema: &schema,
            first_scope: 0,
        };
        let (mut models, errors) = build(vec![parsed], &ctx);
        assert!(errors.is_empty(), "{errors:?}");
        models.remove(0)
    }

    fn address(link: &Link) -> &str {
        match link {
            Link::Address { address, .. } => address,
            other => panic!("expected an address link, got {other:?}"),
        }
    }

    #[test]
    fn groups_memberships_policies_and_attachments_enter_the_model() {
        let model = lower_text(
            r#"
            resource "aws_iam_user" "a" { name = "alice" }
            resource "aws_iam_group" "admins" { name = "admins" }
            resource "aws_iam_user_group_membership" "a" {
              user   = aws_iam_user.a.name
              groups = [aws_iam_group.admins.name, "auditors"]
            }
            resource "aws_iam_policy" "mfa" {
              name   = "force-mfa"
              policy = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            resource "aws_iam_group_policy_attachment" "mfa" {
              group      = aws_iam_group.admins.name
              policy_arn = aws_iam_policy.mfa.arn
            }
            resource "aws_iam_user_policy" "inline" {
              user   = "alice"
              policy = data.aws_iam_policy_document.x.json
            }
            "#,
        );
        assert_eq!(model.users.len(), 1);
        assert_eq!(model.groups[0].name.known(), Some("admins"));
        let groups: Vec<&Link> = model.group_memberships.iter().map(|m| &m.group).collect();
        assert_eq!(address(groups[0]), "aws_iam_group.admins");
        assert!(matches!(groups[1], Link::Name { name, .. } if name == "auditors"));
        assert_eq!(
            address(&model.group_memberships[0].users[0]),
            "aws_iam_user.a"
        );

        let managed = model
            .policies
            .iter()
            .find(|p| matches!(p.owner, PolicyOwner::Managed))
            .expect("managed policy");
        match &managed.document {
            PolicyDocument::Json { text, .. } => {
                assert_eq!(text, r#"{"Statement":[],"Version":"2012-10-17"}"#)
            }
            other => panic!("expected JSON, got {other:?}"),
        }
        let inline = model
            .policies
            .iter()
            .find(|p| matches!(p.owner, PolicyOwner::User(_)))
            .expect("inline policy");
        assert!(matches!(inline.document, PolicyDocument::Unresolved(_)));

        let attachment = &model.policy_attachments[0];
        assert_eq!(address(&attachment.policy), "aws_iam_policy.mfa");
        assert!(
            matches!(&attachment.targets[0], AttachmentTarget::Group(l) if address(l) == "aws_iam_group.admins")
        );
    }

    #[test]
    fn a_missing_argument_is_unresolved_not_dropped() {
        let model = lower_text(r#"resource "aws_iam_user_login_profile" "x" {}"#);
        match &model.login_profiles[0].user {
            Link::Unresolved(u) => assert!(u.reason.contains("`user` argument is missing")),
            other => panic!("expected unresolved, got {other:?}"),
        }
    }

    #[test]
    fn roots_that_share_a_folder_are_parsed_again_together() {
        // Folders by id: a, b, c, d, e, other, shared.
        let (a, b, c, d, e, other, shared) = (0, 1, 2, 3, 4, 5, 6);
        let set = |dirs: &[usize]| -> BTreeSet<usize> { dirs.iter().copied().collect() };
        let needs = vec![
            set(&[a, shared]),
            set(&[b]),
            set(&[c, other]),
            set(&[d, shared, other]),
            set(&[e]),
        ];
        assert_eq!(
            groups_sharing_folders(&needs, 7),
            vec![vec![0, 2, 3], vec![1], vec![4]]
        );
        assert!(groups_sharing_folders(&[], 0).is_empty());
    }

    #[test]
    fn parse_errors_carry_their_position() {
        let file = SourceFile::new("bad.tf".into(), "a = {\n  b = = 1\n}\n");
        let err = parse(FileId(0), &file, &Default::default(), &Schema::default())
            .expect_err("invalid HCL");
        let span = err.span.expect("positioned");
        let pos = file.position(span.start);
        assert_eq!((pos.line, pos.column), (2, 7));
        assert!(err.message.starts_with("HCL syntax error"));
    }
}
