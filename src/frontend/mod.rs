//! Front-ends: one per input format. Each turns files into facts of the
//! IAM model, with spans, and knows nothing of rules.
//!
//! To add a format: a variant in [`Format`], its `claims` in [`FRONTENDS`],
//! a [`Parsed`] variant, and its scoping in [`build_model`] (scope ids of
//! different formats must not overlap).

pub mod terraform;

use std::path::Path;

use crate::diagnostic::InputError;
use crate::model::Model;
use crate::source::{FileId, SourceFile, SourceMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Terraform,
}

pub struct Frontend {
    pub format: Format,
    pub name: &'static str,
    /// Whether a file belongs to this front-end, judged by its name.
    pub claims: fn(&Path) -> bool,
}

/// The front-end registry, consulted in order.
pub const FRONTENDS: &[Frontend] = &[Frontend {
    format: Format::Terraform,
    name: "terraform",
    claims: terraform::claims,
}];

/// The format of a file, if any front-end reads it.
pub fn format_of(path: &Path) -> Option<Format> {
    FRONTENDS
        .iter()
        .find(|f| (f.claims)(path))
        .map(|f| f.format)
}

/// One file after parsing.
#[derive(Debug)]
pub enum Parsed {
    Terraform(terraform::TfParsed),
}

pub fn parse(format: Format, id: FileId, file: &SourceFile) -> Result<Parsed, InputError> {
    match format {
        Format::Terraform => terraform::parse(id, file).map(Parsed::Terraform),
    }
}

/// Options that change how front-ends read their inputs.
#[derive(Debug, Clone, Default)]
pub struct FrontendOptions {
    pub terraform: terraform::TerraformOptions,
}

/// Groups parsed files into scopes and lowers each, in parallel, into one
/// model. `explicit_vars` are the `--var-file` files, already parsed.
pub fn build_model(
    parsed: Vec<Parsed>,
    explicit_vars: &[terraform::VarsFile],
    options: &FrontendOptions,
    sources: &SourceMap,
) -> (Model, Vec<InputError>) {
    let terraform_files: Vec<terraform::TfParsed> = parsed
        .into_iter()
        .map(|p| match p {
            Parsed::Terraform(t) => t,
        })
        .collect();
    let (parts, errors) = terraform::build(
        terraform_files,
        explicit_vars,
        &options.terraform,
        sources,
        0,
    );
    let mut model = Model::default();
    for part in parts {
        model.extend(part);
    }
    (model, errors)
}
