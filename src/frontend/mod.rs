//! Front-ends: one per input format. Each turns files into facts of the
//! IAM model, with spans, and knows nothing of rules.
//!
//! To add a format: a variant in [`Format`], its `claims` in [`FRONTENDS`],
//! a [`Parsed`] variant, and its scoping in [`build_model`].

pub mod terraform;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::InputError;
use crate::model::{Model, ScopeId};
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
    Terraform(terraform::TfFile),
}

pub fn parse(format: Format, id: FileId, file: &SourceFile) -> Result<Parsed, InputError> {
    match format {
        Format::Terraform => terraform::parse(id, file).map(Parsed::Terraform),
    }
}

/// Groups parsed files into scopes (a Terraform module is the `.tf` files of
/// one folder) and lowers each scope, in parallel, into one model.
pub fn build_model(parsed: Vec<Parsed>, sources: &SourceMap) -> Model {
    let mut modules: BTreeMap<PathBuf, Vec<terraform::TfFile>> = BTreeMap::new();
    for file in parsed {
        match file {
            Parsed::Terraform(tf) => {
                let dir = sources
                    .get(tf.file)
                    .path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                modules.entry(dir).or_default().push(tf);
            }
        }
    }
    let modules: Vec<_> = modules.into_iter().collect();
    let parts: Vec<Model> = modules
        .into_par_iter()
        .enumerate()
        .map(|(i, (_, files))| terraform::lower(ScopeId(i as u32), &files, sources))
        .collect();
    let mut model = Model::default();
    for part in parts {
        model.extend(part);
    }
    model
}
