//! Front-ends: one per input format. Each turns files into facts of the
//! IAM model, with spans, and knows nothing of rules.
//!
//! To add a format: a variant in [`Format`], its `claims` in [`FRONTENDS`],
//! a [`Parsed`] variant, and its scoping in [`build_model`] (scope ids of
//! different formats must not overlap).

pub mod cloudformation;
pub mod credential_report;
pub mod terraform;

use std::path::Path;

use crate::diagnostic::InputError;
use crate::model::{Model, Schema, ScopeId};
use crate::source::{FileId, SourceFile, SourceMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Terraform,
    CloudFormation,
    CredentialReport,
}

pub struct Frontend {
    pub format: Format,
    pub name: &'static str,
    /// Whether a file belongs to this front-end, judged by its name.
    pub claims: fn(&Path) -> bool,
}

/// The front-end registry, consulted in order.
pub const FRONTENDS: &[Frontend] = &[
    Frontend {
        format: Format::Terraform,
        name: "terraform",
        claims: terraform::claims,
    },
    Frontend {
        format: Format::CloudFormation,
        name: "cloudformation",
        claims: cloudformation::claims,
    },
    Frontend {
        format: Format::CredentialReport,
        name: "credential-report",
        claims: credential_report::claims,
    },
];

/// The format of a file, if any front-end reads it.
pub fn format_of(path: &Path) -> Option<Format> {
    FRONTENDS
        .iter()
        .find(|f| (f.claims)(path))
        .map(|f| f.format)
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

/// One file after parsing.
#[derive(Debug)]
pub enum Parsed {
    Terraform(terraform::TfParsed),
    CloudFormation(cloudformation::Template),
    TerraformPlan(terraform::plan::Plan),
    CredentialReport(credential_report::CredentialReport),
}

/// Parses a file; `Ok(None)` when its content shows it is not for this
/// front-end after all (a JSON file that is no template). `schema` is
/// what the rules read (`crate::rules::schema`).
pub fn parse(
    format: Format,
    id: FileId,
    file: &SourceFile,
    limits: &Limits,
    schema: &Schema,
) -> Result<Option<Parsed>, InputError> {
    match format {
        Format::Terraform => {
            terraform::parse(id, file, limits, schema).map(|p| Some(Parsed::Terraform(p)))
        }
        // Plans are JSON too; recognised by content before templates.
        Format::CloudFormation if terraform::plan::is_plan(&file.text) => {
            terraform::plan::parse(id, file, limits).map(|p| Some(Parsed::TerraformPlan(p)))
        }
        Format::CloudFormation => {
            cloudformation::parse(id, file, limits).map(|t| t.map(Parsed::CloudFormation))
        }
        Format::CredentialReport => {
            credential_report::parse(id, file).map(|r| r.map(Parsed::CredentialReport))
        }
    }
}

/// Options that change how front-ends read their inputs.
#[derive(Debug, Clone, Default)]
pub struct FrontendOptions {
    pub terraform: terraform::TerraformOptions,
    pub limits: Limits,
    pub freeing: Freeing,
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

/// Groups parsed files into scopes and lowers each, in parallel, into one
/// model. `explicit_vars` are the `--var-file` files, already parsed;
/// `schema` is what the rules read (`crate::rules::schema`).
pub fn build_model(
    parsed: Vec<Parsed>,
    explicit_vars: &[terraform::VarsFile],
    options: &FrontendOptions,
    sources: &SourceMap,
    schema: &Schema,
) -> (Model, Vec<InputError>) {
    let mut terraform_files = Vec::new();
    let mut templates = Vec::new();
    let mut plans = Vec::new();
    let mut reports = Vec::new();
    for file in parsed {
        match file {
            Parsed::Terraform(t) => terraform_files.push(t),
            Parsed::CloudFormation(t) => templates.push(t),
            Parsed::TerraformPlan(p) => plans.push(p),
            Parsed::CredentialReport(r) => reports.push(r),
        }
    }
    let (mut parts, mut errors) = terraform::build(
        terraform_files,
        explicit_vars,
        &options.terraform,
        sources,
        0,
        options.freeing,
        schema,
    );
    let (template_parts, template_errors) =
        cloudformation::build(templates, sources, parts.len() as u32, options.freeing);
    parts.extend(template_parts);
    errors.extend(template_errors);
    let first_plan_scope = parts.len() as u32;
    for (i, plan) in plans.iter().enumerate() {
        parts.push(terraform::plan::lower(
            ScopeId(first_plan_scope + i as u32),
            plan,
            sources,
            schema,
        ));
    }
    let first_report_scope = parts.len() as u32;
    for (i, report) in reports.iter().enumerate() {
        let (part, problems) = credential_report::lower(
            ScopeId(first_report_scope + i as u32),
            report,
            &sources.get(report.file).path,
        );
        parts.push(part);
        errors.extend(problems);
    }
    let mut model = Model::default();
    for part in parts {
        model.extend(part);
    }
    (model, errors)
}
