//! Baselines: accept the findings a project has today, report only new ones.
//!
//! `--write-baseline FILE` records every unexcused finding by its stable
//! fingerprint (rule, entity, file; not line numbers). `--baseline FILE`
//! then marks findings recorded there as excused (an "external" suppression
//! in SARIF, so they stay visible), and reports the rest. The file is JSON,
//! sorted, versioned, and written atomically (a temporary file renamed over
//! the target), so an interrupted run never leaves half a baseline.
//!
//! A baseline comes with the repository, so it is input like any other: an
//! entry excuses a finding only when its fingerprint, rule, address and
//! path all are the finding's. An entry with a finding's fingerprint that
//! says another rule, user or file (forged, or hand-edited) excuses
//! nothing and is a warning naming the baseline and the entry.

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

/// Findings recorded in a baseline, by fingerprint, each with its
/// 1-based number in the file.
pub struct Baseline {
    path: String,
    fingerprints: BTreeMap<String, Vec<(usize, Entry)>>,
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
        let mut fingerprints: BTreeMap<String, Vec<(usize, Entry)>> = BTreeMap::new();
        for (i, entry) in file.findings.into_iter().enumerate() {
            fingerprints
                .entry(entry.fingerprint.clone())
                .or_default()
                .push((i + 1, entry));
        }
        Ok(Baseline {
            path: path.display().to_string(),
            fingerprints,
        })
    }

    /// Marks findings recorded in the baseline as excused: those with an
    /// entry of their fingerprint, rule, address and path. Returns a
    /// warning for each entry that has a finding's fingerprint but says
    /// another rule, address or path (sorted, once each).
    pub fn apply(&self, findings: &mut [Finding], sources: &SourceMap) -> Vec<String> {
        let mut warnings = Vec::new();
        for finding in findings.iter_mut().filter(|f| !f.is_suppressed()) {
            let path = &sources.get(finding.primary.file).display;
            let print = fingerprint(&finding.identity, path);
            let Some(entries) = self.fingerprints.get(&print) else {
                continue;
            };
            let mut recorded = false;
            for (number, entry) in entries {
                if entry.rule == finding.rule.as_str()
                    && entry.address == finding.address
                    && entry.path == *path
                {
                    recorded = true;
                    continue;
                }
                let address = |a: &Option<String>| {
                    a.as_ref()
                        .map_or_else(|| "no address".into(), |a| format!("`{a}`"))
                };
                warnings.push(format!(
                    "{}: entry {number} (fingerprint {print}) says {} on {} in {}, but its fingerprint is that of {} on {} in {}; it excuses nothing (write the baseline again if the entry is yours)",
                    self.path,
                    entry.rule,
                    address(&entry.address),
                    entry.path,
                    finding.rule.as_str(),
                    address(&finding.address),
                    path
                ));
            }
            if recorded {
                finding.suppression = Some(Suppression {
                    justification: format!("recorded in the baseline {}", self.path),
                    until: None,
                    span: None,
                    evidence: None,
                });
            }
        }
        warnings.sort();
        warnings.dedup();
        warnings
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
                rule: f.rule.as_str().to_string(),
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
    // Written as reports are: hidden characters of addresses and messages
    // as escapes.
    let mut text = Vec::new();
    crate::report::escape::write_json(&mut text, &file).map_err(std::io::Error::other)?;
    text.push(b'\n');
    crate::atomic_file::write(path, &text)?;
    Ok(count)
}
