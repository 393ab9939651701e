//! mfalint's engine: finds identities that can sign in to a console or a
//! service without MFA, in infrastructure code.
//!
//! The API is small: [`scan::scan`] with [`scan::ScanOptions`] (built by
//! [`settings::resolve`] as the command line and the language server do)
//! gives a [`scan::ScanResult`] of [`finding::Finding`]s with positions
//! ([`source`]), which [`report::write`] renders in any
//! [`report::OutputFormat`]; [`rules`] lists the rules and their
//! documentation; [`lsp::run`] serves an editor. Errors are typed
//! ([`scan::ScanError`], [`settings::SettingsError`],
//! [`config::ConfigError`]).
//!
//! The pipeline's inner stages (the model, link resolution, the policy
//! reader, the pre-filter, diagnostics) are private to the crate. The
//! modules marked hidden are public only for mfalint's own binary, tests,
//! benchmarks and fuzz targets, and may change without notice.
//!
//! One crate, not a workspace of engine, command line and language server:
//! the binary is a thin `main.rs`, the language server is one module on
//! the same engine, and `tests/architecture.rs` already enforces the
//! boundaries that separate crates would (no import circles, no front-end
//! importing another); a split would add three manifests and version
//! lock-step for no boundary the test does not already hold.

#[doc(hidden)]
pub mod atomic_file;
#[doc(hidden)]
pub mod baseline;
#[doc(hidden)]
pub mod changes;
pub mod config;
pub(crate) mod diagnostic;
#[doc(hidden)]
pub mod discover;
pub mod finding;
#[doc(hidden)]
pub mod frontend;
pub mod inventory;
pub mod lsp;
pub(crate) mod model;
pub(crate) mod paths;
pub(crate) mod policy;
pub(crate) mod prefilter;
pub(crate) mod providers;
pub mod report;
pub(crate) mod resolve;
pub mod rules;
pub mod scan;
pub mod settings;
pub mod source;
#[doc(hidden)]
pub mod suppress;
#[doc(hidden)]
pub mod syntax;

pub use diagnostic::InputError;
