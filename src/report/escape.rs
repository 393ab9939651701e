//! Escaping of input-derived text, for every output: one list of hidden
//! characters, one-line text, line starts the GitHub runner cannot take for
//! a workflow command, and JSON with hidden characters escaped. A leaf:
//! whatever writes text (reporters, baselines, standard error) uses it
//! without depending on the reporters.

use std::io::{self, Write};

/// Whether a character must never reach an output raw: control
/// characters (C0, DEL and C1: line breaks, ANSI escapes, the CSI of
/// C1), bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E,
/// U+200F, U+061C: "Trojan Source", text that reads other than it is),
/// invisible characters (U+200B-U+200D, U+2060-U+2064, U+FEFF) and the
/// Unicode line and paragraph separators (U+2028, U+2029).
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
        )
}

/// Makes text safe to print on one line: hidden characters ([`is_hidden`]:
/// newlines, ANSI escapes, bidirectional controls) are shown escaped
/// (`\n`, `\u{1b}`, `\u{202e}`), so a crafted file name cannot forge output
/// lines, terminal sequences or text that reads otherwise. Every
/// input-derived string printed as text goes through it, on standard
/// output and standard error alike.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A line that starts with input (a path): a leading `::` is escaped
/// (`\u{3a}:`), so that the GitHub Actions runner, which reads workflow
/// commands from any line of a step's output, cannot take a file named
/// `::error::...` for one.
pub fn line_start_safe(line: String) -> String {
    let indent = line.len() - line.trim_start().len();
    if line[indent..].starts_with("::") {
        format!("{}\\u{{3a}}{}", &line[..indent], &line[indent + 1..])
    } else {
        line
    }
}

/// JSON as every JSON document mfalint writes (reports, SARIF, baselines)
/// is written: pretty, with hidden characters ([`is_hidden`]) written as
/// `\uXXXX` escapes. serde_json escapes only those below U+0020, so DEL, C1
/// controls and bidirectional controls would otherwise reach a reader, or
/// a terminal showing the file, raw.
pub fn write_json<T: serde::Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(
        out,
        Visible(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut serializer)
}

/// A JSON formatter that writes hidden characters as escapes and leaves
/// the rest to the formatter it wraps.
struct Visible<F>(F);

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for Visible<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hidden(c) {
                self.0.write_string_fragment(writer, &fragment[start..i])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = i + c.len_utf8();
            }
        }
        self.0.write_string_fragment(writer, &fragment[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_key(writer)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
}
