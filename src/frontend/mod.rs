//! Front-ends: one per input format. Each turns files into facts of the
//! IAM model, with spans, and knows nothing of rules (what the rules read
//! comes in as a `Schema`) nor of other front-ends.
//!
//! Everything format-specific that the pipeline needs is asked of the
//! [`Frontend`] trait: which files a format claims by name, what in a
//! file's bytes makes it worth parsing, parsing with content sniffing,
//! the folders a parsed file reaches (module calls), files beyond those
//! discovered (downloaded modules, `--var-file`), and lowering into model
//! scopes. Discovery, the pre-filter, the scan and the language server
//! ask [`FRONTENDS`] instead of knowing formats. To add a format: a module
//! implementing [`Frontend`], and one line in [`FRONTENDS`].

pub mod cloudformation;
pub mod credential_report;
pub mod pulumi;
pub mod terraform;

use std::any::Any;
use std::path::{Path, PathBuf};

use crate::diagnostic::InputError;
use crate::model::{Model, Schema};
use crate::source::{CommentSyntax, FileId, SourceFile, SourceMap};

/// A front-end: one input format, from file names to model scopes.
pub trait Frontend: Sync {
    /// Short name, as in messages.
    fn name(&self) -> &'static str;

    /// Whether a file may be of this format, judged by its name; discovery
    /// keeps what some front-end claims. Several may claim a file (a
    /// `.json` file may be a plan or a template): each in turn parses it
    /// until one recognises its content.
    fn claims(&self, path: &Path) -> bool;

    /// Whether the file is of this front-end's kind, so that no other
    /// front-end reads it, whatever its extension says, even when this
    /// one does not claim it (Terraform's `.tf.json` is JSON but no
    /// template, and a `prod.tfvars.json` is read only when `--var-file`
    /// names it).
    fn owns(&self, _path: &Path) -> bool {
        false
    }

    /// The file this one replaces when both are in a folder, which is then
    /// not read at all (OpenTofu loads `x.tofu` and ignores `x.tf`).
    fn replaces(&self, _path: &Path) -> Option<PathBuf> {
        None
    }

    /// File name patterns whose changes the language server asks the
    /// editor to report.
    fn watched(&self) -> &'static [&'static str];

    /// Words of what this front-end reads itself (beside the resource
    /// types the rules read): a file that mentions none is not parsed
    /// under [`Selection::File`] and [`Selection::Folder`].
    fn words(&self) -> &'static [&'static str];

    /// How the pre-filter decides whether a claimed file is parsed.
    fn selection(&self, path: &Path) -> Selection;

    /// Parses a file; `Ok(None)` when its content shows it is not of this
    /// format after all (a JSON file that is no template), and the next
    /// front-end that claims it tries.
    fn parse(
        &self,
        id: FileId,
        file: &SourceFile,
        ctx: &ParseContext<'_>,
    ) -> Result<Option<Parsed>, InputError>;

    /// Folders a parsed file reaches whose files must be parsed too,
    /// whatever they mention (the local modules a Terraform file calls).
    fn follow_ups(&self, _parsed: &Parsed, _folder: &Path) -> Vec<PathBuf> {
        Vec::new()
    }

    /// A folder whose files are parsed whenever `folder`'s are, when
    /// `folder` holds files only reached through it (a module Terraform
    /// downloaded under `<root>/.terraform/`: its root).
    fn follows_folder(&self, _folder: &Path) -> Option<PathBuf> {
        None
    }

    /// Files that belong to the scan beside those discovered (the modules
    /// `terraform init` downloaded for the configurations found).
    fn extra_files(&self, _discovered: &[PathBuf]) -> Vec<PathBuf> {
        Vec::new()
    }

    /// Files the options name for this front-end, to read and parse with
    /// [`Frontend::parse_named`] whatever their name (`--var-file`).
    fn named_files(&self, _options: &FrontendOptions) -> Vec<PathBuf> {
        Vec::new()
    }

    /// Parses a file of [`Frontend::named_files`] (only a front-end that
    /// names files is asked).
    fn parse_named(&self, _id: FileId, file: &SourceFile) -> Result<Parsed, InputError> {
        Err(InputError::file(
            file.display.clone(),
            format!("the {} front-end reads no named files", self.name()),
        ))
    }

    /// How files of this name write comments (where exception comments
    /// can be).
    fn comments(&self, path: &Path) -> CommentSyntax;

    /// Lowers this front-end's parsed files into model scopes, numbered
    /// from `ctx.first_scope`: one model per scope, in a stable order.
    fn build(&self, parsed: Vec<Parsed>, ctx: &BuildContext<'_>) -> (Vec<Model>, Vec<InputError>);
}

/// How the pre-filter selects a claimed file for parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// When the file mentions a checked word.
    File,
    /// With its whole folder, as soon as one of the folder's files of
    /// this kind mentions a checked word or calls a module (a Terraform
    /// module: its variables and locals feed the links).
    Folder,
    /// Always (a module manifest, a credential report: cheap, and every
    /// row counts).
    Always,
}

/// The front-end registry, consulted in order: for claims and content
/// sniffing (a `.json` file is tried as a plan before a template), and
/// for scope numbering.
pub const FRONTENDS: &[&dyn Frontend] = &[
    &terraform::Terraform,
    &terraform::plan::TerraformPlan,
    &cloudformation::CloudFormation,
    &credential_report::CredentialReports,
    &pulumi::Pulumi,
];

/// The front-ends that claim a file, as a set of positions in
/// [`FRONTENDS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Claims(u32);

impl Claims {
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The claiming front-ends, in registry order.
    pub fn iter(self) -> impl Iterator<Item = &'static dyn Frontend> {
        FRONTENDS
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, f)| *f)
    }

    /// Whether a front-end that selects whole folders claims the file.
    pub fn reads_folders(self, path: &Path) -> bool {
        self.iter().any(|f| f.selection(path) == Selection::Folder)
    }
}

/// Which front-ends claim a file by its name.
pub fn claims_of(path: &Path) -> Claims {
    if let Some(i) = FRONTENDS.iter().position(|f| f.owns(path)) {
        return Claims(u32::from(FRONTENDS[i].claims(path)) << i);
    }
    let mut set = 0;
    for (i, f) in FRONTENDS.iter().enumerate() {
        if f.claims(path) {
            set |= 1 << i;
        }
    }
    Claims(set)
}

/// The files without those another file of the list replaces (OpenTofu's
/// `x.tofu` replaces `x.tf`), in the same order; and each file left out,
/// with the one that replaces it.
pub fn without_replaced(files: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<(PathBuf, PathBuf)>) {
    use rayon::prelude::*;
    let replacing: Vec<(PathBuf, &PathBuf)> = files
        .par_iter()
        .filter_map(|f| Some((claims_of(f).iter().find_map(|fe| fe.replaces(f))?, f)))
        .collect();
    if replacing.is_empty() {
        return (files, Vec::new());
    }
    // Only then the set of every file (hashing a path walks its components).
    let present: std::collections::HashSet<&PathBuf> = files.iter().collect();
    let replaced: std::collections::HashMap<PathBuf, PathBuf> = replacing
        .into_iter()
        .filter(|(old, _)| present.contains(old))
        .map(|(old, f)| (old, f.clone()))
        .collect();
    if replaced.is_empty() {
        return (files, Vec::new());
    }
    let mut left_out = Vec::new();
    let kept = files
        .into_iter()
        .filter(|f| match replaced.get(f) {
            Some(by) => {
                left_out.push((f.clone(), by.clone()));
                false
            }
            None => true,
        })
        .collect();
    (kept, left_out)
}

/// Whether some front-end reads files of this name.
pub fn is_read(path: &Path) -> bool {
    !claims_of(path).is_empty()
}

/// How a file writes comments: as the first front-end that claims it and
/// knows comments in it says (a `.yaml` file is no plan, which has none,
/// but may be a template); its owner's when only named on the command
/// line (`--var-file prod.tfvars`); none when no front-end reads it.
pub fn comment_syntax(path: &Path) -> CommentSyntax {
    let claimed = claims_of(path)
        .iter()
        .map(|f| f.comments(path))
        .find(|c| *c != CommentSyntax::None);
    claimed
        .or_else(|| {
            FRONTENDS
                .iter()
                .find(|f| f.owns(path))
                .map(|f| f.comments(path))
        })
        .unwrap_or(CommentSyntax::None)
}

/// The file name patterns every front-end watches.
pub fn watched() -> Vec<&'static str> {
    FRONTENDS
        .iter()
        .flat_map(|f| f.watched())
        .copied()
        .collect()
}

/// The words every front-end reads itself.
pub fn words() -> impl Iterator<Item = &'static str> {
    FRONTENDS.iter().flat_map(|f| f.words()).copied()
}

/// Files beyond those discovered that the front-ends add.
pub fn extra_files(discovered: &[PathBuf]) -> Vec<PathBuf> {
    FRONTENDS
        .iter()
        .flat_map(|f| f.extra_files(discovered))
        .collect()
}

/// What parsing needs besides the file.
pub struct ParseContext<'a> {
    pub limits: &'a Limits,
    /// What the rules read (`crate::rules::schema`).
    pub schema: &'a Schema,
    /// How much of each syntax tree to keep until the model is built
    /// ([`Trees`]).
    pub keeping: Keeping,
}

/// How much of each Terraform file's syntax tree parsing keeps until the
/// model is built, as [`Trees`] chooses for a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    /// Every tree, whole.
    All,
    /// A file without the word `module` calls no module, so it tells
    /// nothing about which folders are root modules: it is first parsed
    /// when its root module's group is built, and freed with the group.
    /// The others are kept whole.
    Deferred,
    /// As `Deferred`, and of the others only their `module` blocks (they
    /// are parsed again, whole, with their group).
    CallsOnly,
}

/// Whether syntax trees are kept from parsing to lowering, or parsed when
/// the model is built (Terraform's, by groups of root modules that share
/// no folder, each group's trees freed once it is lowered). Trees take
/// about 20 bytes per byte of Terraform, so holding every tree of 50,000
/// files took 150 of the scan's 250 MB (91 MB in all when parsed again).
///
/// Which folders are root modules only depends on the files that call
/// modules, so the others (most files: a file without the word `module`)
/// are parsed once, late, with their group ([`Keeping::Deferred`]): the
/// memory of one group's trees is reused by the next while warm, instead
/// of every tree's memory being fresh (10,000-file benchmark tree: 46 ->
/// 28 MB, and faster; benches/README.md). The files that do call modules
/// are kept whole, unless the scan is large, where only their calls are
/// kept and they are parsed a second time with their group: one more
/// parse of those files, for bounded memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Trees {
    /// [`Keeping::CallsOnly`] when the files the pre-filter first selects
    /// (before the folders module calls add) hold more than
    /// [`Trees::CALLS_ONLY_ABOVE`] bytes, [`Keeping::Deferred`] otherwise.
    #[default]
    Auto,
    /// [`Keeping::All`].
    Keep,
    /// [`Keeping::Deferred`].
    Defer,
    /// [`Keeping::CallsOnly`].
    Reparse,
}

impl Trees {
    /// Selected bytes above which only the calls of files that call
    /// modules are kept: about 80 MB of trees.
    pub const CALLS_ONLY_ABOVE: u64 = 4 << 20;

    /// `MFALINT_TREES=keep`, `defer` or `reparse` forces a way (to compare
    /// them: `benches/same-output.sh`; not a stable interface), else
    /// `Auto`.
    pub fn from_env() -> Self {
        match std::env::var("MFALINT_TREES").as_deref() {
            Ok("keep") => Trees::Keep,
            Ok("defer") => Trees::Defer,
            Ok("reparse") => Trees::Reparse,
            _ => Trees::Auto,
        }
    }

    /// How much to keep, for scans whose selected files hold
    /// `selected_bytes`.
    pub fn keeping(self, selected_bytes: u64) -> Keeping {
        match self {
            Trees::Auto if selected_bytes > Self::CALLS_ONLY_ABOVE => Keeping::CallsOnly,
            Trees::Auto => Keeping::Deferred,
            Trees::Keep => Keeping::All,
            Trees::Defer => Keeping::Deferred,
            Trees::Reparse => Keeping::CallsOnly,
        }
    }
}

/// What lowering needs besides the parsed files.
pub struct BuildContext<'a> {
    pub options: &'a FrontendOptions,
    pub sources: &'a SourceMap,
    /// What the rules read (`crate::rules::schema`).
    pub schema: &'a Schema,
    /// The first scope id this front-end numbers from (scopes of
    /// different front-ends must not overlap).
    pub first_scope: u32,
}

/// One file after parsing: what its front-end made of it, opaque to the
/// rest of the pipeline, and the warnings about how it was read.
pub struct Parsed {
    /// The front-end's position in [`FRONTENDS`].
    frontend: usize,
    data: Box<dyn Any + Send + Sync>,
    /// What was read leniently, as the format's own tools read it (a
    /// duplicate YAML key): reported, but no error.
    pub warnings: Vec<InputError>,
}

impl Parsed {
    /// Wraps a front-end's parse result; `of` is the front-end itself.
    pub fn new<T: Any + Send + Sync>(of: &dyn Frontend, data: T) -> Self {
        let frontend = FRONTENDS
            .iter()
            .position(|f| f.name() == of.name())
            .expect("a registered front-end");
        Parsed {
            frontend,
            data: Box::new(data),
            warnings: Vec::new(),
        }
    }

    pub fn with_warnings(mut self, warnings: Vec<InputError>) -> Self {
        self.warnings = warnings;
        self
    }

    /// The front-end that made it.
    pub fn frontend(&self) -> &'static dyn Frontend {
        FRONTENDS[self.frontend]
    }

    /// The front-end's own result, when it is of type `T`.
    pub fn get<T: Any>(&self) -> Option<&T> {
        self.data.downcast_ref()
    }

    /// The front-end's own result; its front-end's `build` calls this on
    /// what its `parse` made, so a wrong type is a defect.
    pub fn into_inner<T: Any>(self) -> T {
        match self.data.downcast() {
            Ok(data) => *data,
            Err(_) => panic!(
                "{} was given a parse result of another type",
                FRONTENDS[self.frontend].name()
            ),
        }
    }
}

impl std::fmt::Debug for Parsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parsed")
            .field("frontend", &FRONTENDS[self.frontend].name())
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// Bounds on what one input may cost; each is a diagnostic when exceeded,
/// never a crash. Set with `--max-file-size`, `--max-nesting` and
/// `--max-yaml-aliases`, or the `[limits]` table of `.mfalint.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files larger than this are reported and skipped, not read.
    pub max_file_bytes: u64,
    /// JSON and YAML documents nested deeper than this are rejected before
    /// any recursive parser sees them. (HCL's own parser stops at 64.)
    pub max_nesting: usize,
    /// Nodes YAML aliases may expand to in one file, against "billion
    /// laughs" (ten anchors of ten aliases each: 10^10 nodes).
    pub max_yaml_aliases: usize,
}

/// A limit users may set: its settings key (`[limits]`), its flag, what
/// it bounds, and the values it may take. A value out of range is a usage
/// error, never a limit taken as given: `--max-file-size` of 2^64 - 1
/// made every file read as empty, and an alias budget of as much is a
/// "billion laughs" let through.
#[derive(Debug, Clone, Copy)]
pub struct Bound {
    pub key: &'static str,
    pub flag: &'static str,
    pub what: &'static str,
    pub min: u64,
    pub max: u64,
}

impl Bound {
    /// `Err` says why `value` is refused (the caller says where it was set).
    pub fn check(&self, value: u64) -> Result<(), String> {
        if (self.min..=self.max).contains(&value) {
            Ok(())
        } else {
            Err(format!(
                "{} must be from {} to {}",
                self.what, self.min, self.max
            ))
        }
    }
}

impl Limits {
    /// A file of at least a byte, at most 4 GiB - 1 (positions in a file
    /// are 32-bit byte offsets).
    pub const FILE_SIZE: Bound = Bound {
        key: "max_file_size",
        flag: "--max-file-size",
        what: "the file size limit (bytes)",
        min: 1,
        max: u32::MAX as u64,
    };
    /// At least one level; past 1,000 no parser goes (jsonc-parser and
    /// saphyr stop at 512 and below), and a deeper tree built by YAML
    /// aliases would only risk the stack.
    pub const NESTING: Bound = Bound {
        key: "max_nesting",
        flag: "--max-nesting",
        what: "the nesting limit (levels)",
        min: 1,
        max: 1_000,
    };
    /// No alias expansion at all (0) to 10,000,000 nodes, a hundred times
    /// the default.
    pub const YAML_ALIASES: Bound = Bound {
        key: "max_yaml_aliases",
        flag: "--max-yaml-aliases",
        what: "the YAML alias budget (nodes)",
        min: 0,
        max: 10_000_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 32 * 1024 * 1024,
            max_nesting: 200,
            max_yaml_aliases: 100_000,
        }
    }
}

/// Parses a file with the front-ends that claim it, in registry order,
/// until one recognises its content; `Ok(None)` when none does.
pub fn parse(
    claims: Claims,
    id: FileId,
    file: &SourceFile,
    ctx: &ParseContext<'_>,
) -> Result<Option<Parsed>, InputError> {
    for frontend in claims.iter() {
        if let Some(parsed) = frontend.parse(id, file, ctx)? {
            return Ok(Some(parsed));
        }
    }
    Ok(None)
}

/// Options that change how front-ends read their inputs.
#[derive(Debug, Clone, Default)]
pub struct FrontendOptions {
    pub terraform: terraform::TerraformOptions,
    pub limits: Limits,
    pub freeing: Freeing,
    pub trees: Trees,
    /// Canonical folders that file functions (Terraform's `file()` and
    /// `templatefile()`) may read: the scanned folders; empty means none.
    pub readable_roots: Vec<PathBuf>,
}

/// Where the syntax trees are freed once the model is built. Freeing them
/// node by node takes as long as a phase of the scan (9-15 ms for the
/// 10,000-file benchmark tree, 25-34 ms for the shared corpus).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Freeing {
    /// Before the model is returned: memory comes back when the call ends,
    /// as a library user, the language server and the fuzzers need (a
    /// thread per scan made the fuzzers ten times slower, and its
    /// thread-local registration looked like a leak to LeakSanitizer).
    #[default]
    Here,
    /// On a thread of its own, off the path to the findings: for a process
    /// that exits after one scan (the command line).
    InBackground,
}

impl Freeing {
    pub(crate) fn free<T: Send + 'static>(self, trees: T) {
        if self == Freeing::InBackground {
            // If no thread can be started, the closure, trees included,
            // is dropped here.
            let _ = std::thread::Builder::new()
                .name("mfalint-free".into())
                .spawn(move || drop(trees));
        }
    }
}

/// Groups parsed files by front-end and lowers each front-end's, in
/// registry order and with scope ids that do not overlap, into one model.
pub fn build_model(
    parsed: Vec<Parsed>,
    options: &FrontendOptions,
    sources: &SourceMap,
    schema: &Schema,
) -> (Model, Vec<InputError>) {
    let mut by_frontend: Vec<Vec<Parsed>> = FRONTENDS.iter().map(|_| Vec::new()).collect();
    for file in parsed {
        by_frontend[file.frontend].push(file);
    }
    let mut parts: Vec<Model> = Vec::new();
    let mut errors = Vec::new();
    for (frontend, files) in FRONTENDS.iter().zip(by_frontend) {
        let ctx = BuildContext {
            options,
            sources,
            schema,
            first_scope: parts.len() as u32,
        };
        let (models, problems) = frontend.build(files, &ctx);
        parts.extend(models);
        errors.extend(problems);
    }
    (Model::concat(parts), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claimants(path: &str) -> Vec<&'static str> {
        claims_of(Path::new(path))
            .iter()
            .map(|f| f.name())
            .collect()
    }

    #[test]
    fn front_end_names_are_unique() {
        let mut names: Vec<&str> = FRONTENDS.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FRONTENDS.len());
    }

    #[test]
    fn overlapping_claims_are_tried_in_registry_order() {
        assert_eq!(
            claimants("a/plan.json"),
            ["terraform-plan", "cloudformation", "pulumi"]
        );
        assert_eq!(
            claimants("a/Pulumi.yaml"),
            ["terraform-plan", "cloudformation", "pulumi"]
        );
        assert_eq!(claimants("a/main.tf.json"), ["terraform"]);
        assert_eq!(claimants("a/main.tofu.json"), ["terraform"]);
        assert_eq!(claimants("a/main.tofu"), ["terraform"]);
        assert_eq!(claimants("a/prod.tfvars.json"), Vec::<&str>::new());
        assert_eq!(claimants("a/terraform.tfvars.json"), ["terraform"]);
        assert_eq!(claimants("a/t.yaml"), ["terraform-plan", "cloudformation"]);
        assert_eq!(claimants("a/Main.TF.JSON"), Vec::<&str>::new());
        assert_eq!(claimants("a/report.csv"), ["credential-report"]);
        assert!(claimants("a/README.md").is_empty());
    }

    #[test]
    fn comment_syntax_is_the_format_s() {
        let syntax = |p: &str| comment_syntax(Path::new(p));
        assert_eq!(syntax("a/main.tf"), CommentSyntax::HashAndSlashes);
        assert_eq!(syntax("a/main.tofu"), CommentSyntax::HashAndSlashes);
        // Named only with `--var-file`: its owner's syntax.
        assert_eq!(syntax("a/prod.tfvars"), CommentSyntax::HashAndSlashes);
        assert_eq!(syntax("a/template.yaml"), CommentSyntax::Hash);
        assert_eq!(syntax("a/template.json"), CommentSyntax::None);
        assert_eq!(syntax("a/main.tf.json"), CommentSyntax::None);
        assert_eq!(syntax("a/README.md"), CommentSyntax::None);
    }

    #[test]
    fn a_json_file_is_a_plan_or_a_template_by_content() {
        let limits = Limits::default();
        let schema = Schema::default();
        let ctx = ParseContext {
            limits: &limits,
            schema: &schema,
            keeping: Keeping::All,
        };
        let parsed_by = |text: &str| {
            let file = SourceFile::new("a/x.json".into(), text);
            parse(claims_of(&file.path), FileId(0), &file, &ctx)
                .expect("parses")
                .map(|p| p.frontend().name())
        };
        let plan = r#"{"format_version": "1.2", "planned_values": {}}"#;
        let template = r#"{"Resources": {"U": {"Type": "AWS::IAM::User"}}}"#;
        assert_eq!(parsed_by(plan), Some("terraform-plan"));
        assert_eq!(parsed_by(template), Some("cloudformation"));
        assert_eq!(parsed_by(r#"{"name": "package"}"#), None);
    }
}
