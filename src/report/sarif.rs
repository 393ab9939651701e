//! SARIF 2.1.0, shaped for GitHub code scanning: one run, the full rule
//! list from the registry, relative percent-encoded URIs, UTF-16 columns,
//! related locations and stable partial fingerprints. Input errors become
//! tool execution notifications, so the upload still succeeds.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};

use super::{fingerprint, place};
use crate::rules::{self, RuleMeta, Severity};
use crate::scan::ScanResult;
use crate::source::{SourceMap, Span};

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key under which mfalint's fingerprint appears in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "mfalintFingerprint/v1";

pub fn write(result: &ScanResult, out: &mut dyn Write) -> io::Result<()> {
    let rules = rules::all();
    let descriptors: Vec<ReportingDescriptor> = rules.iter().map(|r| descriptor(&r.meta)).collect();
    let results: Vec<SarifResult> = result
        .findings
        .iter()
        .map(|f| {
            let rule_index = rules
                .iter()
                .position(|r| r.meta.id == f.rule.id)
                .unwrap_or(0);
            let related: Vec<Location> = f
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut location = location(&result.sources, r.span);
                    location.id = Some(i as i64);
                    location.message = Some(text(&r.message));
                    location
                })
                .collect();
            let mut fingerprints = BTreeMap::new();
            fingerprints.insert(
                FINGERPRINT_KEY.to_string(),
                fingerprint(&f.identity, &result.sources.get(f.primary.file).display),
            );
            let mut result_builder = SarifResult::builder()
                .rule_id(f.rule.id.clone())
                .rule_index(rule_index as i64)
                .level(level(f.severity))
                .message(text(&format!("{} Fix: {}.", f.message, f.help)))
                .locations(vec![location(&result.sources, f.primary)])
                .related_locations(related)
                .partial_fingerprints(fingerprints)
                .build();
            if let Some(s) = &f.suppression {
                let mut suppression = Suppression::builder()
                    .kind(json!(if s.span.is_some() {
                        "inSource"
                    } else {
                        "external"
                    }))
                    .justification(match &s.until {
                        Some(until) => format!("{} (until {until})", s.justification),
                        None => s.justification.clone(),
                    })
                    .build();
                suppression.location = s.span.map(|span| location(&result.sources, span));
                result_builder.suppressions = Some(vec![suppression]);
            }
            result_builder
        })
        .collect();
    let levelled = result
        .errors
        .iter()
        .map(|e| (e, "error"))
        .chain(result.input_warnings.iter().map(|w| (w, "warning")));
    let notifications: Vec<Notification> = levelled
        .map(|(e, level)| {
            let location = match e.span {
                Some(span) => location(&result.sources, span),
                None => Location::builder()
                    .physical_location(
                        PhysicalLocation::builder()
                            .artifact_location(
                                ArtifactLocation::builder()
                                    .uri(sarif_uri(Path::new(&e.path)))
                                    .build(),
                            )
                            .build(),
                    )
                    .build(),
            };
            Notification::builder()
                .level(json!(level))
                .message(text(&e.message))
                .locations(vec![location])
                .build()
        })
        .collect();
    let invocation = Invocation::builder()
        .execution_successful(result.errors.is_empty())
        .tool_execution_notifications(notifications)
        .build();
    let mut driver = ToolComponent::builder()
        .name(env!("CARGO_PKG_NAME").to_string())
        .version(env!("CARGO_PKG_VERSION").to_string())
        .semantic_version(env!("CARGO_PKG_VERSION").to_string())
        .rules(descriptors)
        .build();
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver.information_uri = Some(repository.to_string());
    }
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("utf16CodeUnits"))
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA_URI.to_string())
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

fn descriptor(meta: &RuleMeta) -> ReportingDescriptor {
    let mut properties = BTreeMap::new();
    properties.insert(
        "security-severity".to_string(),
        json!(meta.security_severity),
    );
    properties.insert("precision".to_string(), json!("high"));
    properties.insert(
        "problem.severity".to_string(),
        json!(meta.severity.as_str()),
    );
    let mut descriptor = ReportingDescriptor::builder()
        .id(meta.id.clone())
        .name(meta.name.clone())
        .short_description(multiformat(&meta.title, None))
        .full_description(multiformat(&meta.summary, None))
        .help(multiformat(&meta.plain_help(), Some(meta.markdown())))
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(meta.severity)))
                .enabled(meta.enabled_by_default)
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(meta.tags.clone())
                .additional_properties(properties)
                .build(),
        )
        .build();
    descriptor.help_uri = meta
        .references
        .iter()
        .map(|r| r.url.clone())
        .find(|url| is_absolute_http_uri(url));
    descriptor
}

fn multiformat(text: &str, markdown: Option<String>) -> MultiformatMessageString {
    let mut message = MultiformatMessageString::builder()
        .text(text.to_string())
        .build();
    message.markdown = markdown;
    message
}

fn text(message: &str) -> Message {
    Message::builder().text(message.to_string()).build()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Note => ResultLevel::Note,
    }
}

fn level_name(severity: Severity) -> &'static str {
    severity.as_str()
}

fn location(sources: &SourceMap, span: Span) -> Location {
    let p = place(sources, span);
    let file = sources.get(span.file);
    let region = Region::builder()
        .start_line(p.start.line as i64)
        .start_column(p.start.column_utf16 as i64)
        .end_line(p.end.line as i64)
        .end_column(p.end.column_utf16 as i64)
        .build();
    Location::builder()
        .physical_location(
            PhysicalLocation::builder()
                .artifact_location(
                    ArtifactLocation::builder()
                        .uri(sarif_uri(&file.path))
                        .build(),
                )
                .region(region)
                .build(),
        )
        .build()
}

fn is_absolute_http_uri(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace)
        && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty())
}

/// A relative URI (`/`-separated, percent-encoded) from the working
/// directory to `path`: GitHub resolves it against the repository root,
/// which is the working directory in CI. Never absolute.
pub fn sarif_uri(path: &Path) -> String {
    let relative = relative_to_cwd(path);
    let segments: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(percent_encode(&s.to_string_lossy())),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect();
    segments.join("/")
}

fn relative_to_cwd(path: &Path) -> PathBuf {
    if path.is_relative() {
        return path.to_path_buf();
    }
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    if let Ok(inside) = path.strip_prefix(&cwd) {
        return inside.to_path_buf();
    }
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let (a, c): (Vec<_>, Vec<_>) = (absolute.components().collect(), cwd.components().collect());
    let common = a.iter().zip(&c).take_while(|(x, y)| x == y).count();
    let mut relative = PathBuf::new();
    for _ in common..c.len() {
        relative.push("..");
    }
    for part in &a[common..] {
        relative.push(part);
    }
    relative
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_percent_encoded() {
        assert_eq!(sarif_uri(Path::new("a dir/ma#in.tf")), "a%20dir/ma%23in.tf");
        assert_eq!(sarif_uri(Path::new("./x/é.tf")), "x/%C3%A9.tf");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(sarif_uri(&cwd.join("y.tf")), "y.tf");
        let outside = sarif_uri(&cwd.parent().unwrap().join("z.tf"));
        assert!(outside.starts_with("../"), "{outside}");
    }

    #[test]
    fn only_absolute_http_uris_are_help_uris() {
        assert!(is_absolute_http_uri("https://docs.aws.amazon.com/x"));
        assert!(!is_absolute_http_uri("docs/rules/MFA001.md"));
        assert!(!is_absolute_http_uri("https://"));
    }
}
