//! The inventory as one self-contained HTML file for auditors: a summary
//! per service with a bar of its statuses, and a table that sorts (click a
//! header) and filters (a status, a text), readable printed.
//!
//! Nothing is fetched: styles and script are inline, and a Content
//! Security Policy forbids every other source, so the file opened from an
//! evidence folder years later shows the same. Every input-derived text is
//! written into the markup escaped (HTML entities, hidden characters shown
//! escaped), never into the script: the script only reads the table.
//! The state of the view is in the URL's fragment (`#status=none&q=alice&
//! sort=identity`), so a link can point an auditor at a filtered view.

use std::io::{self, Write};

use super::{Row, Status};
use crate::diagnostic::InputError;
use crate::report::one_line;
use crate::source::SourceMap;

/// Text as HTML character data or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let text = one_line(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Each status's colour in the chart and the table.
fn colour(status: Status) -> &'static str {
    match status {
        Status::Enforced => "#1a7f37",
        Status::ServiceRequired => "#2da44e",
        Status::Device => "#4ac26b",
        Status::Evidence => "#0969da",
        Status::Excepted => "#bf8700",
        Status::None => "#cf222e",
        Status::Unknown => "#8250df",
    }
}

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.meta { color: #59636e; margin: 0 0 1rem; }
.services { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: .75rem; }
.service { border: 1px solid #d1d9e0; border-radius: 6px; padding: .6rem .8rem; }
.service h3 { font-size: 1rem; margin: 0 0 .4rem; }
.bar { display: flex; height: 14px; border-radius: 3px; overflow: hidden; background: #eff2f5; }
.bar span { display: block; height: 100%; }
.legend { margin: .4rem 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: .2rem .8rem; font-size: 12px; }
.legend i, td.status i { display: inline-block; width: .7em; height: .7em; border-radius: 2px; margin-right: .3em; }
.controls { margin: 1rem 0 .5rem; display: flex; gap: .75rem; flex-wrap: wrap; }
.controls input, .controls select { font: inherit; padding: .2rem .4rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d1d9e0; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " \25B2"; }
th[aria-sort="descending"]::after { content: " \25BC"; }
td.status { white-space: nowrap; font-weight: 600; }
td.why { max-width: 40rem; }
code { font-size: 12px; overflow-wrap: anywhere; }
.errors { color: #cf222e; }
@media print {
  body { margin: 0; font-size: 11px; }
  .controls { display: none; }
  tr[hidden] { display: table-row !important; }
  th { cursor: auto; }
  th::after { content: none !important; }
}
"#;

/// Sorting and filtering; reads only the table it is given.
const SCRIPT: &str = r##"
(function () {
  var table = document.getElementById("identities");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var status = document.getElementById("status");
  var text = document.getElementById("q");
  var count = document.getElementById("shown");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var state = { status: "", q: "", sort: "", dir: "ascending" };
  function readHash() {
    location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var kv = pair.split("=");
      if (kv.length === 2 && kv[0] in state) {
        try { state[kv[0]] = decodeURIComponent(kv[1]); } catch (e) { state[kv[0]] = kv[1]; }
      }
    });
  }
  function writeHash() {
    var parts = [];
    ["status", "q", "sort", "dir"].forEach(function (k) {
      if (state[k] && !(k === "dir" && state[k] === "ascending")) { parts.push(k + "=" + encodeURIComponent(state[k])); }
    });
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname);
  }
  function apply() {
    var q = state.q.toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!state.status || row.getAttribute("data-status") === state.status) &&
        (!q || row.textContent.toLowerCase().indexOf(q) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length;
    headers.forEach(function (th) {
      if (th.getAttribute("data-key") === state.sort) { th.setAttribute("aria-sort", state.dir); }
      else { th.removeAttribute("aria-sort"); }
    });
    var index = headers.findIndex(function (th) { return th.getAttribute("data-key") === state.sort; });
    if (index >= 0) {
      var sign = state.dir === "descending" ? -1 : 1;
      var key = function (row) { return row.cells[index].getAttribute("data-sort") || row.cells[index].textContent; };
      rows.slice().sort(function (a, b) {
        return sign * key(a).localeCompare(key(b), undefined, { numeric: true });
      }).forEach(function (row) { body.appendChild(row); });
    }
  }
  headers.forEach(function (th) {
    th.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      state.dir = state.sort === key && state.dir === "ascending" ? "descending" : "ascending";
      state.sort = key;
      apply(); writeHash();
    });
  });
  status.addEventListener("change", function () { state.status = status.value; apply(); writeHash(); });
  text.addEventListener("input", function () { state.q = text.value; apply(); writeHash(); });
  readHash();
  status.value = state.status;
  text.value = state.q;
  apply();
  document.body.setAttribute("data-ready", "true");
})();
"##;

pub fn write(
    rows: &[Row],
    sources: &SourceMap,
    errors: &[InputError],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    )?;
    writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>MFA inventory</title>\n<style>{STYLE}</style>\n</head>\n<body>"
    )?;
    writeln!(out, "<h1>MFA inventory</h1>")?;
    writeln!(
        out,
        "<p class=\"meta\">{} identities in {} services, by mfalint {}.</p>",
        rows.len(),
        super::summary(rows).len(),
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(
        out,
        "<section class=\"services\" aria-label=\"Summary per service\">"
    )?;
    for (service, counts) in super::summary(rows) {
        let total: usize = counts.iter().sum();
        writeln!(
            out,
            "<div class=\"service\" data-service=\"{}\" data-total=\"{total}\"><h3>{} <small>({total})</small></h3>",
            escape(&service),
            escape(&service)
        )?;
        write!(out, "<div class=\"bar\" role=\"img\" aria-label=\"")?;
        let label: Vec<String> = Status::ALL
            .iter()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| format!("{n} {}", s.as_str()))
            .collect();
        write!(out, "{}\">", escape(&label.join(", ")))?;
        for (status, n) in Status::ALL.iter().zip(counts).filter(|(_, n)| *n > 0) {
            write!(
                out,
                "<span class=\"segment\" data-status=\"{}\" data-count=\"{n}\" style=\"width:{:.3}%;background:{}\" title=\"{n} {}\"></span>",
                status.as_str(),
                n as f64 * 100.0 / total as f64,
                colour(*status),
                status.as_str()
            )?;
        }
        write!(out, "</div>\n<ul class=\"legend\">")?;
        for (status, n) in Status::ALL.iter().zip(counts) {
            write!(
                out,
                "<li><i style=\"background:{}\"></i>{} {n}</li>",
                colour(*status),
                status.as_str()
            )?;
        }
        writeln!(out, "</ul></div>")?;
    }
    writeln!(out, "</section>")?;
    writeln!(
        out,
        "<h2>Identities</h2>\n<div class=\"controls\"><label>Status <select id=\"status\"><option value=\"\">all</option>"
    )?;
    for status in Status::ALL {
        write!(out, "<option value=\"{0}\">{0}</option>", status.as_str())?;
    }
    writeln!(
        out,
        "</select></label> <label>Filter <input id=\"q\" type=\"search\" placeholder=\"name, address, reason\"></label> <span id=\"shown\" aria-live=\"polite\"></span></div>"
    )?;
    writeln!(
        out,
        "<table id=\"identities\">\n<thead><tr><th data-key=\"service\">Service</th><th data-key=\"identity\">Identity</th><th data-key=\"access\">Access</th><th data-key=\"status\">Status</th><th data-key=\"why\">Why</th><th data-key=\"location\">Location</th><th data-key=\"address\">Address</th></tr></thead>\n<tbody>"
    )?;
    for row in rows {
        let (path, line, column) = row.location(sources);
        let why = row.why();
        let rank = row.status.index();
        writeln!(
            out,
            "<tr data-status=\"{status}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"status\" data-sort=\"{rank}\"><i style=\"background:{}\"></i>{status}</td><td class=\"why\">{}</td><td data-sort=\"{}:{line:08}:{column:08}\"><code>{}:{line}:{column}</code></td><td><code>{}</code></td></tr>",
            escape(&row.service),
            escape(&row.identity),
            escape(row.access.as_str()),
            colour(row.status),
            escape(&why),
            escape(&path),
            escape(&path),
            escape(&row.address),
            status = row.status.as_str(),
        )?;
    }
    writeln!(out, "</tbody>\n</table>")?;
    if !errors.is_empty() {
        writeln!(
            out,
            "<h2 class=\"errors\">Inputs that could not be read</h2>\n<p>Identities they declare are missing from this inventory.</p>\n<ul class=\"errors\">"
        )?;
        for e in errors {
            writeln!(
                out,
                "<li><code>{}</code>: {}</li>",
                escape(&e.path),
                escape(&e.message)
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn input_cannot_become_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("a\u{202e}b\n"), "a\\u{202e}b\\n");
    }
}
