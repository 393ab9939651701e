//! mfalint's patch: a hand-written parser for bodies, tried before the
//! winnow parser (`PATCHED.md`).
//!
//! Why it exists: the winnow combinators cost about three times what
//! building the tree itself costs, and parsing was a fifth of a large
//! scan's CPU time. This parser reads the same grammar with a byte cursor
//! and builds the same tree, with the same spans, as the winnow parser,
//! except for decor (the whitespace and comments around nodes, and the
//! trailing whitespace of arrays, objects, argument lists and heredocs),
//! which it leaves empty: mfalint never reads decor. Its lists are exactly
//! as long as they need to be ([`Scratch`]).
//!
//! It is a fast path, not a second parser to trust. Every function mirrors
//! the decision the winnow parser makes at the same point (the comments
//! name the winnow function), and wherever the winnow parser would fail,
//! backtrack into another alternative, or reach a part of the grammar this
//! parser leaves out (template directives, namespaced function calls,
//! identifiers outside ASCII, a carriage return outside a line ending,
//! deep nesting, long operator chains), this one gives up (`None`) and
//! the winnow parser parses the whole input again: its trees and its
//! error messages are the reference. `tests/hcl_fast_parser.rs` (in mfalint) checks, tree for
//! tree, that both parsers agree on the corpus, the fixtures and the
//! synthetic trees, and that this one refuses what the winnow parser
//! refuses.

use super::pratt::{parse_binary_op, BinaryOpToken};
use crate::expr::{
    Array, BinaryOperator, Conditional, Expression, ForCond, ForExpr, ForIntro, FuncArgs, FuncCall,
    FuncName, Object, ObjectKey, ObjectValue, ObjectValueAssignment, ObjectValueTerminator,
    Parenthesis, Splat, Traversal, TraversalOperator, UnaryOp, UnaryOperator,
};
use crate::structure::{Attribute, Block, BlockLabel, Body, Structure};
use crate::template::{Element, HeredocTemplate, Interpolation, StringTemplate, Strip, Template};
use crate::{Decorated, Formatted, Ident, Number, SetSpan, Span, Spanned};

/// Nesting deeper than this is left to the winnow parser, whose own limit
/// (64, `nesting::MAX_NESTING_DEPTH`) counts the same levels: this
/// parser's count is never below the winnow parser's.
const MAX_DEPTH: usize = 48;

/// Binary operators in one attribute value beyond which the winnow parser
/// takes over: its limit is 128 on any path through the tree
/// (`nesting::MAX_OPERATOR_DEPTH`), and a path has at most all of them.
const MAX_OPERATORS: usize = 64;

/// Parses a whole input as a body, or `None` where the winnow parser must
/// decide.
pub(super) fn parse_body(input: &str) -> Option<Body> {
    // Line endings are `\n` and `\r\n`; a lone `\r` makes the winnow
    // parser's comments fail (`till_line_ending`), which is not mirrored.
    let bytes = input.as_bytes();
    let lone = |(i, &c): (usize, &u8)| c == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if bytes.iter().enumerate().any(lone) {
        return None;
    }
    let mut parser = Parser {
        src: input,
        bytes: input.as_bytes(),
        pos: 0,
        depth: 0,
        operators: 0,
        scratch: Scratch::default(),
    };
    let body = parser.body()?;
    (parser.pos == input.len()).then_some(body)
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    operators: usize,
    scratch: Scratch,
}

/// Lists being built, one stack per kind of item: a list's items go on
/// top of its stack (above those of the lists that contain it) and are
/// moved into a vector of exactly their number when it ends. Growing each
/// list by doubling instead left a fifth of the trees' memory unused and
/// cost the copies; trees are most of a large scan's memory.
#[derive(Default)]
struct Scratch {
    structures: Vec<Structure>,
    expressions: Vec<Expression>,
    items: Vec<(ObjectKey, ObjectValue)>,
    operators: Vec<Decorated<TraversalOperator>>,
    elements: Vec<Element>,
}

/// The items above `mark`, taken off the stack into an exact vector.
///
/// A list alone on its stack (an outermost body, say) and long is the
/// stack itself: copying it would hold it twice at once (a body of
/// 200,000 attributes is tens of megabytes), where the stack's own
/// vector is handed over with what it has to spare.
fn take<T>(stack: &mut Vec<T>, mark: usize) -> Vec<T> {
    const LONG: usize = 1024;
    if mark == 0 && stack.len() > LONG {
        let mut list = std::mem::take(stack);
        list.shrink_to_fit();
        return list;
    }
    let list: Vec<T> = stack.drain(mark..).collect();
    if list.len() > LONG {
        // What held it is not needed at that size again.
        stack.shrink_to_fit();
    }
    list
}

/// The winnow parser's expression state (`ExprParseState`) as far as it
/// steers parsing: whether whitespace between an expression's parts may
/// span lines. Arrays, function calls and `for` object expressions allow
/// it for the rest of the expression that contains them.
struct State {
    newlines: bool,
}

fn is_id_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_id_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.bytes[self.pos..].starts_with(s)
    }

    /// The next two bytes when the next character is ASCII and another
    /// follows: the winnow parser peeks two characters (`take(2)`) and
    /// matches nothing when fewer remain; every match starts with an
    /// ASCII character.
    fn peek2(&self) -> Option<[u8; 2]> {
        let first = self.peek()?;
        if !first.is_ascii() {
            return None;
        }
        Some([first, self.peek_at(1)?])
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// The length of the line ending here (`line_ending`: `\n` or
    /// `\r\n`), if one is.
    fn line_ending(&self) -> Option<usize> {
        match self.peek()? {
            b'\n' => Some(1),
            b'\r' if self.peek_at(1) == Some(b'\n') => Some(2),
            _ => None,
        }
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // Whitespace and comments (`trivia.rs`).

    /// `space0`.
    fn space0(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    /// `multispace0`.
    fn multispace0(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// `inline_comment`: `/*` up to the first `*/`; nothing without one.
    fn inline_comment(&mut self) -> bool {
        if !self.starts_with(b"/*") {
            return false;
        }
        match self.src[self.pos + 2..].find("*/") {
            Some(i) => {
                self.pos += 2 + i + 2;
                true
            }
            None => false,
        }
    }

    /// `till_line_ending` after a line comment's start.
    fn skip_line(&mut self) {
        self.pos = match self.bytes[self.pos..]
            .iter()
            .position(|&c| c == b'\n' || c == b'\r')
        {
            Some(i) => self.pos + i,
            None => self.bytes.len(),
        };
    }

    /// `line_comment`: `#` or `//` to the end of the line.
    fn line_comment(&mut self) -> bool {
        if self.peek() == Some(b'#') || self.starts_with(b"//") {
            self.skip_line();
            true
        } else {
            false
        }
    }

    /// `sp`: spaces, tabs and inline comments.
    fn sp(&mut self) {
        self.space0();
        while self.inline_comment() {
            self.space0();
        }
    }

    /// `ws`: whitespace, newlines and comments.
    fn ws(&mut self) {
        self.multispace0();
        while self.line_comment() || self.inline_comment() {
            self.multispace0();
        }
    }

    /// `ws_or_sp`.
    fn ws_or_sp(&mut self, state: &State) {
        if state.newlines {
            self.ws();
        } else {
            self.sp();
        }
    }

    /// `str_ident`, ASCII only: an identifier that goes on with another
    /// character is left to the winnow parser.
    fn ident_str(&mut self) -> Option<&'a str> {
        let start = self.pos;
        if !is_id_start(self.peek()?) {
            return None;
        }
        self.pos += 1;
        while let Some(c) = self.peek() {
            if is_id_continue(c) {
                self.pos += 1;
            } else if c.is_ascii() {
                break;
            } else {
                return None;
            }
        }
        Some(&self.src[start..self.pos])
    }

    /// `ident`, spanned.
    fn ident(&mut self) -> Option<Decorated<Ident>> {
        let start = self.pos;
        let name = self.ident_str()?;
        let mut ident = Decorated::new(Ident::new_unchecked(name));
        ident.set_span(start..self.pos);
        Some(ident)
    }

    // Structures (`structure.rs`).

    /// `body`: structures, each on its own line, then whitespace.
    fn body(&mut self) -> Option<Body> {
        let start = self.pos;
        let mut end = start;
        let mark = self.scratch.structures.len();
        let mut keys = Keys::default();
        let mut eof = false;
        loop {
            let before = self.pos;
            self.ws();
            match self.peek() {
                Some(c) if is_id_start(c) => {}
                Some(c) if !c.is_ascii() => return None,
                _ => {
                    self.pos = before;
                    break;
                }
            }
            let structure = self.structure(&mut keys)?;
            self.sp();
            self.line_comment();
            match self.line_ending() {
                Some(len) => self.pos += len,
                None if self.pos == self.bytes.len() => eof = true,
                None => return None,
            }
            self.scratch.structures.push(structure);
            end = self.pos;
            if eof {
                break;
            }
        }
        self.ws();
        let mut body = Body::from_vec_unchecked(take(&mut self.scratch.structures, mark));
        body.set_prefer_omit_trailing_newline(eof);
        body.set_span(start..end);
        Some(body)
    }

    /// `structure`: an attribute or a block.
    fn structure(&mut self, keys: &mut Keys<'a>) -> Option<Structure> {
        let start = self.pos;
        let name = self.ident_str()?;
        let name_span = start..self.pos;
        self.sp();
        let mut ident = Decorated::new(Ident::new_unchecked(name));
        ident.set_span(name_span);
        let mut structure = match self.peek()? {
            b'=' => {
                if !keys.insert(name) {
                    return None;
                }
                let expr = self.attribute_expr()?;
                Structure::Attribute(Attribute::new(ident, expr))
            }
            b'{' => {
                let mut block = Block::new(ident);
                block.body = self.block_body()?;
                Structure::Block(block)
            }
            c if c == b'"' || is_id_start(c) => {
                let labels = self.block_labels()?;
                let mut block = Block::new(ident);
                block.body = self.block_body()?;
                block.labels = labels;
                Structure::Block(block)
            }
            _ => return None,
        };
        structure.set_span(start..self.pos);
        Some(structure)
    }

    /// `attribute_expr`: `=`, then the value.
    fn attribute_expr(&mut self) -> Option<Expression> {
        self.eat(b'=')?;
        self.sp();
        self.root_expr()
    }

    /// `block_labels`: quoted strings (without templates) and identifiers.
    fn block_labels(&mut self) -> Option<Vec<BlockLabel>> {
        let mut labels = Vec::new();
        loop {
            let start = self.pos;
            let mut label = match self.peek() {
                Some(b'"') => BlockLabel::String(Decorated::new(self.plain_string()?)),
                Some(c) if is_id_start(c) => {
                    BlockLabel::Ident(Decorated::new(Ident::new_unchecked(self.ident_str()?)))
                }
                Some(c) if !c.is_ascii() => return None,
                _ => return Some(labels),
            };
            label.set_span(start..self.pos);
            labels.push(label);
            self.sp();
        }
    }

    /// `block_body`: `{`, then a body on lines of its own or one attribute
    /// (or none) on the same line, then `}`.
    fn block_body(&mut self) -> Option<Body> {
        self.enter()?;
        self.eat(b'{')?;
        let after_brace = self.pos;
        self.sp();
        self.line_comment();
        let body = if let Some(len) = self.line_ending() {
            let start = self.pos;
            self.pos += len;
            let mut body = self.body()?;
            body.set_span(start..self.pos);
            body
        } else {
            self.pos = after_brace;
            let mut body = Body::new();
            body.set_prefer_oneline(true);
            let before = self.pos;
            self.sp();
            match self.peek() {
                Some(c) if is_id_start(c) => {
                    let start = self.pos;
                    let key = self.ident()?;
                    self.sp();
                    let expr = self.attribute_expr()?;
                    let mut attribute = Attribute::new(key, expr);
                    attribute.set_span(start..self.pos);
                    self.sp();
                    body.push(attribute);
                }
                Some(c) if !c.is_ascii() => return None,
                _ => self.pos = before,
            }
            self.sp();
            body
        };
        self.eat(b'}')?;
        self.leave();
        Some(body)
    }

    // Expressions (`expr.rs`).

    /// `root_expr`: an attribute's value.
    fn root_expr(&mut self) -> Option<Expression> {
        self.operators = 0;
        self.expr_inner(&mut State { newlines: false })
    }

    /// `expr` (`newlines` false), `multiline_expr` (true) and
    /// `expr_with_state` (the enclosing state's): a nested expression
    /// with a state of its own.
    fn nested_expr(&mut self, newlines: bool) -> Option<Expression> {
        self.enter()?;
        let expr = self.expr_inner(&mut State { newlines })?;
        self.leave();
        Some(expr)
    }

    /// `expr_inner`: a term, then binary operators or a conditional.
    fn expr_inner(&mut self, state: &mut State) -> Option<Expression> {
        let start = self.pos;
        let mut expr = self.expr_term(state)?;
        loop {
            let before = self.pos;
            self.ws_or_sp(state);
            match self.peek2() {
                Some([b'?', _]) => {
                    self.pos += 1;
                    self.ws_or_sp(state);
                    let true_expr = self.nested_expr(state.newlines)?;
                    self.ws_or_sp(state);
                    self.eat(b':')?;
                    self.ws_or_sp(state);
                    let false_expr = self.nested_expr(state.newlines)?;
                    let mut expr = Expression::Conditional(Box::new(Conditional::new(
                        expr, true_expr, false_expr,
                    )));
                    expr.set_span(start..self.pos);
                    return Some(expr);
                }
                Some(two)
                    if two != *b"//"
                        && two != *b"/*"
                        && (two == *b"==" || b"!<>+-*/%&|".contains(&two[0])) =>
                {
                    self.pos = before;
                    expr = self.binary_ops(state, expr)?;
                    expr.set_span(start..self.pos);
                }
                _ => {
                    self.pos = before;
                    return Some(expr);
                }
            }
        }
    }

    /// `binary_ops`: operators and the terms after them, joined by
    /// precedence with the winnow parser's own Pratt parser.
    fn binary_ops(&mut self, state: &State, lhs: Expression) -> Option<Expression> {
        let mut tokens = vec![BinaryOpToken::Expression(lhs)];
        loop {
            let before = self.pos;
            self.ws_or_sp(state);
            let operator_start = self.pos;
            let Some(operator) = self.binary_operator() else {
                if tokens.len() > 1 {
                    self.pos = before;
                    break;
                }
                return None;
            };
            let mut operator = Decorated::new(operator);
            operator.set_span(operator_start..self.pos);
            self.ws_or_sp(state);
            let term = self.expr_term(&mut State {
                newlines: state.newlines,
            })?;
            self.operators += 1;
            if self.operators > MAX_OPERATORS {
                return None;
            }
            tokens.push(BinaryOpToken::Operator(operator));
            tokens.push(BinaryOpToken::Expression(term));
        }
        Some(parse_binary_op(tokens))
    }

    /// `binary_operator`.
    fn binary_operator(&mut self) -> Option<BinaryOperator> {
        let next = self.peek_at(1);
        let (operator, len) = match self.peek()? {
            b'=' if next == Some(b'=') => (BinaryOperator::Eq, 2),
            b'!' if next == Some(b'=') => (BinaryOperator::NotEq, 2),
            b'<' if next == Some(b'=') => (BinaryOperator::LessEq, 2),
            b'<' => (BinaryOperator::Less, 1),
            b'>' if next == Some(b'=') => (BinaryOperator::GreaterEq, 2),
            b'>' => (BinaryOperator::Greater, 1),
            b'+' => (BinaryOperator::Plus, 1),
            b'-' => (BinaryOperator::Minus, 1),
            b'*' => (BinaryOperator::Mul, 1),
            b'/' if !matches!(next, Some(b'/' | b'*')) => (BinaryOperator::Div, 1),
            b'%' => (BinaryOperator::Mod, 1),
            b'&' if next == Some(b'&') => (BinaryOperator::And, 2),
            b'|' if next == Some(b'|') => (BinaryOperator::Or, 2),
            _ => return None,
        };
        self.pos += len;
        Some(operator)
    }

    /// `expr_term_inner`: one term, then traversal operators.
    fn expr_term(&mut self, state: &mut State) -> Option<Expression> {
        let start = self.pos;
        let mut expr = match self.peek()? {
            b'"' => self.stringlike()?,
            b'[' => self.array(state)?,
            b'{' => self.object(state)?,
            b'0'..=b'9' => self.number()?,
            b'-' => {
                self.pos += 1;
                self.sp();
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    // `neg_number`: the sign and the spaces are in the
                    // number's text.
                    let number = self.num()?;
                    let mut number = Formatted::new(-number);
                    number.set_repr(&self.src[start..self.pos]);
                    Expression::Number(number)
                } else {
                    self.pos = start;
                    self.unary_op(state)?
                }
            }
            b'!' => self.unary_op(state)?,
            b'(' => self.parenthesis()?,
            b'<' => self.heredoc()?,
            c if is_id_start(c) => self.identlike(state)?,
            // Identifiers outside ASCII, and what is no term.
            _ => return None,
        };
        expr.set_span(start..self.pos);
        let before = self.pos;
        self.ws_or_sp(state);
        let next = self.peek2();
        self.pos = before;
        match next {
            Some(two) if two != *b".." && (two[0] == b'.' || two[0] == b'[') => {
                expr = self.traversal(state, expr)?;
                expr.set_span(start..self.pos);
            }
            _ => {}
        }
        Some(expr)
    }

    /// `number` with its text as its representation.
    fn number(&mut self) -> Option<Expression> {
        let start = self.pos;
        let number = self.num()?;
        let mut number = Formatted::new(number);
        number.set_repr(&self.src[start..self.pos]);
        Some(Expression::Number(number))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// `number::number`: a float (a fraction, an exponent or both), else
    /// an integer, which is a float when it does not fit in a `u64`.
    fn num(&mut self) -> Option<Number> {
        let start = self.pos;
        self.digits();
        let mut float = false;
        if self.peek() == Some(b'.') && matches!(self.peek_at(1), Some(b'0'..=b'9')) {
            self.pos += 1;
            self.digits();
            float = true;
            if matches!(self.peek(), Some(b'e' | b'E')) {
                self.exponent()?;
            }
        } else if matches!(self.peek(), Some(b'e' | b'E')) {
            self.exponent()?;
            float = true;
        }
        let text = &self.src[start..self.pos];
        if float {
            return Number::from_f64(text.parse().ok()?);
        }
        match text.parse::<u64>() {
            Ok(n) => Some(Number::from(n)),
            Err(_) => Number::from_f64(text.parse().ok()?),
        }
    }

    /// `exponent`: digits are required after `e` (a cut in the winnow
    /// parser).
    fn exponent(&mut self) -> Option<()> {
        self.pos += 1;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return None;
        }
        self.digits();
        Some(())
    }

    /// `unary_op`: `-` or `!`, spaces, then a term.
    fn unary_op(&mut self, state: &State) -> Option<Expression> {
        let start = self.pos;
        let operator = match self.peek()? {
            b'-' => UnaryOperator::Neg,
            b'!' => UnaryOperator::Not,
            _ => return None,
        };
        self.pos += 1;
        let mut operator = Spanned::new(operator);
        operator.set_span(start..self.pos);
        self.sp();
        self.enter()?;
        let expr = self.expr_term(&mut State {
            newlines: state.newlines,
        })?;
        self.leave();
        Some(Expression::UnaryOp(Box::new(UnaryOp::new(operator, expr))))
    }

    /// `parenthesis`.
    fn parenthesis(&mut self) -> Option<Expression> {
        self.eat(b'(')?;
        self.ws();
        let expr = self.nested_expr(true)?;
        self.ws();
        self.eat(b')')?;
        Some(Expression::Parenthesis(Box::new(Parenthesis::new(expr))))
    }

    /// `identlike`: a function call, a keyword or a variable.
    fn identlike(&mut self, state: &mut State) -> Option<Expression> {
        let start = self.pos;
        let name = self.ident_str()?;
        let span = start..self.pos;
        let before = self.pos;
        self.ws_or_sp(state);
        match self.peek2() {
            // Namespaced functions (`provider::aws::arn_parse`).
            Some([b':', b':']) => None,
            Some([b'(', _]) => {
                let mut ident = Decorated::new(Ident::new_unchecked(name));
                ident.set_span(span);
                let args = self.func_args(state)?;
                Some(Expression::FuncCall(Box::new(FuncCall::new(
                    FuncName::from(ident),
                    args,
                ))))
            }
            _ => {
                self.pos = before;
                Some(match name {
                    "null" => Expression::null(),
                    "true" => Expression::from(true),
                    "false" => Expression::from(false),
                    var => Expression::from(Ident::new_unchecked(var)),
                })
            }
        }
    }

    /// Whether an argument, array element or the like may start here
    /// (`peek(none_of(...))` and `not(...)` in the winnow parser).
    fn at_one_of(&self, set: &[u8]) -> bool {
        match self.peek() {
            Some(c) => set.contains(&c),
            None => true,
        }
    }

    /// `func_args`: `(`, expressions separated by commas, a trailing
    /// comma or `...`, `)`.
    fn func_args(&mut self, state: &mut State) -> Option<FuncArgs> {
        state.newlines = true;
        self.eat(b'(')?;
        let mark = self.scratch.expressions.len();
        let mut comma = false;
        let mut ellipsis = false;
        let before = self.pos;
        self.ws();
        if self.at_one_of(b",.)") {
            self.pos = before;
        } else {
            loop {
                let arg = self.nested_expr(true)?;
                self.scratch.expressions.push(arg);
                self.ws();
                if self.peek() != Some(b',') {
                    break;
                }
                let separator = self.pos;
                self.pos += 1;
                self.ws();
                if self.at_one_of(b",.)") {
                    self.pos = separator;
                    break;
                }
            }
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    comma = true;
                }
                Some(b'.') => {
                    if !self.starts_with(b"...") {
                        return None;
                    }
                    self.pos += 3;
                    ellipsis = true;
                }
                _ => {}
            }
        }
        self.ws();
        self.eat(b')')?;
        let mut args = FuncArgs::from(take(&mut self.scratch.expressions, mark));
        if ellipsis {
            args.set_expand_final(true);
        } else if comma {
            args.set_trailing_comma(true);
        }
        Some(args)
    }

    /// The `for` keyword ahead (`for_expr_or_items`).
    fn for_ahead(&mut self) -> bool {
        let before = self.pos;
        self.ws();
        let found = self.starts_with(b"for")
            && matches!(self.peek_at(3), Some(b' ' | b'\t' | b'#' | b'/' | b'\n'));
        self.pos = before;
        found
    }

    /// `array`: a `for` expression or elements.
    fn array(&mut self, state: &mut State) -> Option<Expression> {
        state.newlines = true;
        self.eat(b'[')?;
        let expr = if self.for_ahead() {
            let intro = self.for_intro()?;
            self.ws();
            let value = self.nested_expr(state.newlines)?;
            self.ws();
            let cond = self.for_cond(state)?;
            let mut expr = ForExpr::new(intro, value);
            expr.cond = cond;
            Expression::ForExpr(Box::new(expr))
        } else {
            let mark = self.scratch.expressions.len();
            let before = self.pos;
            self.ws();
            match self.peek() {
                None => return None,
                Some(b']') => self.pos = before,
                Some(_) => loop {
                    let value = self.nested_expr(state.newlines)?;
                    self.scratch.expressions.push(value);
                    self.ws();
                    if self.peek() != Some(b',') {
                        break;
                    }
                    let separator = self.pos;
                    self.pos += 1;
                    self.ws();
                    match self.peek() {
                        None => return None,
                        Some(b']') => {
                            self.pos = separator;
                            break;
                        }
                        Some(_) => {}
                    }
                },
            }
            let comma = self.eat(b',').is_some();
            self.ws();
            let mut array = Array::from(take(&mut self.scratch.expressions, mark));
            if comma {
                array.set_trailing_comma(true);
            }
            Expression::Array(array)
        };
        self.eat(b']')?;
        Some(expr)
    }

    /// `for_intro`: `for`, one or two identifiers, `in`, the collection,
    /// `:`.
    fn for_intro(&mut self) -> Option<ForIntro> {
        self.ws();
        let start = self.pos;
        self.pos += 3;
        self.ws();
        let first = self.ident()?;
        self.ws();
        let second = if self.eat(b',').is_some() {
            self.ws();
            let ident = self.ident()?;
            self.ws();
            Some(ident)
        } else {
            None
        };
        if !self.starts_with(b"in") {
            return None;
        }
        self.pos += 2;
        self.ws();
        let collection = self.nested_expr(false)?;
        self.ws();
        self.eat(b':')?;
        let mut intro = match second {
            Some(second) => {
                let mut intro = ForIntro::new(second, collection);
                intro.key_var = Some(first);
                intro
            }
            None => ForIntro::new(first, collection),
        };
        intro.set_span(start..self.pos);
        Some(intro)
    }

    /// `for_cond`: an optional `if` and its condition (the span takes the
    /// whitespace after the condition).
    #[allow(clippy::option_option)] // The outer `None` gives up.
    fn for_cond(&mut self, state: &State) -> Option<Option<ForCond>> {
        let before = self.pos;
        self.ws();
        if !self.starts_with(b"if") {
            self.pos = before;
            return Some(None);
        }
        let start = self.pos;
        self.pos += 2;
        self.ws();
        let expr = self.nested_expr(state.newlines)?;
        self.ws();
        let mut cond = ForCond::new(expr);
        cond.set_span(start..self.pos);
        Some(Some(cond))
    }

    /// `object`: a `for` expression or items.
    fn object(&mut self, state: &mut State) -> Option<Expression> {
        self.eat(b'{')?;
        let expr = if self.for_ahead() {
            state.newlines = true;
            let intro = self.for_intro()?;
            self.ws();
            let key = self.nested_expr(false)?;
            self.ws();
            if !self.starts_with(b"=>") {
                return None;
            }
            self.pos += 2;
            self.ws();
            let value = self.nested_expr(false)?;
            self.ws();
            let grouping = self.starts_with(b"...");
            if grouping {
                self.pos += 3;
                self.ws();
            }
            let cond = self.for_cond(state)?;
            let mut expr = ForExpr::new(intro, value);
            expr.key_expr = Some(key);
            expr.cond = cond;
            expr.grouping = grouping;
            Expression::ForExpr(Box::new(expr))
        } else {
            Expression::Object(self.object_items()?)
        };
        self.eat(b'}')?;
        Some(expr)
    }

    /// `object_items`: keys, `=` or `:`, values, each ended by a newline,
    /// a comma, a line comment and a newline, or the closing brace.
    fn object_items(&mut self) -> Option<Object> {
        let mark = self.scratch.items.len();
        let mut keys = Keys::default();
        let mut strings = Keys::default();
        // Where the other keys are among the items, by their hash.
        let mut others: fnv::FnvHashMap<u64, Vec<usize>> = Default::default();
        loop {
            self.ws();
            if self.peek()? == b'}' {
                break;
            }
            let start = self.pos;
            let mut key = match self.nested_expr(false)? {
                Expression::Variable(variable) => {
                    ObjectKey::Ident(Decorated::new(variable.into_value()))
                }
                expr => ObjectKey::Expression(expr),
            };
            let key_end = self.pos;
            key.set_span(start..key_end);
            self.sp();
            // `ObjectKeys`: identifiers and strings by their text, other
            // expressions by `==`; a repeated key is an error.
            let new = match &key {
                // A variable's text is its name.
                ObjectKey::Ident(_) => keys.insert(&self.src[start..key_end]),
                ObjectKey::Expression(Expression::String(string)) => {
                    strings.insert_owned(string.as_str())
                }
                ObjectKey::Expression(expr) => {
                    let items = &self.scratch.items;
                    let same_hash = others.entry(super::key_hash::key_hash(expr)).or_default();
                    let new = !same_hash.iter().any(|&i| items[i].0 == key);
                    same_hash.push(items.len());
                    new
                }
            };
            if !new {
                return None;
            }
            let assignment = match self.peek()? {
                b'=' => ObjectValueAssignment::Equals,
                b':' => ObjectValueAssignment::Colon,
                _ => return None,
            };
            self.pos += 1;
            self.sp();
            let expr = self.nested_expr(false)?;
            self.sp();
            let mut value = ObjectValue::new(expr);
            value.set_assignment(assignment);
            let terminator = match self.peek()? {
                b'}' => {
                    value.set_terminator(ObjectValueTerminator::None);
                    self.scratch.items.push((key, value));
                    break;
                }
                b'\n' | b'\r' => {
                    self.pos += self.line_ending()?;
                    ObjectValueTerminator::Newline
                }
                b',' => {
                    self.pos += 1;
                    ObjectValueTerminator::Comma
                }
                b'#' | b'/' => {
                    if !self.line_comment() {
                        return None;
                    }
                    self.pos += self.line_ending()?;
                    ObjectValueTerminator::Newline
                }
                _ => return None,
            };
            value.set_terminator(terminator);
            self.scratch.items.push((key, value));
        }
        // SAFETY: not a memory-safety invariant; every key was checked to
        // be new above.
        Some(Object::from(unsafe {
            vecmap::VecMap::from_vec_unchecked(take(&mut self.scratch.items, mark))
        }))
    }

    // Strings and templates (`string.rs`, `template.rs`).

    /// A quoted string without interpolations or directives (`string`);
    /// `None` for any other.
    fn plain_string(&mut self) -> Option<String> {
        self.eat(b'"')?;
        let mut string = String::new();
        if self.quoted_fragments(&mut string)? {
            return None;
        }
        self.eat(b'"')?;
        Some(string)
    }

    /// `build_string(quoted_string_fragment)`: literal text and escapes up
    /// to the closing quote (`Some(false)`) or to an interpolation or
    /// directive (`Some(true)`), unescaped into `out`.
    fn quoted_fragments(&mut self, out: &mut String) -> Option<bool> {
        loop {
            let run_start = self.pos;
            while let Some(c) = self.peek() {
                if matches!(c, b'"' | b'\\' | b'$' | b'%') {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.src[run_start..self.pos]);
            match self.peek()? {
                b'"' => return Some(false),
                b'\\' => {
                    self.pos += 1;
                    let c = match self.peek()? {
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'\\' => '\\',
                        b'"' => '"',
                        b'u' => self.hex_escape(4)?,
                        b'U' => self.hex_escape(8)?,
                        _ => return None,
                    };
                    self.pos += 1;
                    out.push(c);
                }
                marker @ (b'$' | b'%') => {
                    if self.peek_at(1) == Some(marker) && self.peek_at(2) == Some(b'{') {
                        // `$${` and `%%{`: the markers, escaped.
                        out.push(marker as char);
                        out.push('{');
                        self.pos += 3;
                    } else if self.peek_at(1) == Some(b'{') {
                        return Some(true);
                    } else {
                        out.push(marker as char);
                        self.pos += 1;
                    }
                }
                _ => unreachable!(),
            }
        }
    }

    /// `\u` and `\U`: exactly `len` hexadecimal digits naming a character.
    /// The cursor is on the `u`; it is left on the last digit.
    fn hex_escape(&mut self, len: usize) -> Option<char> {
        let digits = self.src.get(self.pos + 1..self.pos + 1 + len)?;
        if !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let c = char::from_u32(u32::from_str_radix(digits, 16).ok()?)?;
        // The letter is passed by the caller.
        self.pos += len;
        Some(c)
    }

    /// `stringlike`: a string, or a template where it interpolates.
    fn stringlike(&mut self) -> Option<Expression> {
        let start = self.pos;
        self.eat(b'"')?;
        let mut string = String::new();
        if !self.quoted_fragments(&mut string)? {
            self.pos += 1;
            return Some(Expression::String(Decorated::new(string)));
        }
        self.pos = start + 1;
        let mark = self.scratch.elements.len();
        loop {
            let element_start = self.pos;
            let mut element = match self.peek()? {
                b'"' => break,
                b'$' if self.starts_with(b"${") => Element::Interpolation(self.interpolation()?),
                b'%' if self.starts_with(b"%{") => return None,
                _ => {
                    let mut literal = String::new();
                    self.quoted_fragments(&mut literal)?;
                    Element::Literal(Spanned::new(literal))
                }
            };
            element.set_span(element_start..self.pos);
            self.scratch.elements.push(element);
        }
        self.pos += 1;
        let elements = take(&mut self.scratch.elements, mark);
        Some(Expression::StringTemplate(StringTemplate::from(elements)))
    }

    /// `interpolation`: `${`, an optional `~`, the expression, an optional
    /// `~`, `}`.
    fn interpolation(&mut self) -> Option<Interpolation> {
        self.pos += 2;
        let strip_start = self.eat(b'~').is_some();
        self.ws();
        let expr = self.nested_expr(true)?;
        self.ws();
        let strip_end = self.eat(b'~').is_some();
        self.eat(b'}')?;
        let mut interpolation = Interpolation::new(expr);
        interpolation.strip = Strip::from((strip_start, strip_end));
        Some(interpolation)
    }

    /// `heredoc`: `<<` or `<<-`, a delimiter and a newline, a template up
    /// to a line holding only the delimiter (after spaces), the
    /// delimiter.
    fn heredoc(&mut self) -> Option<Expression> {
        if !self.starts_with(b"<<") {
            return None;
        }
        self.pos += 2;
        let indented = self.eat(b'-').is_some();
        let delimiter = self.ident_str()?;
        self.pos += self.line_ending()?;
        let start = self.pos;
        // mfalint's patch of `heredoc_template`: the closing delimiter on
        // the first line makes an empty template.
        self.space0();
        let closes_at_once = self.starts_with(delimiter.as_bytes()) && {
            self.pos += delimiter.len();
            self.delimiter_ends()?
        };
        self.pos = start;
        // `opt(...)`: without a line ending after the elements, the
        // template is empty and the delimiter must follow at once.
        let elements = match closes_at_once {
            true => None,
            false => self.heredoc_elements(delimiter)?,
        };
        let mut template = match elements {
            Some(elements) => Template::from(elements),
            None => {
                self.pos = start;
                Template::default()
            }
        };
        template.set_span(start..self.pos);
        self.space0();
        if !self.starts_with(delimiter.as_bytes()) {
            return None;
        }
        self.pos += delimiter.len();
        if !self.delimiter_ends()? {
            return None;
        }
        let mut heredoc = HeredocTemplate::new(Ident::new_unchecked(delimiter), template);
        if indented {
            heredoc.dedent();
        }
        Some(Expression::HeredocTemplate(Box::new(heredoc)))
    }

    /// Whether a heredoc's delimiter ends here: no identifier character
    /// follows (`not(one_of(is_id_continue))`); `None` for a character
    /// outside ASCII.
    fn delimiter_ends(&self) -> Option<bool> {
        match self.peek() {
            None => Some(true),
            Some(c) if c.is_ascii() => Some(!is_id_continue(c)),
            Some(_) => None,
        }
    }

    /// `heredoc_end`: a newline, spaces, the delimiter, and no identifier
    /// character after it.
    fn at_heredoc_end(&mut self, delimiter: &str) -> Option<bool> {
        let Some(len) = self.line_ending() else {
            return Some(false);
        };
        let before = self.pos;
        self.pos += len;
        self.space0();
        let found = if self.starts_with(delimiter.as_bytes()) {
            self.pos += delimiter.len();
            self.delimiter_ends()
        } else {
            Some(false)
        };
        self.pos = before;
        found
    }

    /// `heredoc_template`'s elements and the line ending after them
    /// (appended to the last literal); `Some(None)` where no line ending
    /// follows them.
    #[allow(clippy::option_option)] // The outer `None` gives up.
    fn heredoc_elements(&mut self, delimiter: &str) -> Option<Option<Vec<Element>>> {
        let mark = self.scratch.elements.len();
        loop {
            let start = self.pos;
            let mut element = if self.starts_with(b"${") {
                Element::Interpolation(self.interpolation()?)
            } else if self.starts_with(b"%{") {
                return None;
            } else {
                let mut literal = String::new();
                while self.pos < self.bytes.len() {
                    if self.starts_with(b"$${") || self.starts_with(b"%%{") {
                        literal.push_str(if self.peek() == Some(b'$') {
                            "${"
                        } else {
                            "%{"
                        });
                        self.pos += 3;
                        continue;
                    }
                    if self.starts_with(b"${")
                        || self.starts_with(b"%{")
                        || self.at_heredoc_end(delimiter)?
                    {
                        break;
                    }
                    let run_start = self.pos;
                    self.pos += 1;
                    while let Some(c) = self.peek() {
                        if matches!(c, b'$' | b'%' | b'\n' | b'\r') {
                            break;
                        }
                        self.pos += 1;
                    }
                    // The run ends before an ASCII byte or at the end.
                    literal.push_str(self.src.get(run_start..self.pos)?);
                }
                if self.pos == start {
                    break;
                }
                Element::Literal(Spanned::new(literal))
            };
            element.set_span(start..self.pos);
            self.scratch.elements.push(element);
        }
        let Some(len) = self.line_ending() else {
            self.scratch.elements.truncate(mark);
            return Some(None);
        };
        let newline = self.pos..self.pos + len;
        let ending = &self.src[newline.clone()];
        self.pos += len;
        let elements = &mut self.scratch.elements;
        match elements[mark..].last_mut() {
            Some(Element::Literal(literal)) => {
                let start = literal.span()?.start;
                literal.push_str(ending);
                literal.set_span(start..newline.end);
            }
            _ => {
                let mut literal = Spanned::new(String::from(ending));
                literal.set_span(newline);
                elements.push(Element::Literal(literal));
            }
        }
        Some(Some(take(elements, mark)))
    }

    // Traversals.

    /// `traversal`: `.` attributes, legacy indexes and splats, `[` indexes
    /// and splats.
    fn traversal(&mut self, state: &State, expr: Expression) -> Option<Expression> {
        let mark = self.scratch.operators.len();
        loop {
            let before = self.pos;
            self.ws_or_sp(state);
            if self.starts_with(b"..") {
                self.pos = before;
                break;
            }
            let start = self.pos;
            let operator = match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    self.ws();
                    let inner_start = self.pos;
                    let mut operator = match self.peek()? {
                        b'*' => {
                            self.pos += 1;
                            TraversalOperator::AttrSplat(Decorated::new(Splat))
                        }
                        b'0'..=b'9' => {
                            // `dec_uint`: no leading zeros (`0` alone).
                            let digits_start = self.pos;
                            if self.peek() == Some(b'0') {
                                self.pos += 1;
                            } else {
                                self.digits();
                            }
                            let index: u64 = self.src[digits_start..self.pos].parse().ok()?;
                            TraversalOperator::LegacyIndex(index.into())
                        }
                        c if is_id_start(c) => TraversalOperator::GetAttr(Decorated::new(
                            Ident::new_unchecked(self.ident_str()?),
                        )),
                        _ => return None,
                    };
                    operator.set_span(inner_start..self.pos);
                    operator
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.ws();
                    let inner_start = self.pos;
                    let mut operator = if self.peek()? == b'*' {
                        self.pos += 1;
                        TraversalOperator::FullSplat(Decorated::new(Splat))
                    } else {
                        TraversalOperator::Index(self.nested_expr(true)?)
                    };
                    operator.set_span(inner_start..self.pos);
                    self.ws();
                    self.eat(b']')?;
                    operator
                }
                _ => {
                    self.pos = before;
                    break;
                }
            };
            let mut operator = Decorated::new(operator);
            operator.set_span(start..self.pos);
            self.scratch.operators.push(operator);
        }
        if self.scratch.operators.len() == mark {
            return None;
        }
        let operators = take(&mut self.scratch.operators, mark);
        Some(Expression::Traversal(Box::new(Traversal::new(
            expr, operators,
        ))))
    }
}

/// Keys seen in a body or an object: a short list looked through, a set
/// once it grows (a body of 200,000 attributes must not be quadratic).
#[derive(Default)]
struct Keys<'a> {
    list: Vec<std::borrow::Cow<'a, str>>,
    set: fnv::FnvHashSet<std::borrow::Cow<'a, str>>,
}

impl<'a> Keys<'a> {
    const LIST: usize = 16;

    /// Adds a key; `false` if it was there.
    fn insert(&mut self, key: &'a str) -> bool {
        self.insert_cow(std::borrow::Cow::Borrowed(key))
    }

    fn insert_owned(&mut self, key: &str) -> bool {
        self.insert_cow(std::borrow::Cow::Owned(key.to_owned()))
    }

    fn insert_cow(&mut self, key: std::borrow::Cow<'a, str>) -> bool {
        if self.set.is_empty() {
            if self.list.contains(&key) {
                return false;
            }
            self.list.push(key);
            if self.list.len() > Self::LIST {
                self.set.extend(self.list.drain(..));
            }
            true
        } else {
            self.set.insert(key)
        }
    }
}
