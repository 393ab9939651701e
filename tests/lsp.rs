//! `mfalint lsp` spoken to as an editor does: initialize, open a document,
//! read the published diagnostics, ask for a code action, shut down.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{ChildStdout, Command, Stdio};

use serde_json::{Value, json};

fn send(stdin: &mut impl Write, message: &Value) {
    let body = message.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

fn receive(stdout: &mut BufReader<ChildStdout>) -> Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "server closed its output"
        );
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    stdout.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// Reads messages until one satisfies `want`.
fn until(stdout: &mut BufReader<ChildStdout>, want: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..50 {
        let message = receive(stdout);
        if want(&message) {
            return message;
        }
    }
    panic!("no expected message");
}

#[test]
fn diagnostics_and_code_actions_over_the_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let dir_path = std::fs::canonicalize(dir.path()).unwrap();
    std::fs::write(
        dir_path.join("users.tf"),
        "resource \"aws_iam_user\" \"alice\" {\n  name = \"alice\"\n}\n",
    )
    .unwrap();
    let console = dir_path.join("console.tf");
    std::fs::write(&console, "").unwrap();
    let uri = format!("file://{}", console.display());
    // The unsaved buffer gives alice console access: the saved file is empty.
    let text = "resource \"aws_iam_user_login_profile\" \"alice\" {\n  user = aws_iam_user.alice.name\n}\n";

    let mut child = Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());

    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    let init = until(&mut stdout, |m| m["id"] == 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "mfalint");
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}
        }}),
    );
    let published = until(&mut stdout, |m| {
        m["method"] == "textDocument/publishDiagnostics"
    });
    assert_eq!(published["params"]["uri"], uri);
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    let diagnostic = &diagnostics[0];
    assert_eq!(diagnostic["code"], "MFA001");
    assert_eq!(diagnostic["severity"], 1);
    // Anchored on the login profile in this document; the user is related.
    assert_eq!(diagnostic["range"]["start"]["line"], 0);
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("IAM user `alice`")
    );
    let related = &diagnostic["relatedInformation"][0]["location"];
    assert!(related["uri"].as_str().unwrap().ends_with("/users.tf"));
    assert!(
        diagnostic["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );

    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": uri},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]}
        }}),
    );
    let actions = until(&mut stdout, |m| m["id"] == 2);
    let edit = &actions["result"][0]["edit"]["changes"][&uri][0];
    assert!(
        edit["newText"]
            .as_str()
            .unwrap()
            .starts_with("# mfalint:ignore MFA001 reason=\""),
        "{actions}"
    );

    // Fixing the buffer clears the diagnostic.
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": format!("{text}resource \"aws_iam_virtual_mfa_device\" \"alice\" {{\n  virtual_mfa_device_name = aws_iam_user.alice.name\n}}\n")}]
        }}),
    );
    let cleared = until(&mut stdout, |m| {
        m["method"] == "textDocument/publishDiagnostics"
    });
    assert_eq!(
        cleared["params"]["diagnostics"].as_array().unwrap().len(),
        0,
        "{cleared}"
    );

    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
    );
    until(&mut stdout, |m| m["id"] == 3);
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    assert!(child.wait().unwrap().success());
}
