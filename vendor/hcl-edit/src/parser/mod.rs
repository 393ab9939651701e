//! An HCL parser which keeps track of whitespace, comments and span information.

mod error;
mod expr;
mod fast;
mod key_hash;
mod nesting;
mod number;
mod pratt;
mod repr;
mod state;
mod string;
mod structure;
mod template;
#[cfg(test)]
mod tests;
mod trivia;

pub use self::error::{Error, Location};
use self::expr::root_expr;
use self::structure::body;
use self::template::template;
use crate::expr::Expression;
use crate::structure::Body;
use crate::template::Template;

mod prelude {
    pub(super) use winnow::error::{ContextError, StrContext, StrContextValue};
    pub(super) use winnow::stream::Stream;
    pub(super) use winnow::{dispatch, ModalParser, ModalResult, Parser};

    pub(super) type Input<'a> =
        winnow::stream::Stateful<winnow::stream::LocatingSlice<&'a str>, NestingState>;

    use super::nesting::NestingState;

    /// Creates a new parser input from `s`.
    pub(super) fn new_input(s: &str) -> Input<'_> {
        Input {
            input: winnow::stream::LocatingSlice::new(s),
            state: NestingState::default(),
        }
    }
}

use self::prelude::*;

/// Parse an input into a [`Body`].
///
/// # Errors
///
/// Returns an error if the input does not resemble a valid HCL body.
///
/// mfalint's patch: whitespace and comments around nodes (their decor) are
/// kept as spans into `input`, not copied into strings of their own
/// (`PATCHED.md`): formatting the body again with `Display` writes default
/// whitespace where the input had its own.
///
/// mfalint's patch: a hand-written parser (`fast.rs`) parses the input
/// first and builds the same tree without decor; where it gives up, the
/// winnow parser parses the input (`PATCHED.md`).
pub fn parse_body(input: &str) -> Result<Body, Error> {
    match fast::parse_body(input) {
        Some(body) => Ok(body),
        None => parse_complete(input, body),
    }
}

/// mfalint's patch, for its tests: [`parse_body`] by the winnow parser
/// alone, decor kept as spans.
#[doc(hidden)]
pub fn parse_body_winnow(input: &str) -> Result<Body, Error> {
    parse_complete(input, body)
}

/// mfalint's patch, for its tests: [`parse_body`] by the hand-written
/// parser alone; `None` where it leaves the input to the winnow parser.
#[doc(hidden)]
pub fn parse_body_fast(input: &str) -> Option<Body> {
    fast::parse_body(input)
}

/// Parse an input into an [`Expression`].
///
/// # Errors
///
/// Returns an error if the input does not resemble a valid HCL expression.
///
/// mfalint's patch: decor is kept as spans, as by [`parse_body`].
pub fn parse_expr(input: &str) -> Result<Expression, Error> {
    parse_complete(input, root_expr)
}

/// Parse an input into a [`Template`].
///
/// # Errors
///
/// Returns an error if the input does not resemble a valid HCL template.
///
/// mfalint's patch: decor is kept as spans, as by [`parse_body`].
pub fn parse_template(input: &str) -> Result<Template, Error> {
    parse_complete(input, template)
}

fn parse_complete<'a, P, O>(input: &'a str, mut parser: P) -> Result<O, Error>
where
    P: ModalParser<Input<'a>, O, ContextError>,
{
    let input = new_input(input);

    parser
        .parse(input)
        .map_err(|err| Error::from_parse_error(&err))
}
