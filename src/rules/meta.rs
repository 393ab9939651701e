//! Rule metadata, read from `rules/*.toml` (embedded at build time).

use serde::Deserialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub title: String,
    pub url: String,
}

/// One rule's documentation and defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub name: String,
    pub title: String,
    pub severity: Severity,
    pub since: String,
    pub security_severity: String,
    pub tags: Vec<String>,
    pub summary: String,
    /// Markdown: what it does, why it matters, an example.
    pub description: String,
    pub remediation: String,
    #[serde(default)]
    pub references: Vec<Reference>,
    /// The service whose sign-in the rule is about, as the inventory
    /// names it (`AWS IAM`, `GitLab`); none for rules about exceptions.
    #[serde(default)]
    pub service: Option<String>,
    /// The service's MFA requirement is seldom in code, so the rule
    /// reports nothing without a declaration (GitHub), and external
    /// evidence for the service stands on its own in the inventory rather
    /// than excusing findings.
    #[serde(default)]
    pub evidence_stands_alone: bool,
    /// Opt-in rules set this to false; `--enable ID` turns them on.
    #[serde(default = "enabled")]
    pub enabled_by_default: bool,
}

fn enabled() -> bool {
    true
}

impl RuleMeta {
    pub fn parse(toml_text: &str) -> Result<RuleMeta, String> {
        toml::from_str(toml_text).map_err(|e| e.to_string())
    }

    /// The full text for `mfalint explain` and SARIF `help.markdown`.
    pub fn markdown(&self) -> String {
        let mut text = format!(
            "# {} ({}): {}\n\nSeverity: {}. Since {}.{}\n\n{}\n## How to fix\n{}",
            self.id,
            self.name,
            self.title,
            self.severity,
            self.since,
            if self.enabled_by_default {
                ""
            } else {
                " Off by default (opt in with `--enable`)."
            },
            self.description.trim_start(),
            self.remediation.trim_start()
        );
        if !self.references.is_empty() {
            text.push_str("\n## References\n");
            for r in &self.references {
                text.push_str(&format!("- [{}]({})\n", r.title, r.url));
            }
        }
        text
    }

    /// Plain-text help for SARIF `help.text`.
    pub fn plain_help(&self) -> String {
        let mut text = format!(
            "{}\n\nHow to fix: {}",
            self.summary,
            self.remediation.trim()
        );
        for r in &self.references {
            text.push_str(&format!("\n- {}: {}", r.title, r.url));
        }
        text
    }
}
