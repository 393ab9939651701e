//! Problems with the input itself (unreadable, unparsable): reported with
//! the file and position, while the scan goes on with the other files.

use crate::source::{FileId, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// Path as shown to users.
    pub path: String,
    /// Where in the file, when the file could be read.
    pub span: Option<Span>,
    pub message: String,
    pub kind: InputErrorKind,
}

/// What kind of problem an input has: what a user does about it differs
/// (fix the syntax, raise a limit, scan the folder a call names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputErrorKind {
    /// The file could not be read or decoded, or no front-end reads it.
    Unreadable,
    /// Its syntax is invalid (HCL, JSON, YAML, CSV).
    Syntax,
    /// It is well formed but not what its format allows (a template's
    /// `Resources` that is no mapping, a report without a column).
    Invalid,
    /// A bound on the work was reached (nesting, aliases, the evaluation
    /// budget, instances): what lies past it is unknown.
    Limit,
    /// Something it refers to is not followed (a module that calls
    /// itself, a cycle of nested stacks, a module folder not scanned).
    Reference,
}

impl InputErrorKind {
    /// The name in JSON output and editor diagnostics.
    pub fn as_str(self) -> &'static str {
        match self {
            InputErrorKind::Unreadable => "unreadable",
            InputErrorKind::Syntax => "syntax",
            InputErrorKind::Invalid => "invalid",
            InputErrorKind::Limit => "limit",
            InputErrorKind::Reference => "reference",
        }
    }
}

impl InputError {
    /// An error about a whole file (could not be read, not a file...).
    pub fn file(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            span: None,
            message: message.into(),
            kind: InputErrorKind::Unreadable,
        }
    }

    /// A syntax error at a byte range of a read file (another kind with
    /// [`InputError::of_kind`]).
    pub fn at(
        path: impl Into<String>,
        file: FileId,
        range: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            path: path.into(),
            span: Some(Span::new(file, range)),
            message: message.into(),
            kind: InputErrorKind::Syntax,
        }
    }

    /// The same error, of another kind.
    pub fn of_kind(mut self, kind: InputErrorKind) -> Self {
        self.kind = kind;
        self
    }
}
