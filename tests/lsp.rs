//! `mfalint lsp` spoken to as an editor does: initialize, open a document,
//! read the published diagnostics, ask for a code action, shut down.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

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

/// Kills the server after two minutes, so that a server that stops
/// answering fails the test (its output closes) instead of hanging it.
fn watchdog(pid: u32) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(120));
        let _ = Command::new("kill").arg(pid.to_string()).status();
    });
}

/// Starts `mfalint lsp`, under a watchdog.
fn start_server() -> (Child, ChildStdin, BufReader<ChildStdout>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mfalint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    watchdog(child.id());
    let stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    (child, stdin, stdout)
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

    let (child, mut stdin, mut stdout) = start_server();

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
    // The exception goes above the user, in users.tf, where the finding is
    // anchored; its reason is left empty for the user to type.
    let users_uri = format!("file://{}", dir_path.join("users.tf").display());
    let edit = &actions["result"][0]["edit"]["changes"][&users_uri][0];
    assert_eq!(edit["range"]["start"]["line"], 0, "{actions}");
    assert!(
        edit["newText"]
            .as_str()
            .unwrap()
            .starts_with("# mfalint:ignore MFA001 reason=\"\" until="),
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
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
    assert_eq!(
        cleared["params"]["diagnostics"].as_array().unwrap().len(),
        0,
        "{cleared}"
    );

    shut_down(child, &mut stdin, &mut stdout);
}

/// Publications of one republish: reads until `last` (the greatest URI
/// expected, as they come in order) is published.
fn publications(stdout: &mut BufReader<ChildStdout>, last: &str) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    for _ in 0..50 {
        let message = receive(stdout);
        if message["method"] != "textDocument/publishDiagnostics" {
            continue;
        }
        let uri = message["params"]["uri"].as_str().unwrap().to_string();
        out.insert(uri.clone(), message["params"]["diagnostics"].clone());
        if uri == last {
            return out;
        }
    }
    panic!("{last} was not published");
}

/// `initialize` (no client capabilities, `root` as the workspace) and
/// `initialized`.
fn initialize(stdin: &mut ChildStdin, stdout: &mut BufReader<ChildStdout>, root: &Path) {
    send(
        stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "capabilities": {}, "rootUri": format!("file://{}", root.display()),
        }}),
    );
    until(stdout, |m| m["id"] == 1);
    send(
        stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
}

/// `shutdown`, then `exit`: the server exits with status 0.
fn shut_down(mut child: Child, stdin: &mut ChildStdin, stdout: &mut BufReader<ChildStdout>) {
    send(
        stdin,
        &json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown"}),
    );
    until(stdout, |m| m["id"] == 99);
    send(stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    assert!(child.wait().unwrap().success());
}

/// Two files of one module, settings from .mfalint.toml, a new unsaved
/// file, and a change on disk reported by the client: the diagnostics of
/// every file follow, and stale ones are cleared.
#[test]
fn diagnostics_follow_the_whole_module_and_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let infra = root.join("infra");
    std::fs::create_dir_all(&infra).unwrap();
    let uri = |name: &str| format!("file://{}", infra.join(name).display());
    std::fs::write(
        infra.join("users.tf"),
        "resource \"aws_iam_user\" \"alice\" {\n  name = \"alice\"\n}\n\nresource \"aws_iam_user_login_profile\" \"alice\" {\n  user = aws_iam_user.alice.name\n}\n",
    )
    .unwrap();
    // MFA002 (an unassigned device) is turned off by the settings file.
    std::fs::write(
        infra.join("spare.tf"),
        "resource \"aws_iam_virtual_mfa_device\" \"spare\" {\n  virtual_mfa_device_name = \"nobody\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join(".mfalint.toml"),
        "[rules]\ndisable = [\"MFA002\"]\n",
    )
    .unwrap();

    let (child, mut stdin, mut stdout) = start_server();
    let watching = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "capabilities": watching,
            "rootUri": format!("file://{}", root.display()),
        }}),
    );
    until(&mut stdout, |m| m["id"] == 1);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    let registration = until(&mut stdout, |m| m["method"] == "client/registerCapability");
    assert_eq!(
        registration["params"]["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}),
    );

    // Opening users.tf: its finding is published; spare.tf has none (the
    // settings turned MFA002 off).
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri("users.tf"), "languageId": "terraform", "version": 1,
                "text": std::fs::read_to_string(infra.join("users.tf")).unwrap()}
        }}),
    );
    let first = publications(&mut stdout, &uri("users.tf"));
    let on_users = first[&uri("users.tf")].as_array().unwrap();
    assert_eq!(on_users.len(), 1, "{first:?}");
    assert_eq!(on_users[0]["code"], "MFA001");
    assert!(!first.contains_key(&uri("spare.tf")), "{first:?}");

    // A new, unsaved mfa.tf declares alice's device: users.tf is cleared.
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri("mfa.tf"), "languageId": "terraform", "version": 1,
                "text": "resource \"aws_iam_virtual_mfa_device\" \"alice\" {\n  virtual_mfa_device_name = aws_iam_user.alice.name\n}\n"}
        }}),
    );
    let second = publications(&mut stdout, &uri("users.tf"));
    assert_eq!(second[&uri("users.tf")], json!([]), "{second:?}");
    assert_eq!(second[&uri("mfa.tf")], json!([]), "{second:?}");

    // Closing the unsaved buffer brings the finding back.
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {
            "textDocument": {"uri": uri("mfa.tf")}
        }}),
    );
    let third = publications(&mut stdout, &uri("users.tf"));
    assert_eq!(
        third[&uri("users.tf")].as_array().unwrap().len(),
        1,
        "{third:?}"
    );

    // Another program writes the device to disk; the client reports it.
    std::fs::write(
        infra.join("mfa.tf"),
        "resource \"aws_iam_virtual_mfa_device\" \"alice\" {\n  virtual_mfa_device_name = \"alice\"\n}\n",
    )
    .unwrap();
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {
            "changes": [{"uri": uri("mfa.tf"), "type": 1}]
        }}),
    );
    let fourth = publications(&mut stdout, &uri("users.tf"));
    assert_eq!(fourth[&uri("users.tf")], json!([]), "{fourth:?}");

    // The settings change on disk: MFA002 is on again, for spare.tf.
    std::fs::write(root.join(".mfalint.toml"), "[rules]\ndisable = []\n").unwrap();
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {
            "changes": [{"uri": format!("file://{}", root.join(".mfalint.toml").display()), "type": 2}]
        }}),
    );
    let fifth = publications(&mut stdout, &uri("users.tf"));
    let on_spare = fifth[&uri("spare.tf")].as_array().unwrap();
    assert_eq!(on_spare.len(), 1, "{fifth:?}");
    assert_eq!(on_spare[0]["code"], "MFA002");

    // An invalid settings file: a diagnostic where it is wrong, and the
    // files are still scanned (with the defaults).
    let settings_uri = format!("file://{}", root.join(".mfalint.toml").display());
    let settings_changed = json!({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {
        "changes": [{"uri": settings_uri, "type": 2}]
    }});
    std::fs::write(
        root.join(".mfalint.toml"),
        "[rules]\nenabel = [\"MFA003\"]\n",
    )
    .unwrap();
    send(&mut stdin, &settings_changed);
    let sixth = publications(&mut stdout, &uri("users.tf"));
    let on_settings = sixth[&settings_uri].as_array().unwrap();
    assert_eq!(on_settings.len(), 1, "{sixth:?}");
    assert_eq!(
        on_settings[0]["range"]["start"],
        json!({"line": 1, "character": 0})
    );
    assert!(
        on_settings[0]["message"]
            .as_str()
            .unwrap()
            .contains("enabel"),
        "{sixth:?}"
    );
    assert_eq!(
        sixth[&uri("spare.tf")].as_array().unwrap().len(),
        1,
        "{sixth:?}"
    );

    // Fixed: the settings file's diagnostic is cleared.
    std::fs::write(
        root.join(".mfalint.toml"),
        "[rules]\nenable = [\"MFA003\"]\n",
    )
    .unwrap();
    send(&mut stdin, &settings_changed);
    let seventh = publications(&mut stdout, &uri("users.tf"));
    assert_eq!(seventh[&settings_uri], json!([]), "{seventh:?}");

    shut_down(child, &mut stdin, &mut stdout);
}

/// Waits for the server to exit, at most `seconds`; its exit status.
fn exits_within(child: &mut Child, seconds: u64) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not exit within {seconds} s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Hostile framing: a message that is not JSON, one that is not JSON-RPC,
/// a header that is not a number and a 100 MB message over the limit are
/// each answered with an error whose id is null, and the session goes on;
/// a header announcing 4 GB is not allocated (the server runs with 2 GB of
/// address space), and the end of the input ends the server.
#[test]
fn bad_frames_are_answered_and_the_session_goes_on() {
    let mut child = Command::new("prlimit")
        .arg("--as=2000000000")
        .arg(env!("CARGO_BIN_EXE_mfalint"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    watchdog(child.id());
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());

    let raw = |stdin: &mut ChildStdin, header: &str, body: &[u8]| {
        stdin.write_all(header.as_bytes()).unwrap();
        stdin.write_all(body).unwrap();
        stdin.flush().unwrap();
    };
    raw(&mut stdin, "Content-Length: 9\r\n\r\n", b"{not json");
    let answer = receive(&mut stdout);
    assert_eq!(answer["id"], Value::Null, "{answer}");
    assert_eq!(answer["error"]["code"], -32700, "{answer}");

    raw(&mut stdin, "Content-Length: 6\r\n\r\n", b"[1, 2]");
    let answer = receive(&mut stdout);
    assert_eq!(answer["error"]["code"], -32600, "{answer}");

    raw(&mut stdin, "Content-Length: many\r\n\r\n", b"");
    let answer = receive(&mut stdout);
    assert_eq!(answer["error"]["code"], -32700, "{answer}");

    // Over the limit: skipped in pieces, never held.
    let big = 100 << 20;
    raw(&mut stdin, &format!("Content-Length: {big}\r\n\r\n"), b"");
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..100 {
        stdin.write_all(&chunk).unwrap();
    }
    let answer = receive(&mut stdout);
    assert_eq!(answer["error"]["code"], -32600, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("over the"),
        "{answer}"
    );

    // Still serving.
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}),
    );
    let init = until(&mut stdout, |m| m["id"] == 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "mfalint");

    // 4 GB announced, a few bytes sent, then the input ends.
    raw(&mut stdin, "Content-Length: 4000000000\r\n\r\n", b"{}");
    drop(stdin);
    let status = exits_within(&mut child, 30);
    // Ended by its input, without shutdown: status 1, not a crash.
    assert_eq!(status.code(), Some(1), "{status:?}");
}

/// A workspace as large as the whole filesystem: the scan runs beside the
/// conversation, so a request is answered while it walks, and shutdown
/// cancels it; a "document" that is a folder (`file:///`) is never
/// scanned by itself.
#[test]
fn the_server_answers_while_it_scans_and_cancels_on_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let doc = root.join("users.tf");
    std::fs::write(&doc, "").unwrap();
    let (mut child, mut stdin, mut stdout) = start_server();
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "capabilities": {}, "rootUri": "file:///",
        }}),
    );
    until(&mut stdout, |m| m["id"] == 1);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    for uri in ["file:///".to_string(), format!("file://{}", doc.display())] {
        send(
            &mut stdin,
            &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                "textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": ""}
            }}),
        );
    }
    // Answered at once, whatever the scan is doing.
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": format!("file://{}", doc.display())},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []}
        }}),
    );
    let started = std::time::Instant::now();
    let answer = until(&mut stdout, |m| m["id"] == 2);
    assert_eq!(answer["result"], json!([]), "{answer}");
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}),
    );
    until(&mut stdout, |m| m["id"] == 3);
    send(&mut stdin, &json!({"jsonrpc": "2.0", "method": "exit"}));
    let status = exits_within(&mut child, 20);
    assert!(status.success(), "{status:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

/// An unsaved document is held to the file-size limit a file on disk is:
/// over it, it is not parsed, and the editor shows why on the document.
#[test]
fn an_unsaved_document_over_the_size_limit_is_refused_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let doc = root.join("big.tf");
    let uri = format!("file://{}", doc.display());
    let (child, mut stdin, mut stdout) = start_server();
    initialize(&mut stdin, &mut stdout, &root);
    let text = format!(
        "resource \"aws_iam_user_login_profile\" \"x\" {{\n  user = \"x\"\n}}\n{}",
        "#".repeat(33 << 20)
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "terraform", "version": 1, "text": text}
        }}),
    );
    let published = until(&mut stdout, |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
    });
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{published}");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("over the 33554432-byte limit"),
        "{published}"
    );
    shut_down(child, &mut stdin, &mut stdout);
}

/// OpenTofu in the editor: a new, unsaved `main.tofu` replaces `main.tf`
/// (OpenTofu loads the `.tofu` file of a base name and ignores the `.tf`
/// one): the finding on `main.tf` is cleared, and `main.tofu`'s own user
/// gets one.
#[test]
fn an_unsaved_tofu_file_replaces_its_tf_twin() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let uri = |name: &str| format!("file://{}", root.join(name).display());
    let tf = "resource \"aws_iam_user\" \"legacy\" {\n  name = \"legacy\"\n}\n\nresource \"aws_iam_user_login_profile\" \"legacy\" {\n  user = aws_iam_user.legacy.name\n}\n";
    std::fs::write(root.join("main.tf"), tf).unwrap();
    let (child, mut stdin, mut stdout) = start_server();
    initialize(&mut stdin, &mut stdout, &root);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri("main.tf"), "languageId": "terraform", "version": 1, "text": tf}
        }}),
    );
    let first = publications(&mut stdout, &uri("main.tf"));
    assert_eq!(
        first[&uri("main.tf")].as_array().unwrap().len(),
        1,
        "{first:?}"
    );

    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri("main.tofu"), "languageId": "opentofu", "version": 1,
                "text": "resource \"aws_iam_user\" \"bob\" {\n  name = \"bob\"\n}\n\nresource \"aws_iam_user_login_profile\" \"bob\" {\n  user = aws_iam_user.bob.name\n}\n"}
        }}),
    );
    let second = publications(&mut stdout, &uri("main.tofu"));
    assert_eq!(second[&uri("main.tf")], json!([]), "{second:?}");
    let on_tofu = second[&uri("main.tofu")].as_array().unwrap();
    assert_eq!(on_tofu.len(), 1, "{second:?}");
    assert!(
        on_tofu[0]["message"]
            .as_str()
            .unwrap()
            .contains("IAM user `bob`"),
        "{second:?}"
    );

    shut_down(child, &mut stdin, &mut stdout);
}

/// Opens `path` (inside `root`, the workspace) in a new server with
/// `text` unsaved, and returns the diagnostics published for it.
fn diagnostics_of_unsaved(root: &Path, path: &Path, language: &str, text: &str) -> Vec<Value> {
    let uri = format!("file://{}", path.display());
    let (child, mut stdin, mut stdout) = start_server();
    initialize(&mut stdin, &mut stdout, root);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}
        }}),
    );
    let published = publications(&mut stdout, &uri);
    shut_down(child, &mut stdin, &mut stdout);
    published[&uri].as_array().unwrap().clone()
}

fn message(diagnostic: &Value) -> &str {
    diagnostic["message"].as_str().unwrap()
}

/// A Serverless Framework service is read as it is typed: its `resources`
/// section, variables resolved from the unsaved text.
#[test]
fn an_unsaved_serverless_service_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let text = "service: people\nprovider:\n  name: aws\n  stage: ${opt:stage, 'prod'}\nresources:\n  Resources:\n    Bob:\n      Type: AWS::IAM::User\n      Properties:\n        UserName: ${self:service}-bob-${sls:stage}\n        LoginProfile:\n          Password: ${env:BOB_PASSWORD}\n";
    let diagnostics = diagnostics_of_unsaved(&root, &root.join("serverless.yml"), "yaml", text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        message(&diagnostics[0]).contains("IAM user `people-bob-prod`"),
        "{diagnostics:?}"
    );
    assert_eq!(
        diagnostics[0]["range"]["start"]["line"], 6,
        "{diagnostics:?}"
    );
}

/// A Pulumi YAML program is read as it is typed.
#[test]
fn an_unsaved_pulumi_program_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let text = "name: people\nruntime: yaml\nresources:\n  bob:\n    type: aws:iam:User\n    properties:\n      name: bob\n  bobLogin:\n    type: aws:iam:UserLoginProfile\n    properties:\n      user: ${bob.name}\n";
    let diagnostics = diagnostics_of_unsaved(&root, &root.join("Pulumi.yaml"), "yaml", text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        message(&diagnostics[0]).contains("IAM user `bob`"),
        "{diagnostics:?}"
    );
    assert_eq!(
        diagnostics[0]["range"]["start"]["line"], 3,
        "{diagnostics:?}"
    );
}

/// A module that a Terragrunt unit calls is checked with the unit's
/// inputs in the editor too, as on the command line: only the users the
/// unit leaves without MFA (bob, and dave whose device only the
/// dependency's mocks name) are reported, at the module's line.
#[test]
fn a_module_called_by_a_terragrunt_unit_gets_its_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/rules/MFA001/terragrunt_unit");
    for file in [
        "root.hcl",
        "live/prod/users/terragrunt.hcl",
        "modules/users/main.tf",
    ] {
        let target = root.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(file), &target).unwrap();
    }
    let module = root.join("modules/users/main.tf");
    let text = std::fs::read_to_string(&module).unwrap();
    let diagnostics = diagnostics_of_unsaved(&root, &module, "terraform", &text);
    let messages: Vec<&str> = diagnostics.iter().map(message).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("IAM user `bob`"), "{messages:?}");
    assert!(messages[1].contains("IAM user `dave`"), "{messages:?}");
}
