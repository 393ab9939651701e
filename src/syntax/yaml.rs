//! YAML into the spanned tree ([`super::Node`]), read as CloudFormation's
//! tools (PyYAML, cfn-lint) read it, within bounds.

use std::ops::Range;

use saphyr::Scalar;

use super::{Key, Kind, Node, SyntaxError, SyntaxWarning, WarningKind, check_depth};
use crate::source::SourceFile;

/// A YAML document as CloudFormation reads it, and what was read leniently.
#[derive(Debug, Clone, PartialEq)]
pub struct Yaml {
    pub root: Node,
    pub warnings: Vec<SyntaxWarning>,
}

/// Parses YAML as CloudFormation's tools (PyYAML, cfn-lint) read it: a
/// duplicate key is a warning and the last one wins, and a flow collection
/// may close (or go on) at its parent key's indentation. Documents nested
/// deeper than `max_depth` are rejected, not recursed, and aliases may
/// expand to at most `max_aliases` nodes and [`MAX_ALIAS_BYTES`] bytes.
/// Only the first document is read
/// (a later one is a warning).
pub fn parse_yaml(
    file: &SourceFile,
    max_depth: usize,
    max_aliases: usize,
) -> Result<Yaml, SyntaxError> {
    check_depth(&file.text, max_depth)?;
    let offsets = CharOffsets::new(&file.text);
    let first = match load(&file.text, file, &offsets, max_depth, max_aliases) {
        Ok(yaml) => return Ok(yaml),
        Err(err) => err,
    };
    // saphyr follows YAML 1.2: a flow collection's lines must be indented
    // past its parent. PyYAML does not check, and templates rely on it.
    // Only a file that fails on indentation pays for a second parse.
    if first.indentation
        && let Some(relaxed) = relax_flow_indentation(&file.text)
        && let Ok(yaml) = load(&relaxed, file, &offsets, max_depth, max_aliases)
    {
        return Ok(yaml);
    }
    Err(first.error)
}

/// Byte offsets of character indices (saphyr's markers count characters).
/// An ASCII text needs no table; otherwise one byte offset is kept every
/// [`CharOffsets::STEP`] characters.
struct CharOffsets<'t> {
    text: &'t str,
    checkpoints: Option<Vec<usize>>,
}

impl<'t> CharOffsets<'t> {
    const STEP: usize = 64;

    fn new(text: &'t str) -> Self {
        let checkpoints = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(Self::STEP)
                .map(|(at, _)| at)
                .collect()
        });
        CharOffsets { text, checkpoints }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.checkpoints {
            None => char_index.min(self.text.len()),
            Some(checkpoints) => {
                let Some(&from) = checkpoints.get(char_index / Self::STEP) else {
                    return self.text.len();
                };
                self.text[from..]
                    .char_indices()
                    .nth(char_index % Self::STEP)
                    .map_or(self.text.len(), |(at, _)| from + at)
            }
        }
    }

    fn span(&self, span: &saphyr_parser::Span) -> Range<usize> {
        let start = self.byte(span.start.index());
        start..self.byte(span.end.index()).max(start)
    }
}

/// Why one parse failed, and whether relaxing flow indentation may help.
struct LoadError {
    error: SyntaxError,
    indentation: bool,
}

/// One parse of `text` (the file's text, or a relaxed copy with the same
/// characters at the same indices); spans are bytes of `original`'s text.
fn load(
    text: &str,
    original: &SourceFile,
    offsets: &CharOffsets<'_>,
    max_depth: usize,
    max_aliases: usize,
) -> Result<Yaml, LoadError> {
    let mut builder = Builder {
        original,
        offsets,
        max_depth,
        alias_budget: AliasBudget {
            nodes: max_aliases,
            bytes: MAX_ALIAS_BYTES,
        },
        max_aliases,
        stack: Vec::new(),
        anchors: std::collections::HashMap::new(),
        root: None,
        documents: 0,
        warnings: Vec::new(),
    };
    let fail = |error: SyntaxError| LoadError {
        error,
        indentation: false,
    };
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|err| {
            let at = offsets.byte(err.marker().index());
            LoadError {
                indentation: err.info().contains("indentation"),
                error: SyntaxError {
                    span: at..at,
                    message: format!("YAML syntax error: {}", err.info()),
                    limit: false,
                },
            }
        })?;
        builder.event(event, span).map_err(fail)?;
    }
    Ok(Yaml {
        root: builder.root.unwrap_or(Node {
            span: 0..0,
            kind: Kind::Null,
        }),
        warnings: builder.warnings,
    })
}

/// Builds [`Node`]s from saphyr's events, without recursion.
struct Builder<'a> {
    original: &'a SourceFile,
    offsets: &'a CharOffsets<'a>,
    max_depth: usize,
    /// Nodes and bytes aliases may still expand to.
    alias_budget: AliasBudget,
    max_aliases: usize,
    /// Open collections, outermost first.
    stack: Vec<Frame>,
    /// Anchored nodes by anchor id, with their text when they are scalars
    /// (an alias may be a key).
    anchors: std::collections::HashMap<usize, (Node, Option<String>)>,
    root: Option<Node>,
    documents: usize,
    warnings: Vec<SyntaxWarning>,
}

struct Frame {
    start: usize,
    anchor: usize,
    tag: Option<saphyr_parser::Tag>,
    items: Items,
}

enum Items {
    List(Vec<Node>),
    Map {
        entries: Vec<(Key, Node)>,
        /// Entry index by key, once the mapping is too large to scan.
        index: Option<std::collections::HashMap<String, usize>>,
        /// The key read, waiting for its value.
        key: Option<Key>,
    },
}

/// Mappings up to this size look for a duplicate key by scanning.
const SCANNED_KEYS: usize = 16;

impl Builder<'_> {
    fn event(
        &mut self,
        event: saphyr_parser::Event<'_>,
        span: saphyr_parser::Span,
    ) -> Result<(), SyntaxError> {
        use saphyr_parser::Event;
        let at = self.offsets.span(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents == 2 {
                    self.warnings.push(SyntaxWarning {
                        span: at.start..at.start,
                        message: "a second YAML document starts here; a template is one document (CloudFormation rejects more), so only the first is read".into(),
                        kind: WarningKind::LaterDocument,
                    });
                }
            }
            _ if self.documents > 1 => {}
            Event::DocumentEnd => {
                if self.root.is_none() {
                    self.root = Some(Node {
                        span: at,
                        kind: Kind::Null,
                    });
                }
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if self.stack.len() > self.max_depth {
                    return Err(self.too_deep(at));
                }
                let items = if matches!(event, Event::SequenceStart(..)) {
                    Items::List(Vec::new())
                } else {
                    Items::Map {
                        entries: Vec::new(),
                        index: None,
                        key: None,
                    }
                };
                self.stack.push(Frame {
                    start: at.start,
                    anchor,
                    tag: tag.as_deref().cloned(),
                    items,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let span = frame.start..at.start.max(frame.start);
                let node = match frame.items {
                    Items::List(items) => Node {
                        span,
                        kind: Kind::List(items),
                    },
                    Items::Map { entries, .. } => Node {
                        span,
                        kind: Kind::Map(entries),
                    },
                };
                let node = tagged(frame.tag.as_ref(), node);
                self.insert(node, frame.anchor, None)?;
            }
            Event::Scalar(value, style, anchor, tag) => {
                use saphyr_parser::ScalarStyle;
                let scalar = match tag.as_deref() {
                    Some(t) if !t.is_yaml_core_schema() => {
                        Scalar::parse_from_cow_and_metadata(value, style, None)
                    }
                    _ => Scalar::parse_from_cow_and_metadata(value, style, tag.as_ref()),
                };
                // A key is its text whatever its tag (PyYAML reads
                // `! "Ref": x` and `!ImportValue Fn::Sub: x` so).
                let text = Some(scalar.as_ref().map_or_else(String::new, scalar_text));
                let kind = scalar.as_ref().map_or(Kind::Null, scalar_kind);
                let mut at = at;
                if let ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted = style {
                    // saphyr's span runs on over the spaces and comment
                    // after the closing quote (and, in a relaxed flow
                    // collection, over the lines joined to it).
                    at.end = quoted_end(&self.original.text, at.clone());
                }
                let node = tagged(tag.as_deref(), Node { span: at, kind });
                self.insert(node, anchor, text)?;
            }
            Event::Alias(id) => {
                let mut budget = self.alias_budget;
                // Counted before it is cloned: a bomb is refused at the cost
                // of the budget, not of the expansion.
                let counted = self.anchors.get(&id).map(|(anchored, text)| {
                    budget.take_bytes(text.as_ref().map_or(0, String::len))?;
                    count_within_budget(anchored, &mut budget)
                });
                let height = match counted {
                    None => {
                        let unknown = Node {
                            span: at,
                            kind: Kind::Null,
                        };
                        return self.insert(unknown, 0, None);
                    }
                    Some(Err(over)) => {
                        let what = match over {
                            Over::Nodes => {
                                format!("{} nodes (--max-yaml-aliases)", self.max_aliases)
                            }
                            Over::Bytes => format!("{MAX_ALIAS_BYTES} bytes"),
                        };
                        return Err(SyntaxError {
                            span: at.start..at.start,
                            message: format!("YAML aliases expand to more than {what}; not read"),
                            limit: true,
                        });
                    }
                    Some(Ok(height)) => height,
                };
                if self.stack.len() + height > self.max_depth + 1 {
                    return Err(self.too_deep(at));
                }
                self.alias_budget = budget;
                let (mut node, text) = self.anchors[&id].clone();
                node.span = at;
                self.insert(node, 0, text)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
        Ok(())
    }

    fn too_deep(&self, at: Range<usize>) -> SyntaxError {
        SyntaxError {
            span: at,
            message: format!("the document nests deeper than {} levels", self.max_depth),
            limit: true,
        }
    }

    /// Places a complete node: the root, an item, a key or a value.
    fn insert(
        &mut self,
        node: Node,
        anchor: usize,
        text: Option<String>,
    ) -> Result<(), SyntaxError> {
        if anchor > 0 {
            self.anchors.insert(anchor, (node.clone(), text.clone()));
        }
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = Some(node);
            }
            return Ok(());
        };
        match &mut frame.items {
            Items::List(items) => items.push(node),
            Items::Map {
                entries,
                index,
                key,
            } => match key.take() {
                None => {
                    let Some(name) = text else {
                        return Err(SyntaxError {
                            span: node.span,
                            message: "a mapping key must be a plain value".into(),
                            limit: false,
                        });
                    };
                    *key = Some(Key {
                        name,
                        span: node.span,
                    });
                }
                Some(key) => {
                    let earlier = match index {
                        Some(index) => index.get(&key.name).copied(),
                        None => entries.iter().position(|(k, _)| k.name == key.name),
                    };
                    match earlier {
                        Some(i) => {
                            let earlier_at = entries[i].0.span.start;
                            let line = 1 + self
                                .original
                                .lines
                                .line_at(&self.original.text, earlier_at)
                                .0;
                            self.warnings.push(SyntaxWarning {
                                span: key.span.clone(),
                                message: format!(
                                    "duplicate key `{}`: this one is read and the one on line {line} is ignored, as CloudFormation does",
                                    key.name
                                ),
                                kind: WarningKind::DuplicateKey,
                            });
                            // Keeps the first one's place, as PyYAML does.
                            entries[i] = (key, node);
                        }
                        None => {
                            if let Some(index) = index {
                                index.insert(key.name.clone(), entries.len());
                            }
                            entries.push((key, node));
                            if index.is_none() && entries.len() == SCANNED_KEYS {
                                *index = Some(
                                    entries
                                        .iter()
                                        .enumerate()
                                        .map(|(i, (k, _))| (k.name.clone(), i))
                                        .collect(),
                                );
                            }
                        }
                    }
                }
            },
        }
        Ok(())
    }
}

/// Where the quoted scalar that starts in `span` (after any tag or
/// anchor) ends: just past its closing quote; the span's end if it cannot
/// be found there.
fn quoted_end(text: &str, span: Range<usize>) -> usize {
    let Some(within) = text.get(span.clone()) else {
        return span.end;
    };
    let bytes = within.as_bytes();
    let Some(open) = bytes.iter().position(|&b| b == b'"' || b == b'\'') else {
        return span.end;
    };
    let quote = bytes[open];
    let mut k = open + 1;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' if quote == b'"' => k += 1,
            b'\'' if quote == b'\'' && bytes.get(k + 1) == Some(&b'\'') => k += 1,
            b if b == quote => return span.start + k + 1,
            _ => {}
        }
        k += 1;
    }
    span.end
}

/// A node with a local tag (`!Ref x`: handle `!`) keeps it, for the
/// front-end to read; other tags (`!!str`, `!<...>`) keep only their value.
fn tagged(tag: Option<&saphyr_parser::Tag>, node: Node) -> Node {
    let Some(tag) = tag.filter(|t| t.handle == "!") else {
        return node;
    };
    Node {
        span: node.span.clone(),
        kind: Kind::Tagged(tag.suffix.clone(), Box::new(node)),
    }
}

/// Counts the nodes of `node` against `budget` as saphyr does (a mapping
/// entry's key is one node), stopping once it is spent: the node's height
/// when it fits. The walk is as deep as the node, which is within the
/// nesting limit.
fn count_within_budget(node: &Node, budget: &mut AliasBudget) -> Result<usize, Over> {
    budget.take_node()?;
    let mut height = 0;
    match &node.kind {
        Kind::List(items) => {
            for item in items {
                height = height.max(count_within_budget(item, budget)?);
            }
        }
        Kind::Map(entries) => {
            for (key, value) in entries {
                budget.take_node()?;
                budget.take_bytes(key.name.len())?;
                height = height.max(count_within_budget(value, budget)?);
            }
        }
        Kind::Tagged(name, arg) | Kind::Intrinsic(name, arg) => {
            budget.take_bytes(name.len())?;
            height = count_within_budget(arg, budget)?;
        }
        Kind::String(text) => {
            budget.take_bytes(text.len())?;
            return Ok(1);
        }
        _ => return Ok(1),
    }
    Ok(height + 1)
}

/// What YAML aliases may still expand to in one file: nodes (the
/// `--max-yaml-aliases` budget) and bytes, so that a few thousand aliases
/// of one big scalar are refused as a "billion laughs" is.
#[derive(Debug, Clone, Copy)]
struct AliasBudget {
    nodes: usize,
    bytes: usize,
}

/// Which part of an [`AliasBudget`] ran out.
#[derive(Debug)]
enum Over {
    Nodes,
    Bytes,
}

/// The bytes aliases may expand to in one file, counting the text of
/// strings and keys and `ALIAS_NODE_BYTES` for each node: 64 MiB, far
/// past any real template (aliases are rare in CloudFormation) and within
/// the memory a scan may take. 20,000 aliases of a 300 KB scalar in a
/// 420 KB file took over 8 GB.
pub const MAX_ALIAS_BYTES: usize = 64 * 1024 * 1024;

/// What one node costs in an alias's expansion, besides its text.
const ALIAS_NODE_BYTES: usize = std::mem::size_of::<Node>() + std::mem::size_of::<Key>();

impl AliasBudget {
    fn take_node(&mut self) -> Result<(), Over> {
        self.nodes = self.nodes.checked_sub(1).ok_or(Over::Nodes)?;
        self.take_bytes(ALIAS_NODE_BYTES)
    }

    fn take_bytes(&mut self, bytes: usize) -> Result<(), Over> {
        self.bytes = self.bytes.checked_sub(bytes).ok_or(Over::Bytes)?;
        Ok(())
    }
}

/// PyYAML reads a flow collection whose later lines sit at (or left of)
/// the indentation of the line that opens it, as in
///
/// ```yaml
///     Arns: [
///       "arn:aws:iam::aws:policy/ReadOnlyAccess"
///     ]
/// ```
///
/// which YAML 1.2, and so saphyr, rejects. This joins each such line to the
/// line before: the line break becomes spaces, and a comment that ended
/// the line before becomes spaces too. Inside a flow collection a line
/// break outside a quoted scalar is only a separator, so the meaning is the
/// same; each character is replaced by one character, so character indices
/// (saphyr's positions) still point into the original. `None` when no line
/// needed joining.
///
/// A light scan, not a YAML parser: it knows block scalars (`|`, `>`, whose
/// lines are skipped), quoted scalars, comments, and that `[` or `{` opens a
/// flow collection only where a node starts (not in `${Name}`).
fn relax_flow_indentation(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let len = b.len();
    // Byte ranges to turn into one space per character.
    let mut blank: Vec<Range<usize>> = Vec::new();
    let mut flow_depth = 0usize;
    // Indentation of the line that opened the outermost flow collection.
    let mut flow_base = 0usize;
    // Lines more indented than this belong to a block scalar.
    let mut block_scalar: Option<usize> = None;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < len {
        let line_start = i;
        let line_end = memchr::memchr(b'\n', &b[i..]).map_or(len, |n| i + n);
        let spaces = b[i..line_end].iter().take_while(|&&c| c == b' ').count();
        if let Some(parent) = block_scalar {
            let blank_line = b[i..line_end].iter().all(|c| c.is_ascii_whitespace());
            if blank_line || spaces > parent {
                i = line_end + 1;
                continue;
            }
            block_scalar = None;
        }
        let mut k = line_start;
        // Indentation counting `- ` prefixes, and the last dash's column.
        let mut indent = spaces;
        let mut dash = None;
        if quote.is_none() && flow_depth == 0 {
            k += spaces;
            while k < line_end
                && b[k] == b'-'
                && (k + 1 == line_end || b[k + 1] == b' ' || b[k + 1] == b'\t')
            {
                dash = Some(k - line_start);
                k += 1;
                while k < line_end && (b[k] == b' ' || b[k] == b'\t') {
                    k += 1;
                }
            }
            indent = k - line_start;
        }
        let mut node_start = true;
        let mut comment = None;
        while k < line_end {
            let c = b[k];
            if let Some(q) = quote {
                if q == b'"' && c == b'\\' {
                    k += 2;
                    continue;
                }
                if c == q {
                    if q == b'\'' && k + 1 < line_end && b[k + 1] == b'\'' {
                        k += 2;
                        continue;
                    }
                    quote = None;
                    node_start = false;
                }
                k += 1;
                continue;
            }
            let after_space = k == line_start || matches!(b[k - 1], b' ' | b'\t');
            match c {
                b'#' if after_space => {
                    comment = Some(k);
                    break;
                }
                b' ' | b'\t' => {}
                b'"' | b'\'' if node_start => quote = Some(c),
                b'[' | b'{' if flow_depth > 0 || node_start => {
                    if flow_depth == 0 {
                        flow_base = indent;
                    }
                    flow_depth += 1;
                    node_start = true;
                }
                b']' | b'}' if flow_depth > 0 => {
                    flow_depth -= 1;
                    node_start = false;
                }
                b',' if flow_depth > 0 => node_start = true,
                b':' if flow_depth > 0 || k + 1 == line_end || matches!(b[k + 1], b' ' | b'\t') => {
                    node_start = true;
                }
                b'-' | b'?' if node_start && (k + 1 == line_end || b[k + 1] == b' ') => {
                    dash = Some(k - line_start);
                }
                b'|' | b'>' if flow_depth == 0 && node_start => {
                    // The scalar's lines are those indented past its key
                    // (or past the dash it follows).
                    block_scalar = Some(if dash.is_some_and(|d| d + 2 >= k - line_start) {
                        dash.unwrap_or(indent)
                    } else {
                        indent
                    });
                    break;
                }
                b'!' | b'&' | b'*' if node_start => {
                    // A tag or anchor: the node starts after it.
                    while k + 1 < line_end
                        && !matches!(b[k + 1], b' ' | b'\t' | b',' | b'[' | b']' | b'{' | b'}')
                    {
                        k += 1;
                    }
                    node_start = c != b'*';
                }
                _ => node_start = false,
            }
            k += 1;
        }
        if flow_depth > 0 && quote.is_none() && line_end < len {
            let next = line_end + 1;
            let next_end = memchr::memchr(b'\n', &b[next..]).map_or(len, |n| next + n);
            let next_spaces = b[next..next_end].iter().take_while(|&&c| c == b' ').count();
            if next_spaces <= flow_base {
                let cr = if line_end > line_start && b[line_end - 1] == b'\r' {
                    line_end - 1
                } else {
                    line_end
                };
                let from = comment.map_or(cr, |c| c.min(cr));
                blank.push(from..line_end + 1);
            }
        }
        i = line_end + 1;
    }
    if blank.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(len);
    let mut at = 0;
    for range in blank {
        out.push_str(&text[at..range.start]);
        out.extend(text[range.clone()].chars().map(|_| ' '));
        at = range.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

fn scalar_kind(scalar: &Scalar<'_>) -> Kind {
    match scalar {
        Scalar::Null => Kind::Null,
        Scalar::Boolean(b) => Kind::Bool(*b),
        Scalar::Integer(i) => Kind::Number(*i as f64),
        Scalar::FloatingPoint(f) => Kind::Number(f.into_inner()),
        Scalar::String(s) => Kind::String(s.to_string()),
    }
}

fn scalar_text(scalar: &Scalar<'_>) -> String {
    match scalar {
        Scalar::Null => "null".into(),
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Integer(i) => i.to_string(),
        Scalar::FloatingPoint(f) => f.to_string(),
        Scalar::String(s) => s.to_string(),
    }
}
