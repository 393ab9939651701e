//! `.mfalint.toml`: project settings, found by walking up from the scanned
//! folder (or given with `--config`).
//!
//! ```toml
//! format = "sarif"                 # default output format
//! exclude = ["examples/**"]        # more --exclude globs
//!
//! [rules]
//! enable = ["MFA003"]              # opt-in rules to run
//! disable = []
//! severity = { MFA002 = "error" }  # severity overrides
//!
//! [[exceptions]]                   # exceptions kept outside the code
//! rule = "MFA001"
//! address = "aws_iam_user.breakglass"
//! reason = "break-glass account; hardware key in the safe"
//! until = "2027-03-31"
//!
//! [[evidence]]                     # MFA proved outside the code
//! service = "GitHub"
//! subject = "acme"
//! kind = "admin-console-export"
//! reference = "docs/evidence/github-2fa.png"
//! verified_by = "Jane Doe"
//! verified_on = "2026-11-20"
//! expires = "2027-05-20"
//! ```
//!
//! Unknown keys and bad values are errors that name the file, line and
//! column, so a typo never silently changes what is checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::finding::{Finding, Suppression};
use crate::frontend::Limits;
use crate::rules::{self, Severity};
use crate::suppress::Date;

pub const FILE_NAME: &str = ".mfalint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub format: Option<Spanned<String>>,
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub exceptions: Vec<ExceptionConfig>,
    #[serde(default)]
    pub evidence: Vec<EvidenceConfig>,
    #[serde(default)]
    pub limits: LimitsConfig,
}

/// `[[evidence]]`: proof kept outside the code that an identity uses MFA
/// (a hardware key, a service whose MFA setting IaC cannot express, such
/// as GitHub organisation 2FA). Valid evidence excuses the matching
/// findings (shown as suppressed, like exceptions) and is listed in the
/// inventory; evidence past `expires` excuses nothing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceConfig {
    /// The service as the inventory names it (`AWS IAM`, `GitHub`).
    pub service: Spanned<String>,
    /// The identity (user or organisation name) or its address.
    pub subject: Spanned<String>,
    pub kind: Spanned<String>,
    /// A URL, or a path in the repository.
    pub reference: Spanned<String>,
    pub verified_by: Spanned<String>,
    pub verified_on: Spanned<String>,
    pub expires: Spanned<String>,
}

/// The kinds of external evidence `[[evidence]]` accepts.
pub const EVIDENCE_KINDS: &[&str] = &[
    "screenshot",
    "admin-console-export",
    "api-export",
    "attestation",
    "hardware-key",
];

/// `[limits]`: the same bounds as `--max-file-size`, `--max-nesting` and
/// `--max-yaml-aliases` (the command line wins), each checked against its
/// range ([`crate::frontend::Limits::FILE_SIZE`] and the others).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    pub max_file_size: Option<Spanned<u64>>,
    pub max_nesting: Option<Spanned<u64>>,
    pub max_yaml_aliases: Option<Spanned<u64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    #[serde(default)]
    pub enable: Vec<Spanned<String>>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionConfig {
    pub rule: Spanned<String>,
    pub address: String,
    pub reason: Spanned<String>,
    pub until: Option<Spanned<String>>,
}

/// Whether evidence names this finding: same service, and its subject is
/// the finding's identity name or address (names compared as written).
pub fn evidence_matches(
    evidence: &EvidenceConfig,
    service: Option<&str>,
    finding: &Finding,
) -> bool {
    let subject = evidence.subject.get_ref();
    service.is_some_and(|s| s.eq_ignore_ascii_case(evidence.service.get_ref()))
        && (finding.subject.as_deref() == Some(subject.as_str())
            || finding.address.as_deref() == Some(subject.as_str()))
}

/// A loaded configuration and where it came from.
#[derive(Debug, Default)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub config: Config,
    /// The 1-based line of each `[[evidence]]` entry's `subject`, for
    /// the inventory to point at.
    pub evidence_lines: Vec<usize>,
    /// The file's text: findings about its evidence point into it.
    pub text: String,
}

/// The nearest `.mfalint.toml` at or above `start`.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_file() {
        start.parent()?.to_path_buf()
    } else {
        start
    };
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = dir.parent()?.to_path_buf();
    }
}

/// Why a settings file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// It could not be read; the message names the file.
    Unreadable(String),
    /// It is invalid: where (1-based line and column, when the problem
    /// has a place) and why.
    Invalid {
        path: PathBuf,
        position: Option<(usize, usize)>,
        message: String,
    },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Unreadable(message) => f.write_str(message),
            ConfigError::Invalid {
                path,
                position: Some((line, column)),
                message,
            } => write!(f, "{}:{line}:{column}: {message}", path.display()),
            ConfigError::Invalid {
                path,
                position: None,
                message,
            } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Reads and validates a configuration file, read as scanned files are
/// (without blocking, a regular file only, at most the default file size
/// limit: the limits it sets are not known before it is read).
pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    let limit = Limits::default().max_file_bytes;
    let text = crate::source::read_text_bounded(path, limit, "settings file")
        .map_err(ConfigError::Unreadable)?;
    parse(path, &text)
}

/// Validates the text of a configuration file; errors name `path` with
/// line and column.
pub fn parse(path: &Path, text: &str) -> Result<Loaded, ConfigError> {
    let invalid = |span: Option<std::ops::Range<usize>>, message: String| {
        let position = span.map(|span| {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, column)
        });
        ConfigError::Invalid {
            path: path.to_path_buf(),
            position,
            message,
        }
    };
    let config: Config =
        toml::from_str(text).map_err(|e| invalid(e.span(), e.message().to_string()))?;
    for rule in config.rules.enable.iter().chain(&config.rules.disable) {
        if rules::find(rule.get_ref()).is_none() {
            return Err(invalid(
                Some(rule.span()),
                format!("unknown rule `{}`", rule.get_ref()),
            ));
        }
    }
    for rule in config.rules.severity.keys() {
        if rules::find(rule).is_none() {
            return Err(invalid(
                None,
                format!("unknown rule `{rule}` in [rules.severity]"),
            ));
        }
    }
    let limits = &config.limits;
    for (bound, value) in [
        (Limits::FILE_SIZE, &limits.max_file_size),
        (Limits::NESTING, &limits.max_nesting),
        (Limits::YAML_ALIASES, &limits.max_yaml_aliases),
    ] {
        if let Some(value) = value
            && let Err(why) = bound.check(*value.get_ref())
        {
            return Err(invalid(
                Some(value.span()),
                format!(
                    "`{} = {}` is out of range: {why}",
                    bound.key,
                    value.get_ref()
                ),
            ));
        }
    }
    for glob in &config.exclude {
        if let Err(e) = globset::Glob::new(glob.get_ref()) {
            return Err(invalid(
                Some(glob.span()),
                format!("invalid exclude glob `{}`: {}", glob.get_ref(), e.kind()),
            ));
        }
    }
    if let Some(format) = &config.format
        && crate::report::format::OutputFormat::named(format.get_ref()).is_none()
    {
        return Err(invalid(
            Some(format.span()),
            format!("unknown format `{}`", format.get_ref()),
        ));
    }
    for exception in &config.exceptions {
        if rules::find(exception.rule.get_ref()).is_none() {
            return Err(invalid(
                Some(exception.rule.span()),
                format!("unknown rule `{}`", exception.rule.get_ref()),
            ));
        }
        if let Some(why) = crate::suppress::placeholder_reason(exception.reason.get_ref()) {
            return Err(invalid(Some(exception.reason.span()), why));
        }
        if let Some(until) = &exception.until
            && Date::parse(until.get_ref()).is_none()
        {
            return Err(invalid(
                Some(until.span()),
                format!("`{}` is not a date (YYYY-MM-DD)", until.get_ref()),
            ));
        }
    }
    for evidence in &config.evidence {
        for field in [
            &evidence.service,
            &evidence.subject,
            &evidence.reference,
            &evidence.verified_by,
        ] {
            if field.get_ref().trim().is_empty() {
                return Err(invalid(Some(field.span()), "must not be empty".into()));
            }
        }
        // A service named almost as one mfalint checks is a typo that
        // would make the evidence stand alone and excuse nothing.
        let service = evidence.service.get_ref().trim().to_lowercase();
        let mut checked: Vec<&str> = rules::all()
            .iter()
            .filter_map(|r| r.meta.service.as_deref())
            .collect();
        checked.sort_unstable();
        checked.dedup();
        // Almost: the leading words of a checked name (`AWS` for
        // `AWS IAM`), or the name written without its spaces. Other names
        // (`AWS IAM Identity Center`, `GitHub`) are services of their own.
        let squeezed = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        if !checked.iter().any(|c| c.to_lowercase() == service)
            && let Some(meant) = checked.iter().find(|c| {
                let c = c.to_lowercase();
                c.strip_prefix(&service)
                    .is_some_and(|rest| rest.starts_with([' ', '(']))
                    || squeezed(&c) == squeezed(&service)
            })
        {
            return Err(invalid(
                Some(evidence.service.span()),
                format!(
                    "unknown service `{}`; did you mean `{meant}`? (services mfalint checks: {}; any other name is a service of its own)",
                    evidence.service.get_ref(),
                    checked.join(", ")
                ),
            ));
        }
        if !EVIDENCE_KINDS.contains(&evidence.kind.get_ref().as_str()) {
            return Err(invalid(
                Some(evidence.kind.span()),
                format!(
                    "unknown evidence kind `{}` (kinds: {})",
                    evidence.kind.get_ref(),
                    EVIDENCE_KINDS.join(", ")
                ),
            ));
        }
        let date = |d: &Spanned<String>| {
            Date::parse(d.get_ref()).ok_or_else(|| {
                invalid(
                    Some(d.span()),
                    format!("`{}` is not a date (YYYY-MM-DD)", d.get_ref()),
                )
            })
        };
        let verified = date(&evidence.verified_on)?;
        let expires = date(&evidence.expires)?;
        if expires < verified {
            return Err(invalid(
                Some(evidence.expires.span()),
                format!("expires ({expires}) before it was verified ({verified})"),
            ));
        }
    }
    let evidence_lines = config
        .evidence
        .iter()
        .map(|e| {
            text[..e.subject.span().start.min(text.len())]
                .matches('\n')
                .count()
                + 1
        })
        .collect();
    Ok(Loaded {
        path: Some(path.to_path_buf()),
        config,
        evidence_lines,
        text: text.to_string(),
    })
}

impl Loaded {
    /// Sets configured severities and honours configured exceptions;
    /// returns warnings for expired ones and, when `warn_unused`, for those
    /// that excused nothing.
    /// `file` is the settings file in the scan's sources, when it was
    /// added there (it has evidence): expired and unused evidence are then
    /// findings (MFA900, MFA902) pointing into it, not warnings.
    pub fn apply(
        &self,
        findings: &mut Vec<Finding>,
        today: Date,
        warn_unused: bool,
        settings_file: Option<crate::source::FileId>,
    ) -> Vec<String> {
        let mut warnings = Vec::new();
        let file = self
            .path
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        for exception in &self.config.exceptions {
            let rule_id = rules::find(exception.rule.get_ref())
                .map(|r| r.meta.id.clone())
                .unwrap_or_default();
            let until = exception
                .until
                .as_ref()
                .and_then(|u| Date::parse(u.get_ref()));
            if let Some(until) = until.filter(|u| *u < today) {
                warnings.push(format!(
                    "{file}: the exception for {rule_id} on `{}` expired on {until}; it no longer excuses anything",
                    exception.address
                ));
                continue;
            }
            let mut used = false;
            for finding in findings.iter_mut().filter(|f| {
                !f.is_suppressed()
                    && f.rule.as_str() == rule_id
                    && f.address.as_deref() == Some(exception.address.as_str())
            }) {
                used = true;
                finding.suppression = Some(Suppression {
                    justification: exception.reason.get_ref().clone(),
                    until: until.map(|d| d.to_string()),
                    span: None,
                    evidence: None,
                });
            }
            if !used && warn_unused {
                warnings.push(format!(
                    "{file}: the exception for {rule_id} on `{}` excuses no finding; remove it",
                    exception.address
                ));
            }
        }
        let mut extra = Vec::new();
        self.apply_evidence(
            findings,
            today,
            warn_unused,
            settings_file,
            &mut extra,
            &mut warnings,
        );
        findings.extend(extra);
        // Severities last: the findings about evidence take them too.
        for finding in findings.iter_mut() {
            if let Some(severity) =
                self.config
                    .rules
                    .severity
                    .iter()
                    .find_map(|(rule, severity)| {
                        rules::find(rule)
                            .filter(|r| r.meta.id == finding.rule.as_str())
                            .map(|_| *severity)
                    })
            {
                finding.severity = severity;
            }
        }
        warnings
    }

    /// External evidence: each valid entry excuses the unexcused findings
    /// about its subject in its service. Expired evidence excuses nothing
    /// (a warning says so); evidence for a service mfalint checks that
    /// matches no finding is reported (a misspelt subject must not pass
    /// silently). Evidence for a service mfalint does not check (GitHub)
    /// stands alone: the inventory lists it.
    fn apply_evidence(
        &self,
        findings: &mut [Finding],
        today: Date,
        warn_unused: bool,
        file_id: Option<crate::source::FileId>,
        extra: &mut Vec<Finding>,
        warnings: &mut Vec<String>,
    ) {
        let finding = |rule: crate::rules::RuleId,
                       at: std::ops::Range<usize>,
                       evidence: &EvidenceConfig,
                       message: String,
                       label: &str,
                       help: &str| {
            file_id.map(|file| Finding {
                rule,
                severity: rule.meta().severity,
                message,
                primary: crate::source::Span::new(file, at),
                label: label.into(),
                related: Vec::new(),
                address: Some(evidence.subject.get_ref().clone()),
                subject: None,
                help: help.into(),
                identity: format!(
                    "{}|evidence|{}|{}",
                    rule.as_str(),
                    evidence.service.get_ref(),
                    evidence.subject.get_ref()
                ),
                suppression: None,
                scope: None,
            })
        };
        let file = self
            .path
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        for evidence in &self.config.evidence {
            let (service, subject) = (evidence.service.get_ref(), evidence.subject.get_ref());
            let expires = Date::parse(evidence.expires.get_ref());
            if let Some(expires) = expires.filter(|e| *e < today) {
                // Superseded by a renewal (a valid entry for the same
                // subject, kept as history): nothing to say.
                let renewed = self.config.evidence.iter().any(|other| {
                    other.service.get_ref().eq_ignore_ascii_case(service)
                        && other.subject.get_ref() == subject
                        && Date::parse(other.expires.get_ref()).is_some_and(|e| e >= today)
                });
                if renewed {
                    continue;
                }
                let message = format!(
                    "the external evidence for `{subject}` ({service}) expired on {expires}; it no longer excuses anything"
                );
                match finding(
                    crate::rules::RuleId::Mfa900,
                    evidence.expires.span(),
                    evidence,
                    message.clone(),
                    "expired",
                    "verify the identity's MFA again and record it (`verified_on`, a new `expires`), or fix what the evidence excused",
                ) {
                    Some(f) => extra.push(f),
                    None => warnings.push(format!("{file}: {message}")),
                }
                continue;
            }
            // Used when it names a finding, even one an exception or an
            // earlier entry already excuses (a renewal recorded early).
            let mut used = false;
            for finding in findings
                .iter_mut()
                .filter(|f| evidence_matches(evidence, f.rule.meta().service.as_deref(), f))
            {
                used = true;
                if finding.is_suppressed() {
                    continue;
                }
                finding.suppression = Some(Suppression {
                    justification: format!(
                        "external evidence ({}: {}), verified by {} on {}",
                        evidence.kind.get_ref(),
                        evidence.reference.get_ref(),
                        evidence.verified_by.get_ref(),
                        evidence.verified_on.get_ref()
                    ),
                    until: expires.map(|d| d.to_string()),
                    span: None,
                    evidence: Some(crate::finding::ExternalEvidence {
                        kind: evidence.kind.get_ref().clone(),
                        reference: evidence.reference.get_ref().clone(),
                        verified_by: evidence.verified_by.get_ref().clone(),
                        verified_on: evidence.verified_on.get_ref().clone(),
                    }),
                });
            }
            let checked = rules::evidence_excuses_findings(service);
            if !used && checked && warn_unused {
                let message = format!(
                    "the external evidence for `{subject}` ({service}) matches no finding; check its service and subject, or remove it"
                );
                match finding(
                    crate::rules::RuleId::Mfa902,
                    evidence.subject.span(),
                    evidence,
                    message.clone(),
                    "matches no finding",
                    "name the identity as the inventory does (its name or address) and the service as rules name it, or remove the evidence if the identity needs it no more",
                ) {
                    Some(f) => extra.push(f),
                    None => warnings.push(format!("{file}: {message}")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Loaded, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        load(&path).map_err(|e| e.to_string())
    }

    #[test]
    fn a_full_config_loads() {
        let loaded = load_text(
            "format = \"sarif\"\nexclude = [\"x/**\"]\n[rules]\nenable = [\"MFA003\"]\nseverity = { MFA002 = \"error\" }\n\
             [[exceptions]]\nrule = \"MFA001\"\naddress = \"aws_iam_user.a\"\nreason = \"ok\"\nuntil = \"2099-01-01\"\n",
        )
        .unwrap();
        assert_eq!(loaded.config.rules.severity["MFA002"], Severity::Error);
        assert_eq!(loaded.config.exceptions.len(), 1);
    }

    #[test]
    fn mistakes_name_the_line() {
        let err = load_text("[rules]\nenabel = [\"MFA003\"]\n").unwrap_err();
        assert!(err.contains(":2:1:") && err.contains("enabel"), "{err}");
        let err = load_text("[rules]\nenable = [\"MFA777\"]\n").unwrap_err();
        assert!(err.contains(":2:11:") && err.contains("MFA777"), "{err}");
        let err = load_text("[[exceptions]]\nrule = \"MFA001\"\naddress = \"a\"\nreason = \"\"\n")
            .unwrap_err();
        assert!(err.contains(":4:") && err.contains("reason"), "{err}");
        let err = load_text("[rules]\nseverity = { MFA001 = \"fatal\" }\n").unwrap_err();
        assert!(err.contains(":2:"), "{err}");
        let err = load_text("[limits]\nmax_nesting = -1\n").unwrap_err();
        assert!(err.contains(":2:"), "{err}");
    }

    #[test]
    fn limits_are_read() {
        let text = "[limits]\nmax_file_size = 1000\nmax_nesting = 50\nmax_yaml_aliases = 500\n";
        let loaded = parse(Path::new(".mfalint.toml"), text).unwrap();
        let limits = &loaded.config.limits;
        let value = |v: &Option<Spanned<u64>>| v.as_ref().map(|v| *v.get_ref());
        assert_eq!(value(&limits.max_file_size), Some(1000));
        assert_eq!(value(&limits.max_nesting), Some(50));
        assert_eq!(value(&limits.max_yaml_aliases), Some(500));
        let err = parse(Path::new("x.toml"), "[limits]\nmax_nesting = 0\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("x.toml:2:15: `max_nesting = 0` is out of range"),
            "{err}"
        );
        let ConfigError::Invalid { position, .. } = err else {
            panic!("invalid, not unreadable: {err:?}");
        };
        assert_eq!(position, Some((2, 15)));
    }
}
