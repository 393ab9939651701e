//! SARIF 2.1.0, shaped for GitHub code scanning: one run, the full rule
//! list from the registry, URIs relative to the repository root
//! (`%SRCROOT%`, never `../`), UTF-16 columns, related locations, stable
//! partial fingerprints and an `automationDetails.id` category. Input errors
//! become tool execution notifications, so the upload still succeeds.
//! GitHub's upload limits are kept, never silently: at most
//! [`MAX_RESULTS`] results per run, [`MAX_LOCATIONS`] related locations per
//! result, and [`MAX_GZIPPED_BYTES`] for the gzipped file; what is left out
//! is said on standard error and in `runs[].properties`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use serde_json::json;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool, ToolComponent,
};

use super::Report;
use super::{fingerprint, place};
use crate::rules::{self, RuleMeta, Severity};
use crate::source::{SourceMap, Span};

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key under which mfalint's fingerprint appears in `partialFingerprints`.
const FINGERPRINT_KEY: &str = "mfalintFingerprint/v1";

/// The base id artifact URIs are relative to, as GitHub documents it.
const SRCROOT: &str = "%SRCROOT%";

/// GitHub code scanning's limits on an upload: results per run, locations
/// per result, and the gzipped file's size.
pub const MAX_RESULTS: usize = 25_000;
pub const MAX_LOCATIONS: usize = 1_000;
pub const MAX_GZIPPED_BYTES: usize = 10 * 1024 * 1024;

pub fn write(
    result: &Report<'_>,
    options: &super::RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let limits = Limits {
        results: MAX_RESULTS,
        locations: MAX_LOCATIONS,
        gzipped_bytes: MAX_GZIPPED_BYTES,
    };
    for note in write_within(result, options, &limits, out)? {
        eprintln!("mfalint: note: SARIF output: {note}");
    }
    Ok(())
}

/// An upload's limits.
struct Limits {
    results: usize,
    locations: usize,
    gzipped_bytes: usize,
}

/// Writes the document within `limits`; returns what was left out.
fn write_within(
    result: &Report<'_>,
    options: &super::RenderOptions,
    limits: &Limits,
    out: &mut dyn Write,
) -> io::Result<Vec<String>> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = options.sarif_root.clone().unwrap_or_else(|| cwd.clone());
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    let uris = Uris {
        root,
        cwd,
        by_file: Default::default(),
    };
    let mut keep = result.findings.len().min(limits.results);
    let mut notes = Vec::new();
    if keep < result.findings.len() {
        notes.push(format!(
            "{} of {} results kept: GitHub accepts at most {} per run",
            keep,
            result.findings.len(),
            limits.results
        ));
    }
    loop {
        let (document, cut_locations) =
            render(result, options, &uris, keep, limits.locations, &notes);
        let mut text = Vec::new();
        super::write_json(&mut text, &document)?;
        // Gzip is never larger than the text by more than its framing, so
        // only a text over the limit needs measuring.
        let fits = text.len() <= limits.gzipped_bytes
            || miniz_oxide::deflate::compress_to_vec(&text, 1).len() + 18 <= limits.gzipped_bytes;
        if fits || keep == 0 {
            out.write_all(&text)?;
            writeln!(out)?;
            notes.extend(cut_locations);
            return Ok(notes);
        }
        let before = keep;
        keep /= 2;
        notes.retain(|n| !n.contains("gzipped"));
        notes.push(format!(
            "{keep} of {} results kept: with {before} the gzipped file is over GitHub's {}-byte limit",
            result.findings.len(),
            limits.gzipped_bytes
        ));
    }
}

/// Builds the document with the first `keep` results.
fn render(
    result: &Report<'_>,
    options: &super::RenderOptions,
    uris: &Uris,
    keep: usize,
    max_locations: usize,
    notes: &[String],
) -> (Sarif, Option<String>) {
    let rules = rules::all();
    let descriptors: Vec<ReportingDescriptor> = rules.iter().map(|r| descriptor(&r.meta)).collect();
    let mut truncated_locations = false;
    let results: Vec<SarifResult> = result
        .findings
        .iter()
        .take(keep)
        .map(|f| {
            let rule_index = rules
                .iter()
                .position(|r| r.meta.id == f.rule.as_str())
                .unwrap_or(0);
            truncated_locations |= f.related.len() > max_locations;
            let related: Vec<Location> = f
                .related
                .iter()
                .take(max_locations)
                .enumerate()
                .map(|(i, r)| {
                    let mut location = uris.location(result.sources, r.span);
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
                .rule_id(f.rule.as_str().to_string())
                .rule_index(rule_index as i64)
                .level(level(f.severity))
                .message(text(&format!("{} Fix: {}.", f.message, f.help)))
                .locations(vec![uris.location(result.sources, f.primary)])
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
                suppression.location = s.span.map(|span| uris.location(result.sources, span));
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
                Some(span) => uris.location(result.sources, span),
                None => Location::builder()
                    .physical_location(
                        PhysicalLocation::builder()
                            .artifact_location(uris.artifact(Path::new(&e.path)))
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
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .column_kind(json!("utf16CodeUnits"))
        .build();
    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT.to_string(),
        ArtifactLocation::builder()
            .uri(directory_uri(&uris.root))
            .build(),
    );
    run.original_uri_base_ids = Some(base_ids);
    let category = options
        .sarif_category
        .clone()
        .unwrap_or_else(|| "mfalint/".to_string());
    run.automation_details = Some(
        serde_sarif::sarif::RunAutomationDetails::builder()
            .id(category)
            .build(),
    );
    let mut properties = BTreeMap::new();
    let mut notes = notes.to_vec();
    let cut_locations = truncated_locations
        .then(|| format!("related locations cut to {max_locations} per result, as GitHub accepts"));
    notes.extend(cut_locations.clone());
    if !notes.is_empty() {
        properties.insert("mfalint/truncated".to_string(), json!(true));
        properties.insert("mfalint/truncation".to_string(), json!(notes));
        run.properties = Some(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        );
    }
    let sarif = Sarif::builder()
        .schema(SCHEMA_URI.to_string())
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    (sarif, cut_locations)
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

/// A plain text message. SARIF reads `[text](target)` in one as an
/// embedded link (GitHub renders it), and says literal brackets are
/// escaped with a backslash: a user named `[click me](https://...)` would
/// otherwise be a link in the code scanning alert. Every message mfalint
/// writes is plain text (no `markdown`), so escaping the brackets is all it
/// takes.
fn text(message: &str) -> Message {
    let mut escaped = String::with_capacity(message.len());
    for c in message.chars() {
        if matches!(c, '[' | ']') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    Message::builder().text(escaped).build()
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

/// Where artifact URIs are made relative to.
struct Uris {
    /// The repository root, canonical.
    root: PathBuf,
    cwd: PathBuf,
    /// Each file's artifact location, made once (resolving a path asks the
    /// file system, and a file holds many locations).
    by_file: std::cell::RefCell<std::collections::HashMap<crate::source::FileId, ArtifactLocation>>,
}

impl Uris {
    fn location(&self, sources: &SourceMap, span: Span) -> Location {
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
                        self.by_file
                            .borrow_mut()
                            .entry(span.file)
                            .or_insert_with(|| self.artifact(&file.path))
                            .clone(),
                    )
                    .region(region)
                    .build(),
            )
            .build()
    }

    /// A path relative to the root with `%SRCROOT%`; a file outside it
    /// (named on the command line from elsewhere) by its absolute `file:`
    /// URI, never with `../`.
    fn artifact(&self, path: &Path) -> ArtifactLocation {
        let absolute = crate::source::absolute(&self.cwd, path);
        let absolute = std::fs::canonicalize(&absolute).unwrap_or(absolute);
        match absolute.strip_prefix(&self.root) {
            Ok(inside) => {
                let mut location = ArtifactLocation::builder().uri(sarif_uri(inside)).build();
                location.uri_base_id = Some(SRCROOT.to_string());
                location
            }
            Err(_) => ArtifactLocation::builder()
                .uri(format!("file://{}", sarif_uri(&absolute)))
                .build(),
        }
    }
}

/// A folder's `file:` URI, ending with `/` as SARIF requires of a base.
fn directory_uri(dir: &Path) -> String {
    let mut uri = format!("file://{}", sarif_uri(dir));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

fn is_absolute_http_uri(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace)
        && url.split("://").nth(1).is_some_and(|rest| !rest.is_empty())
}

/// A path as a `/`-separated, percent-encoded URI reference: relative for
/// a relative path, rooted (`/a/b`) for an absolute one.
pub fn sarif_uri(path: &Path) -> String {
    let mut segments: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(s) => segments.push(percent_encode(name_bytes(s).as_ref())),
            Component::ParentDir => segments.push("..".to_string()),
            Component::RootDir => segments.push(String::new()),
            _ => {}
        }
    }
    if segments == [String::new()] {
        return "/".into();
    }
    segments.join("/")
}

/// A name's own bytes: on Unix a name need not be UTF-8, and encoding it
/// after replacing its invalid bytes (with U+FFFD) named a file that does
/// not exist.
fn name_bytes(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(name.to_string_lossy().into_owned().into_bytes())
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(segment: &[u8]) -> String {
    let mut out = String::with_capacity(segment.len());
    for &byte in segment {
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
    fn uris_are_percent_encoded() {
        assert_eq!(sarif_uri(Path::new("a dir/ma#in.tf")), "a%20dir/ma%23in.tf");
        assert_eq!(sarif_uri(Path::new("./x/é.tf")), "x/%C3%A9.tf");
        assert_eq!(sarif_uri(Path::new("/r/a b")), "/r/a%20b");
        assert_eq!(directory_uri(Path::new("/r/a b")), "file:///r/a%20b/");
        assert_eq!(directory_uri(Path::new("/")), "file:///");
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let latin1 = Path::new(std::ffi::OsStr::from_bytes(b"d/caf\xe9.tf"));
            assert_eq!(sarif_uri(latin1), "d/caf%E9.tf");
            assert_eq!(sarif_uri(Path::new("a\\b.tf")), "a%5Cb.tf");
        }
    }

    #[test]
    fn github_limits_are_kept_and_said() {
        // Twenty login profiles of undeclared users: twenty findings, each
        // with one related location (none: they are at the profile).
        let text: String = (0..20)
            .map(|i| {
                format!(
                    "resource \"aws_iam_user_login_profile\" \"u{i}\" {{\n  user = \"u{i}\"\n}}\n"
                )
            })
            .collect();
        let result = crate::scan::scan_texts(vec![("main.tf".into(), text)]);
        assert_eq!(result.findings.len(), 20);
        let options = crate::report::RenderOptions::default();
        let run = |limits: Limits| {
            let mut out = Vec::new();
            let notes = write_within(&result.report(), &options, &limits, &mut out).unwrap();
            let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
            (doc, notes)
        };
        let (doc, notes) = run(Limits {
            results: 25_000,
            locations: 1_000,
            gzipped_bytes: 10 << 20,
        });
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 20);
        assert!(doc["runs"][0]["properties"].is_null());

        let (doc, notes) = run(Limits {
            results: 7,
            locations: 1_000,
            gzipped_bytes: 10 << 20,
        });
        assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 7);
        assert_eq!(doc["runs"][0]["properties"]["mfalint/truncated"], true);
        assert!(notes[0].contains("7 of 20 results kept"), "{notes:?}");

        // A gzipped limit below the whole document: results are halved
        // until it fits, and that is said.
        let mut whole = Vec::new();
        write_within(
            &result.report(),
            &options,
            &Limits {
                results: 100,
                locations: 100,
                gzipped_bytes: 10 << 20,
            },
            &mut whole,
        )
        .unwrap();
        let gzipped = miniz_oxide::deflate::compress_to_vec(&whole, 1).len() + 18;
        let (doc, notes) = run(Limits {
            results: 100,
            locations: 100,
            gzipped_bytes: gzipped - 100,
        });
        let kept = doc["runs"][0]["results"].as_array().unwrap().len();
        assert!(
            kept < 20,
            "{kept} results kept under a limit of {gzipped} - 100 bytes"
        );
        assert!(notes.iter().any(|n| n.contains("gzipped")), "{notes:?}");
    }

    #[test]
    fn artifacts_are_relative_to_the_root_never_above_it() {
        let uris = Uris {
            root: PathBuf::from("/repo"),
            cwd: PathBuf::from("/repo/infra/prod"),
            by_file: Default::default(),
        };
        let inside = uris.artifact(Path::new("../../modules/user/main.tf"));
        assert_eq!(inside.uri.as_deref(), Some("modules/user/main.tf"));
        assert_eq!(inside.uri_base_id.as_deref(), Some(SRCROOT));
        let here = uris.artifact(Path::new("main.tf"));
        assert_eq!(here.uri.as_deref(), Some("infra/prod/main.tf"));
        let outside = uris.artifact(Path::new("/elsewhere/x.tf"));
        assert_eq!(outside.uri.as_deref(), Some("file:///elsewhere/x.tf"));
        assert_eq!(outside.uri_base_id, None);
    }

    #[test]
    fn brackets_in_messages_are_escaped() {
        assert_eq!(
            text("user `[a](https://x)` and x[\"k\"]").text.as_deref(),
            Some("user `\\[a\\](https://x)` and x\\[\"k\"\\]")
        );
    }

    #[test]
    fn only_absolute_http_uris_are_help_uris() {
        assert!(is_absolute_http_uri("https://docs.aws.amazon.com/x"));
        assert!(!is_absolute_http_uri("docs/rules/MFA001.md"));
        assert!(!is_absolute_http_uri("https://"));
    }
}
