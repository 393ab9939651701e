//! The part of a file a human diagnostic shows. miette's own reader scans
//! the file from its start for every snippet and prints whole lines; on a
//! minified template (one line of megabytes) that was megabytes of output
//! and seconds per finding. A snippet holds the lines around its spans
//! with a line of context, cut to a window around the spans where a line
//! is long, found through the file's line index.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{SourceFile, Span, floor_char_boundary};

/// Bytes of a long line kept on each side of the spans.
const WINDOW: usize = 80;

/// Context further than this from the spans is cut.
const REACH: usize = 4 * WINDOW;

/// Labels of one file further apart than this are shown in snippets of
/// their own.
pub const NEAR: usize = 4 * 1024;

#[derive(Debug)]
pub struct Snippet {
    name: String,
    /// The excerpt, control characters made printable.
    text: String,
    /// Where the excerpt starts in the file.
    offset: usize,
    /// Its 0-based line, and the characters before it in that line.
    line: usize,
    column: usize,
}

impl Snippet {
    /// The excerpt of `file` that shows `spans` (which it must hold: a
    /// label outside it cannot be drawn).
    pub fn new(name: String, file: &SourceFile, spans: &[Span]) -> Snippet {
        let text = &*file.text;
        let lo = spans.iter().map(|s| s.start as usize).min().unwrap_or(0);
        let lo = floor_char_boundary(text, lo);
        let hi = spans.iter().map(|s| s.end as usize).max().unwrap_or(lo);
        let hi = floor_char_boundary(text, hi.max(lo));
        let (_, line_start, _) = file.lines.line_at(text, lo);
        let context_start = match line_start {
            0 => 0,
            _ => file.lines.line_at(text, line_start - 1).1,
        };
        let start = if lo - context_start <= REACH {
            context_start
        } else if lo - line_start <= REACH {
            line_start
        } else {
            floor_char_boundary(text, lo - WINDOW)
        };
        let (_, _, line_end) = file.lines.line_at(text, hi);
        let context_end = match line_end {
            end if end >= text.len() => end,
            end => file.lines.line_at(text, end + 1).2,
        };
        let end = if context_end - hi <= REACH {
            context_end
        } else if line_end - hi <= REACH {
            line_end
        } else {
            floor_char_boundary(text, hi + WINDOW)
        };
        let position = file.position(start as u32);
        let (line, column) = (position.line - 1, position.column - 1);
        let mut excerpt = displayable(&text[start..end]);
        // A cut line says so, where the dots cover no label.
        if column > 0 && excerpt.is_char_boundary(3) && excerpt[..3].is_ascii() && start + 3 <= lo {
            excerpt.replace_range(..3, "...");
        }
        let cut_end = end < text.len() && !text[end..].starts_with(['\n', '\r']);
        if cut_end && end >= hi + 3 && excerpt.is_char_boundary(excerpt.len() - 3) {
            let at = excerpt.len() - 3;
            if excerpt[at..].is_ascii() {
                excerpt.replace_range(at.., "...");
            }
        }
        Snippet {
            name,
            text: excerpt,
            offset: start,
            line,
            column,
        }
    }
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = span
            .offset()
            .checked_sub(self.offset)
            .ok_or(MietteError::OutOfBounds)?;
        let local = SourceSpan::new(local.into(), span.len());
        let contents =
            self.text
                .as_bytes()
                .read_span(&local, context_lines_before, context_lines_after)?;
        // In characters, as every other format counts (miette counts
        // bytes).
        let local_start = contents.span().offset();
        let head = self.text.get(..local_start).unwrap_or_default();
        let line_start = head.rfind('\n').map_or(0, |i| i + 1);
        let before = head[line_start..].chars().count();
        let column = if line_start == 0 {
            self.column + before
        } else {
            before
        };
        let span = SourceSpan::new(
            (contents.span().offset() + self.offset).into(),
            contents.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            span,
            contents.line() + self.line,
            column,
            // Counted from the start of the file, as miette's own reader
            // does (it decides from it which labels share one block).
            contents.line_count() + self.line,
        )))
    }
}

/// Text safe to print in a snippet: control characters other than line
/// breaks and tabs (ANSI escapes, a lone carriage return) become `?`, byte
/// for byte, so spans still line up and the file cannot drive the
/// terminal.
fn displayable(text: &str) -> String {
    let unsafe_char = |c: char, next: Option<char>| {
        c.is_control() && c != '\n' && c != '\t' && !(c == '\r' && next == Some('\n'))
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if unsafe_char(c, chars.peek().copied()) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}
