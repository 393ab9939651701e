//! What a rule reports: a finding with a primary location, related
//! locations and a fix. Reporters render it; they know nothing of formats.

use crate::rules::id::RuleId;
use crate::rules::meta::Severity;
use crate::source::Span;

/// A secondary location that explains a finding (e.g. the login profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub message: String,
}

/// The longest quoted text (a name, an expression) a message shows whole.
pub const MAX_QUOTED_CHARS: usize = 200;

/// `message` with each quoted part (between backticks) longer than
/// [`MAX_QUOTED_CHARS`] characters cut there, with an ellipsis and its
/// length: a user named by a megabyte-long expression is still one
/// readable line, not a megabyte of output per finding.
pub fn shorten_quoted(message: &str) -> String {
    if message.len() <= MAX_QUOTED_CHARS {
        return message.to_string();
    }
    let parts: Vec<&str> = message.split('`').collect();
    // With an odd number of backticks the last part is not quoted.
    let closed = parts.len() - 1 - (parts.len() - 1) % 2;
    let mut out = String::with_capacity(message.len().min(4096));
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        let quoted = i % 2 == 1 && i < closed;
        match part.char_indices().nth(MAX_QUOTED_CHARS) {
            Some((cut, _)) if quoted && !is_clipped(part, cut) => {
                out.push_str(&part[..cut]);
                out.push('…');
                out.push_str(&format!(" ({} bytes)", part.len()));
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// `text` cut as [`shorten_quoted`] cuts a quoted part, for what the
/// model keeps to show later (the text of an expression, kept per
/// instance); what is already cut is not cut again.
pub fn clipped(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((cut, _)) if !is_clipped(text, cut) => {
            format!("{}… ({} bytes)", &text[..cut], text.len())
        }
        _ => text.to_string(),
    }
}

/// Whether `text`, past its first [`MAX_QUOTED_CHARS`] characters (at
/// byte `cut`), is only the mark [`clipped`] leaves.
fn is_clipped(text: &str, cut: usize) -> bool {
    let rest = &text[cut..];
    rest.starts_with("… (")
        && rest.ends_with(" bytes)")
        && rest["… (".len()..rest.len() - " bytes)".len()]
            .bytes()
            .all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    /// Where the reader should look first.
    pub primary: Span,
    /// Short label shown under the primary span.
    pub label: String,
    pub related: Vec<Related>,
    /// Logical address of the entity the finding is about.
    pub address: Option<String>,
    /// The identity's name as its service knows it (a user name, an
    /// organisation's name), when known: what external evidence in
    /// `.mfalint.toml` names as its `subject`.
    pub subject: Option<String>,
    /// How to fix this particular finding.
    pub help: String,
    /// Stable identity (rule, entity, subject): independent of line numbers.
    pub identity: String,
    /// Set when a recorded exception excuses the finding: it is kept and
    /// shown as suppressed, never dropped.
    pub suppression: Option<Suppression>,
    /// The scope (root module tree, template, report) the finding is
    /// about; `None` for findings about the configuration itself.
    pub scope: Option<crate::model::ScopeId>,
}

impl Finding {
    /// The finding with long names and expressions cut in its message,
    /// label and related messages ([`shorten_quoted`]).
    pub fn shortened(mut self) -> Finding {
        self.message = shorten_quoted(&self.message);
        self.label = shorten_quoted(&self.label);
        for related in &mut self.related {
            related.message = shorten_quoted(&related.message);
        }
        self
    }

    pub fn is_suppressed(&self) -> bool {
        self.suppression.is_some()
    }
}

/// A recorded exception that excuses a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub justification: String,
    /// `YYYY-MM-DD`, if the exception is time-boxed.
    pub until: Option<String>,
    /// Where the exception is written (`None` for an external one).
    pub span: Option<Span>,
    /// Set when external evidence (`.mfalint.toml` `[[evidence]]`), not
    /// an exception, excuses the finding.
    pub evidence: Option<ExternalEvidence>,
}

/// Proof of MFA kept outside the code (a screenshot, an export of the
/// admin console, an attestation), recorded in `.mfalint.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalEvidence {
    /// `screenshot`, `admin-console-export`, `attestation`, ...
    pub kind: String,
    /// A URL or a path in the repository.
    pub reference: String,
    pub verified_by: String,
    /// `YYYY-MM-DD`.
    pub verified_on: String,
}

/// Stable fingerprint of a finding: FNV-1a over its identity and the path
/// of its primary file, so it survives unrelated edits that move lines.
/// Used by SARIF `partialFingerprints`, JSON output and baselines.
pub fn fingerprint(identity: &str, path: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path.bytes().chain([0]).chain(identity.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_parts_are_cut_with_their_length() {
        let name = "x".repeat(300);
        let message = format!("IAM user `{name}` (`aws_iam_user.u`) can sign in; a `stray");
        let short = shorten_quoted(&message);
        assert_eq!(
            short,
            format!(
                "IAM user `{}… (300 bytes)` (`aws_iam_user.u`) can sign in; a `stray",
                "x".repeat(200)
            )
        );
        let prose = format!("no quote here: {}", "y".repeat(400));
        assert_eq!(shorten_quoted(&prose), prose, "only quoted parts are cut");
        let unclosed = format!("a `{}", "z".repeat(400));
        assert_eq!(shorten_quoted(&unclosed), unclosed);
        assert_eq!(shorten_quoted("`é`"), "`é`");
        let once = clipped(&name);
        assert_eq!(once, format!("{}… (300 bytes)", "x".repeat(200)));
        assert_eq!(clipped(&once), once);
        let message = format!("its name `{once}` is not known {}", "y".repeat(300));
        assert_eq!(shorten_quoted(&message), message, "cut once");
    }
}
