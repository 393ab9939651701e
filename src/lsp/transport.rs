//! The Language Server Protocol's framing (`Content-Length` headers, then a
//! JSON body) over standard input and output, bounded.
//!
//! The editor is trusted little more than a repository: a header that
//! announces 4 GB must not make the server allocate 4 GB, and one bad
//! message must not end the session. So a body is read only up to
//! [`MAX_MESSAGE`] bytes (a larger one is skipped in small pieces and
//! answered with an error), header lines are bounded, and a frame that
//! cannot be read or parsed is answered with a JSON-RPC error whose `id` is
//! `null`, as JSON-RPC 2.0 says for a request whose id could not be read;
//! the server goes on with the next frame. Only the end of the input ends
//! the reader.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc;

use lsp_server::Message;
use serde_json::{Value, json};

/// The largest message body read: the largest document the server scans
/// (the 32 MiB file-size limit) with room for JSON escaping.
pub const MAX_MESSAGE: u64 = 96 << 20;
/// The longest header line (`Content-Length: ...` is about 30 bytes).
const MAX_HEADER_LINE: u64 = 4096;
/// The most header lines in one frame.
const MAX_HEADERS: usize = 32;

/// One frame of the input.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A body within the limit (not yet parsed).
    Body(Vec<u8>),
    /// A frame that was skipped, and why (for the error answer).
    Refused { code: i32, message: String },
}

/// JSON-RPC's codes for what a frame can be refused for.
pub const PARSE_ERROR: i32 = -32700;
pub const INVALID_REQUEST: i32 = -32600;

/// Reads the next frame; `None` at the end of the input (also when it ends
/// inside a frame). Memory is bounded by `max` plus a header line.
pub fn read_frame(input: &mut impl BufRead, max: u64) -> io::Result<Option<Frame>> {
    let mut length: Option<u64> = None;
    let mut problem: Option<String> = None;
    let mut headers = 0;
    loop {
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            return Ok(None);
        }
        if line.last() != Some(&b'\n') {
            // Over-long: skip to its end, bounded by what is discarded.
            if !skip_line(input)? {
                return Ok(None);
            }
            problem.get_or_insert_with(|| {
                format!("a header line is longer than {MAX_HEADER_LINE} bytes")
            });
            continue;
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            // An empty line before any header (a stray line break between
            // frames) is skipped.
            if headers == 0 && problem.is_none() {
                continue;
            }
            break;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            problem.get_or_insert_with(|| format!("more than {MAX_HEADERS} header lines"));
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            problem.get_or_insert_with(|| "a header line without ':'".to_string());
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<u64>() {
                Ok(n) => length = Some(n),
                Err(_) => {
                    problem.get_or_insert_with(|| "Content-Length is not a number".to_string());
                }
            }
        }
    }
    let refused = |code, message| Ok(Some(Frame::Refused { code, message }));
    let Some(length) = length else {
        return refused(
            PARSE_ERROR,
            problem.unwrap_or_else(|| "a frame without Content-Length".to_string()),
        );
    };
    if length > max {
        // Skipped without being held: the next frame may be good.
        let skipped = io::copy(&mut input.by_ref().take(length), &mut io::sink())?;
        if skipped < length {
            return Ok(None);
        }
        return refused(
            INVALID_REQUEST,
            format!("a message of {length} bytes is over the {max}-byte limit"),
        );
    }
    let mut body = Vec::new();
    input.by_ref().take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Ok(None);
    }
    if let Some(problem) = problem {
        return refused(PARSE_ERROR, problem);
    }
    Ok(Some(Frame::Body(body)))
}

/// Discards input up to and including the next line break; false at the
/// end of the input.
fn skip_line(input: &mut impl BufRead) -> io::Result<bool> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(false);
        }
        match memchr::memchr(b'\n', buffer) {
            Some(at) => {
                input.consume(at + 1);
                return Ok(true);
            }
            None => {
                let all = buffer.len();
                input.consume(all);
            }
        }
    }
}

/// A frame's message, or the error answer to send for it.
pub fn decode(frame: Frame) -> Result<Message, Value> {
    let (code, message) = match frame {
        Frame::Body(body) => match serde_json::from_slice::<Message>(&body) {
            Ok(message) => return Ok(message),
            Err(e) if e.is_syntax() || e.is_eof() => (PARSE_ERROR, format!("not JSON: {e}")),
            Err(e) => (
                INVALID_REQUEST,
                format!("not a JSON-RPC request, notification or response: {e}"),
            ),
        },
        Frame::Refused { code, message } => (code, message),
    };
    Err(json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": {"code": code, "message": format!("mfalint: {message}")},
    }))
}

/// Writes one message with its header.
pub fn write_frame(output: &mut impl Write, message: &Value) -> io::Result<()> {
    let body = serde_json::to_vec(message)?;
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(&body)?;
    output.flush()
}

/// Standard input and output as two threads: messages read come out of the
/// receiver (frames that could not be read are answered here), and values
/// sent to the sender are written. The writer ends at a `null` sent to it
/// (the reader may hold a sender while it waits on the input), or when
/// every sender is dropped; join it to know that what was sent is written.
pub fn stdio() -> (
    mpsc::Receiver<Message>,
    mpsc::Sender<Value>,
    std::thread::JoinHandle<()>,
) {
    let (to_writer, from_server) = mpsc::channel::<Value>();
    let (to_server, from_reader) = mpsc::channel::<Message>();
    let answers = to_writer.clone();
    std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        while let Ok(Some(frame)) = read_frame(&mut input, MAX_MESSAGE) {
            match decode(frame) {
                Ok(message) => {
                    if to_server.send(message).is_err() {
                        return;
                    }
                }
                Err(answer) => {
                    if answers.send(answer).is_err() {
                        return;
                    }
                }
            }
        }
    });
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        let mut output = stdout.lock();
        for message in from_server {
            if message.is_null() || write_frame(&mut output, &message).is_err() {
                return;
            }
        }
    });
    (from_reader, to_writer, writer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8], max: u64) -> Vec<Frame> {
        let mut reader = io::BufReader::with_capacity(16, input);
        let mut out = Vec::new();
        while let Some(frame) = read_frame(&mut reader, max).unwrap() {
            out.push(frame);
        }
        out
    }

    fn body(text: &str) -> Frame {
        Frame::Body(text.as_bytes().to_vec())
    }

    #[test]
    fn frames_are_read_and_bad_ones_refused_without_losing_the_next() {
        let input = b"Content-Length: 2\r\n\r\n{}\
            Content-Type: x\r\ncontent-length:  3 \r\n\r\n[1]\
            Content-Length: 99999999999\r\n\r\nxx";
        assert_eq!(frames(input, 100), [body("{}"), body("[1]")]);

        let input = b"Content-Length: 5\r\n\r\n12345Content-Length: 2\r\n\r\n{}";
        let got = frames(input, 4);
        assert!(
            matches!(&got[0], Frame::Refused { code: INVALID_REQUEST, message } if message.contains("5 bytes"))
        );
        assert_eq!(got[1], body("{}"));

        let input = b"Content-Length: x\r\n\r\nContent-Length: 2\r\n\r\n{}";
        let got = frames(input, 100);
        assert!(matches!(
            &got[0],
            Frame::Refused {
                code: PARSE_ERROR,
                ..
            }
        ));
        assert_eq!(got[1], body("{}"));

        let mut long = vec![b'X'; 10_000];
        long.extend_from_slice(b"\r\n\r\nContent-Length: 2\r\n\r\n{}");
        let got = frames(&long, 100);
        assert!(matches!(&got[0], Frame::Refused { message, .. } if message.contains("longer")));
        assert_eq!(got[1], body("{}"));
    }

    #[test]
    fn a_body_cut_short_ends_the_input() {
        assert_eq!(frames(b"Content-Length: 10\r\n\r\n{}", 100), []);
        assert_eq!(frames(b"Content-Length: 10", 100), []);
    }

    #[test]
    fn undecodable_bodies_are_answered_with_null_id_errors() {
        let answer = decode(body("{not json")).unwrap_err();
        assert_eq!(answer["id"], Value::Null);
        assert_eq!(answer["error"]["code"], PARSE_ERROR);
        let answer = decode(body("[1, 2]")).unwrap_err();
        assert_eq!(answer["error"]["code"], INVALID_REQUEST);
        let message = decode(body(
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
        ));
        assert!(matches!(message, Ok(Message::Notification(_))));
    }
}
