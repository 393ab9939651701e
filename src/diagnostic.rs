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
}

impl InputError {
    /// An error about a whole file (could not be read, not a file...).
    pub fn file(path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            span: None,
            message: message.into(),
        }
    }

    /// An error at a byte range of a read file.
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
        }
    }
}
