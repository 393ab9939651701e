//! The output formats: one list, behind `--format`, `--output FORMAT=PATH`,
//! `format` in `.mfalint.toml` and the reporters. A leaf: the settings name
//! formats without depending on the reporters.

/// The output formats: the one list behind `--format`, `--output
/// FORMAT=PATH`, `format` in `.mfalint.toml` and the reporters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Source snippets with labels and fixes.
    Human,
    /// `path:line:col: severity: [RULE] message`, one per line (editors, grep).
    Compact,
    /// Stable JSON document (schema in README).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

impl OutputFormat {
    /// The format named exactly so (`compact`), as `.mfalint.toml` and
    /// `--output` name them.
    pub fn named(name: &str) -> Option<OutputFormat> {
        <OutputFormat as clap::ValueEnum>::from_str(name, false).ok()
    }

    /// Every format's name, in order.
    pub fn names() -> Vec<String> {
        use clap::ValueEnum;
        OutputFormat::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect()
    }
}
