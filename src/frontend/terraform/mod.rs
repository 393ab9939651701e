//! Terraform front-end: `.tf` files, parsed with hcl-edit (which keeps byte
//! spans), grouped into modules (one folder = one module), lowered into the
//! IAM model.

mod eval;
mod functions;
mod lower;
mod module;
mod value;

use std::path::Path;

use crate::diagnostic::InputError;
use crate::model::{Model, ScopeId};
use crate::source::{FileId, SourceFile, SourceMap};

pub use module::TfFile;

/// Whether this front-end reads the file.
pub fn claims(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "tf")
}

/// Parses one `.tf` file.
pub fn parse(id: FileId, file: &SourceFile) -> Result<TfFile, InputError> {
    match hcl_edit::parser::parse_body(&file.text) {
        Ok(body) => Ok(TfFile { file: id, body }),
        Err(err) => {
            let location = err.location();
            let start = file
                .lines
                .offset_of(&file.text, location.line(), location.column());
            let end = file.text[start..]
                .chars()
                .next()
                .map_or(start, |c| start + c.len_utf8());
            Err(InputError::at(
                file.display.clone(),
                id,
                start..end,
                format!("HCL syntax error: {}", err.message()),
            ))
        }
    }
}

/// Builds the model of one module from the parsed files of one folder.
pub fn lower(scope: ScopeId, files: &[TfFile], sources: &SourceMap) -> Model {
    let index = module::ModuleIndex::new(files);
    lower::lower_module(scope, &index, sources)
}
