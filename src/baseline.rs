//! Baselines: accept the findings a project has today, report only new ones.
//!
//! `--write-baseline FILE` records every unexcused finding by its stable
//! fingerprint (rule, entity, file; not line numbers). `--baseline FILE`
//! then marks findings recorded there as excused (an "external" suppression
//! in SARIF, so they stay visible), and reports the rest. The file is JSON,
//! sorted, versioned, and written atomically (a temporary file renamed over
//! the target), so an interrupted run never leaves half a baseline.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Suppression, fingerprint};
use crate::source::SourceMap;

const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    tool: String,
    findings: Vec<Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
struct Entry {
    fingerprint: String,
    rule: String,
    path: String,
    address: Option<String>,
    message: String,
}

/// Findings recorded in a baseline, by fingerprint.
pub struct Baseline {
    path: String,
    fingerprints: BTreeMap<String, Entry>,
}

impl Baseline {
    /// Reads a baseline of at most `limit` bytes (the scan's file size
    /// limit), as scanned files are read: `/dev/zero` or a FIFO given as
    /// the baseline is refused, not read until memory runs out or forever.
    pub fn read(path: &Path, limit: u64) -> Result<Baseline, String> {
        let text = crate::source::read_text_bounded(path, limit, "baseline")?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not a mfalint baseline: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if file.version != FORMAT_VERSION {
            return Err(format!(
                "{}: baseline format version {} is not supported (expected {FORMAT_VERSION})",
                path.display(),
                file.version
            ));
        }
        Ok(Baseline {
            path: path.display().to_string(),
            fingerprints: file
                .findings
                .into_iter()
                .map(|e| (e.fingerprint.clone(), e))
                .collect(),
        })
    }

    /// Marks findings recorded in the baseline as excused.
    pub fn apply(&self, findings: &mut [Finding], sources: &SourceMap) {
        for finding in findings.iter_mut().filter(|f| !f.is_suppressed()) {
            let print = fingerprint(
                &finding.identity,
                &sources.get(finding.primary.file).display,
            );
            if self.fingerprints.contains_key(&print) {
                finding.suppression = Some(Suppression {
                    justification: format!("recorded in the baseline {}", self.path),
                    until: None,
                    span: None,
                });
            }
        }
    }
}

/// Writes the unexcused findings as a baseline, atomically.
pub fn write(path: &Path, findings: &[Finding], sources: &SourceMap) -> std::io::Result<usize> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .filter(|f| !f.is_suppressed())
        .map(|f| {
            let file = &sources.get(f.primary.file).display;
            Entry {
                fingerprint: fingerprint(&f.identity, file),
                rule: f.rule.id.clone(),
                path: file.clone(),
                address: f.address.clone(),
                message: f.message.clone(),
            }
        })
        .collect();
    entries.sort();
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let count = entries.len();
    let file = BaselineFile {
        version: FORMAT_VERSION,
        tool: format!("mfalint {}", env!("CARGO_PKG_VERSION")),
        findings: entries,
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(std::io::Error::other)?;
    text.push('\n');
    crate::atomic_file::write(path, text.as_bytes())?;
    Ok(count)
}
