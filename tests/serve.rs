//! `regsim serve` with the real clients: the pinned SDKs and DNS tools of
//! tests/clients/ run against a server on a free loopback port; every request the
//! clients were seen to send (tests/clients/captures/) verifies as it did against the
//! capturing server; garbage is answered, never a panic.

mod common;

use regsim::fixture::{LoadOptions, load_str};
use regsim::serve::Sandbox;
use regsim::serve::gateway::{HttpRequest, handle};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

/// Starts `regsim serve` on a free port; returns the child and its address.
fn start(fixture: &str) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(["serve", "--fixture", fixture, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("regsim serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .expect("the address is printed")
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    (child, addr)
}

fn stop(mut child: std::process::Child) {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "SIGTERM stops the server cleanly: {status}"
    );
}

#[test]
fn the_real_clients_pass_against_the_server() {
    let python = common::venv_python(
        "clients-venv",
        &[
            "tests/clients/requirements-sdk.txt",
            "tests/clients/requirements-tools.txt",
        ],
        "alibabacloud_alidns20150109, aliyunsdkcore, lexicon, certbot_dns_aliyun",
    );
    let (child, addr) = start("tests/clients/world.yaml");
    let out = Command::new(python)
        .args(["-m", "unittest", "-v", "tests/clients/test_clients.py"])
        .env("REGSIM_ENDPOINT", &addr)
        .output()
        .expect("python runs");
    stop(child);
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    assert!(report.contains("Ran 10 tests"), "{report}");
}

/// One captured request: the request as sent, and whether its signature verified.
fn captured(line: &str) -> (HttpRequest, bool, i64) {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let raw = v["raw_path"].as_str().unwrap();
    let (path, query) = raw.split_once('?').unwrap_or((raw, ""));
    let req = HttpRequest {
        method: v["method"].as_str().unwrap().to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers: v["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h[0].as_str().unwrap().to_ascii_lowercase(),
                    h[1].as_str().unwrap().to_string(),
                )
            })
            .collect(),
        body: v["body"].as_str().unwrap_or("").as_bytes().to_vec(),
    };
    let ok = v["signature_check"]["ok"].as_bool().unwrap_or(false);
    (req, ok, v["ts"].as_f64().unwrap() as i64)
}

fn sandbox() -> Sandbox {
    let world = load_str(
        "captures.yaml",
        "accounts: [{ id: alice }]\naccess_keys: [{ id: dummyAccessKeyId, secret: dummyAccessKeySecret, account: alice }]\n",
        LoadOptions::default(),
    )
    .unwrap();
    Sandbox::new(world)
}

/// Every request the official SDKs (both schemes), the legacy SDK, pop-core and the
/// DNS tools sent verifies here exactly when it verified against the capturing server,
/// with the real clock set to when it was sent.
#[test]
fn every_captured_request_verifies_as_it_did() {
    let dir = std::path::Path::new("tests/clients/captures");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let (mut verified, mut refused) = (0, 0);
    for f in files {
        let mut sb = sandbox();
        for (n, line) in std::fs::read_to_string(&f).unwrap().lines().enumerate() {
            let (req, ok, ts) = captured(line);
            let answer = handle(&mut sb, &req, ts);
            let code = answer.body["Code"].as_str().unwrap_or("");
            let bad_signature = code == "SignatureDoesNotMatch";
            assert_eq!(
                !bad_signature,
                ok,
                "{}:{}: captured ok={ok}, answered {} {}",
                f.display(),
                n + 1,
                answer.status,
                answer.body
            );
            assert_ne!(
                code,
                "InvalidAccessKeyId.NotFound",
                "{}:{}",
                f.display(),
                n + 1
            );
            if ok {
                assert!(
                    !code.starts_with("InvalidTimeStamp") && code != "SignatureNonceUsed",
                    "{}:{}: {}",
                    f.display(),
                    n + 1,
                    answer.body
                );
                verified += 1;
            } else {
                refused += 1;
            }
        }
    }
    assert!(
        verified >= 120 && refused >= 1,
        "{verified} verified, {refused} refused"
    );
}

/// Bad requests get the API's errors, whatever is wrong with them.
#[test]
fn garbage_is_answered_never_a_panic() {
    let mut sb = sandbox();
    let get = |query: &str| HttpRequest {
        method: "GET".into(),
        path: "/".into(),
        query: query.into(),
        ..HttpRequest::default()
    };
    let many = (0..2000)
        .map(|i| format!("p{i}=x"))
        .collect::<Vec<_>>()
        .join("&");
    for (req, status, code) in [
        (get(""), 400, "MissingParameter"),
        (get("Action=DescribeDomains"), 400, "MissingParameter"),
        (
            get("Action=DescribeDomains&Version=1999-01-01"),
            400,
            "InvalidVersion",
        ),
        (
            get("Action=DescribeDomains&Version=2015-01-09"),
            400,
            "MissingParameter",
        ),
        (
            get("Action=DescribeDomains&Version=2015-01-09&AccessKeyId=%FF%FE&Signature=x"),
            404,
            "InvalidAccessKeyId.NotFound",
        ),
        (get(&many), 400, "InvalidParameter"),
        (
            HttpRequest {
                path: "/elsewhere".into(),
                ..get("Action=DescribeDomains&Version=2015-01-09")
            },
            404,
            "InvalidAction.NotFound",
        ),
        (
            HttpRequest {
                method: "PUT".into(),
                ..get("Action=DescribeDomains&Version=2015-01-09")
            },
            405,
            "UnsupportedHTTPMethod",
        ),
        (
            HttpRequest {
                headers: vec![("authorization".into(), "ACS3-HMAC-SHA256 garbage".into())],
                ..get("Action=DescribeDomains&Version=2015-01-09")
            },
            400,
            "MissingParameter",
        ),
    ] {
        let a = handle(&mut sb, &req, 0);
        assert_eq!(
            (a.status, a.body["Code"].as_str().unwrap_or("")),
            (status, code),
            "{:?} {}",
            req.query.get(..60),
            a.body
        );
        assert!(a.body["RequestId"].is_string() && a.body["Message"].is_string());
    }
}

/// Over HTTP: a body past the limit is refused before it is read whole, and the
/// server goes on serving.
#[test]
fn oversized_bodies_are_refused_over_http() {
    let (child, addr) = start("tests/clients/world.yaml");
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    let body = vec![b'a'; 2 << 20];
    let head = format!(
        "POST /?Action=DescribeDomains&Version=2015-01-09 HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(&body);
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        &answer[..answer.len().min(200)]
    );
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.write_all(
        format!("GET /_regsim/now HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.contains("2026-01-01T00:00:00Z"), "{answer}");
    stop(child);
}
