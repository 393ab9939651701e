//! `file`, `fileexists` and `templatefile`, and the `path.*` values they
//! are usually given. A configuration may read any file, so mfalint reads
//! only regular files inside the folders the user asked to scan, up to
//! [`MAX_READ_BYTES`], through resolved links (a link out of the scan is
//! refused), and never writes or runs anything. Anything else stays
//! unknown, with the reason.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::eval::Evaluator;
use super::value::Value;
use crate::source::join_lexically;

/// Files larger than this are not read by `file()`/`templatefile()`.
pub const MAX_READ_BYTES: u64 = 1024 * 1024;

/// Evaluation steps one file read costs, besides one per 64 bytes read
/// (and, for a template, one per 8 bytes parsed): about what resolving the
/// path, the system calls and the parse take against an evaluation step.
const READ_STEPS: u64 = 200;

/// Why a file function has no value.
enum Unreadable {
    /// Terraform itself would fail (a missing file): an error, which
    /// `try()` may skip.
    Error(String),
    /// Only mfalint declines (outside the scan, too large): unknown.
    Declined(String),
}

impl Unreadable {
    fn into_value(self) -> Value {
        match self {
            Unreadable::Error(reason) => Value::error(reason),
            Unreadable::Declined(reason) => Value::unknown(reason),
        }
    }
}

impl Evaluator<'_> {
    /// Evaluates one of the file functions, or `None` for other names.
    pub(super) fn file_function(&self, name: &str, args: &[Value]) -> Option<Value> {
        let value = match (name, args) {
            ("file", [Value::String(path)]) => match self.read_file(path) {
                Ok(text) => Value::String(text),
                Err(why) => why.into_value(),
            },
            ("fileexists", [Value::String(path)]) => match self.readable(path) {
                Ok(found) => Value::Bool(found.is_some_and(|p| p.is_file())),
                Err(reason) => Value::unknown(reason),
            },
            ("templatefile", [Value::String(path), vars]) => self.template_file(path, vars),
            _ => return None,
        };
        Some(value)
    }

    /// `path.module`, `path.root`: relative to the root module, as
    /// Terraform gives them (it runs in the root module's folder).
    pub(super) fn path_value(&self, attribute: &str) -> Value {
        match attribute {
            "root" => Value::String(".".into()),
            "module" => {
                let root = self.root_dir();
                let dir = self.module_dir();
                let relative = dir
                    .strip_prefix(root)
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|_| dir.to_path_buf());
                let text = crate::source::slashed(relative.to_string_lossy().into_owned());
                Value::String(if text.is_empty() { ".".into() } else { text })
            }
            other => Value::unknown(format!("`path.{other}` is only known when Terraform runs")),
        }
    }

    /// The file a configuration path designates, if mfalint may read it:
    /// `Ok(None)` when it does not exist in a folder mfalint may read.
    fn readable(&self, path: &str) -> Result<Option<PathBuf>, String> {
        let full = if Path::new(path).is_absolute() {
            PathBuf::from(path)
        } else {
            join_lexically(self.root_dir(), path)
        };
        self.note_input(full.clone());
        let inside = |real: &Path| self.readable_roots().iter().any(|r| real.starts_with(r));
        let refused =
            || format!("`{path}` is outside the scanned folders, and mfalint reads no file there");
        match full.canonicalize() {
            Ok(real) if inside(&real) => Ok(Some(real)),
            Ok(_) => Err(refused()),
            Err(_) => match full.parent().and_then(|p| p.canonicalize().ok()) {
                Some(folder) if inside(&folder) => Ok(None),
                _ => Err(refused()),
            },
        }
    }

    /// The text of a file, or why not: an error where Terraform too would
    /// fail (so `try(file(...), ...)` falls back as it does), unknown where
    /// only mfalint declines.
    fn read_file(&self, path: &str) -> Result<String, Unreadable> {
        let real = self
            .readable(path)
            .map_err(Unreadable::Declined)?
            .ok_or_else(|| Unreadable::Error(format!("`{path}` does not exist")))?;
        let meta = std::fs::metadata(&real)
            .map_err(|e| Unreadable::Declined(format!("`{path}` cannot be read: {e}")))?;
        if !meta.is_file() {
            return Err(Unreadable::Error(format!("`{path}` is not a regular file")));
        }
        if meta.len() > MAX_READ_BYTES {
            return Err(Unreadable::Declined(format!(
                "`{path}` is {} bytes, over the {MAX_READ_BYTES}-byte limit for file functions",
                meta.len()
            )));
        }
        // A read costs far more than an evaluation step: a template that
        // reads itself three times per level must not read a million times.
        if !self.budget().spend(READ_STEPS + meta.len() / 64) {
            return Err(Unreadable::Declined(super::budget::exhausted()));
        }
        let bytes = crate::source::read_bounded(&real, MAX_READ_BYTES)
            .map_err(|e| Unreadable::Declined(format!("`{path}` cannot be read: {e}")))?;
        String::from_utf8(bytes)
            .map_err(|_| Unreadable::Error(format!("`{path}` is not UTF-8 text")))
    }

    fn template_file(&self, path: &str, vars: &Value) -> Value {
        let text = match self.read_file(path) {
            Ok(text) => text,
            Err(why) => return why.into_value(),
        };
        let Value::Object(vars) = vars else {
            return Value::error("the second argument of `templatefile` must be a map");
        };
        if !self.budget().spend(text.len() as u64 / 8) {
            return super::budget::out_of_steps();
        }
        let template = match hcl_edit::parser::parse_template(&text) {
            Ok(template) => template,
            Err(err) => {
                return Value::error(format!(
                    "`{path}` is not a valid template: {}",
                    err.message()
                ));
            }
        };
        let scope: HashMap<String, Value> =
            vars.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        self.with_scopes(scope, || self.eval_template(&template))
    }
}
