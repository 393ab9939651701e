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

/// Text safe to print in a snippet: hidden characters other than line
/// breaks and tabs (ANSI escapes, bidirectional controls:
/// [`super::is_hidden`]) become `?` byte for byte, or U+FFFD for the
/// three-byte ones (one character for one, so columns still count right),
/// so spans still line up and the file can neither drive the terminal nor
/// read other than it is; a lone carriage return becomes `\n`, the line
/// break it counts as.
fn displayable(text: &str) -> String {
    let unsafe_char = |c: char, next: Option<char>| {
        super::is_hidden(c) && c != '\n' && c != '\t' && !(c == '\r' && next == Some('\n'))
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        // A lone CR ends a line, as positions count lines: shown as one.
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else if unsafe_char(c, chars.peek().copied()) {
            if c.len_utf8() == 3 {
                out.push('\u{fffd}');
            } else {
                out.extend(std::iter::repeat_n('?', c.len_utf8()));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, floor_char_boundary};
    use proptest::prelude::*;

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 512,
            rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_123),
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    /// Texts with short and very long lines, CRLF, lone CR, control and
    /// multi-byte characters: what templates and editors send.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("x".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\r".to_string()),
            Just("é".to_string()),
            Just("😀".to_string()),
            Just("\u{1b}[31m".to_string()),
            Just("\t".to_string()),
            (1usize..3000).prop_map(|n| "y".repeat(n)),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #![proptest_config(config())]

        /// Every label of a snippet can be read back with the context
        /// miette asks for, at the right place; nothing panics.
        #[test]
        fn every_span_is_readable_at_its_place(
            text in text(),
            cuts in prop::collection::vec((0usize..20_000, 0usize..400), 1..4),
        ) {
            let file = SourceFile::new("t.tf".into(), text.clone());
            let spans: Vec<Span> = cuts
                .iter()
                .map(|&(start, len)| {
                    let start = floor_char_boundary(&text, start);
                    let end = floor_char_boundary(&text, start + len);
                    Span::new(FileId(0), start..end)
                })
                .collect();
            let snippet = Snippet::new("t.tf".into(), &file, &spans);
            for span in &spans {
                let source_span =
                    SourceSpan::new((span.start as usize).into(), (span.end - span.start) as usize);
                for context in [0, 1] {
                    let contents = snippet
                        .read_span(&source_span, context, context)
                        .expect("a label inside its snippet");
                    prop_assert!(contents.span().offset() <= span.start as usize);
                    prop_assert!(
                        contents.span().offset() + contents.span().len() >= span.end as usize
                            || span.end as usize == text.len()
                    );
                }
                let at = snippet.read_span(&source_span, 0, 0).expect("readable");
                let position = file.position(span.start);
                prop_assert_eq!(at.line() + 1, position.line);
                prop_assert_eq!(at.column() + 1, position.column);
            }
        }
    }
}
