//! The HTML inventory in a real headless browser (Debian's Chromium,
//! which `.ci/run` installs): the page loads with its script run, the
//! chart and the table render, the URL fragment filters and sorts, and a
//! screenshot is taken (left in the target's temporary folder for a
//! person to look at). Without Chromium the tests fail, unless
//! `MFALINT_NO_BROWSER=1` says to skip them.

use std::path::{Path, PathBuf};
use std::process::Command;

const CASE: &str = "testdata/inventory/multi_service";

fn chromium() -> Option<PathBuf> {
    if std::env::var_os("MFALINT_NO_BROWSER").is_some() {
        eprintln!("MFALINT_NO_BROWSER is set: browser test skipped");
        return None;
    }
    let path = std::env::var_os("MFALINT_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.exists(),
        "{} not found: install Chromium (`apt-get install chromium`), set MFALINT_CHROMIUM, or set MFALINT_NO_BROWSER=1 to skip",
        path.display()
    );
    Some(path)
}

/// The inventory of the multi-service case as HTML, in a fresh folder.
fn page(dir: &Path) -> PathBuf {
    let out = dir.join("inventory.html");
    let status = Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .args(["inventory", "--no-config", "-f", "html", "-o"])
        .arg(&out)
        .arg(CASE)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("mfalint runs");
    assert_eq!(status.code(), Some(0));
    out
}

/// Chromium, headless, offline, with a fresh profile.
fn browser(chromium: &Path, profile: &Path) -> Command {
    let mut command = Command::new(chromium);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// The DOM after the page's script ran, at `fragment`.
fn dom(chromium: &Path, dir: &Path, html: &Path, fragment: &str) -> String {
    let profile = tempfile::tempdir_in(dir).expect("profile dir");
    let out = browser(chromium, profile.path())
        .arg("--dump-dom")
        .arg(format!("file://{}{fragment}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 DOM")
}

/// `(status, hidden, identity)` of each table row, in order.
fn rows(dom: &str) -> Vec<(String, bool, String)> {
    dom.split("<tr data-status=\"")
        .skip(1)
        .map(|part| {
            let status = part.split('"').next().expect("status").to_string();
            let tag_end = part.find('>').expect("tag end");
            let hidden = part[..tag_end].contains("hidden");
            let cells: Vec<&str> = part.split("<td").collect();
            let identity = cells[2]
                .split_once('>')
                .and_then(|(_, rest)| rest.split("</td>").next())
                .expect("identity cell")
                .to_string();
            (status, hidden, identity)
        })
        .collect()
}

#[test]
fn the_page_renders_its_chart_and_table() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let html = page(dir.path());
    let text = std::fs::read_to_string(&html).expect("written");
    assert!(
        !text.contains(" src=") && !text.contains(" href=") && !text.contains("url("),
        "self-contained: nothing to fetch"
    );
    let dom = dom(&chromium, dir.path(), &html, "");
    assert!(dom.contains("data-ready=\"true\""), "the script ran");
    let all = rows(&dom);
    assert_eq!(all.len(), 12);
    assert!(all.iter().all(|(_, hidden, _)| !hidden));
    assert!(dom.contains("<span id=\"shown\" aria-live=\"polite\">12 of 12</span>"));
    // One card per service, its bar's segments adding up to its total.
    let cards: Vec<&str> = dom.split("<div class=\"service\"").skip(1).collect();
    assert_eq!(cards.len(), 4);
    for card in cards {
        let total: usize = card
            .split("data-total=\"")
            .nth(1)
            .and_then(|t| t.split('"').next())
            .and_then(|t| t.parse().ok())
            .expect("total");
        let sum: usize = card
            .split("data-count=\"")
            .skip(1)
            .map(|c| c.split('"').next().unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(sum, total);
    }
    assert!(
        dom.contains("data-status=\"none\" data-count=\"3\""),
        "AWS IAM's none"
    );
}

#[test]
fn the_fragment_filters_and_sorts() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let html = page(dir.path());
    let visible = |fragment: &str| -> Vec<(String, String)> {
        rows(&dom(&chromium, dir.path(), &html, fragment))
            .into_iter()
            .filter(|(_, hidden, _)| !hidden)
            .map(|(status, _, identity)| (status, identity))
            .collect()
    };
    let none: Vec<String> = visible("#status=none")
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    assert_eq!(none, ["carol", "alice", "dave", "everyone"]);
    assert_eq!(
        visible("#q=hardware%20key"),
        [("excepted".to_string(), "breakglass".to_string())]
    );
    let sorted: Vec<String> = visible("#sort=identity&dir=descending")
        .into_iter()
        .map(|(_, i)| i)
        .take(3)
        .collect();
    assert_eq!(sorted, ["everyone", "engineering", "dave"]);
}

#[test]
fn a_screenshot_is_taken() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let html = page(dir.path());
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("inventory.png");
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir_in(dir.path()).expect("profile dir");
    let out = browser(&chromium, profile.path())
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1300,900")
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    assert!(
        png.len() > 10_000,
        "a page, not a blank: {} bytes",
        png.len()
    );
    eprintln!("screenshot: {}", shot.display());
}
