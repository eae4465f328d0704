//! `regsim serve` with the real clients: the pinned SDKs and DNS tools of
//! tests/clients/ run against a server on a free loopback port; every request the
//! clients were seen to send (tests/clients/captures/) verifies as it did against the
//! capturing server; garbage is answered, never a panic.

use crate::common;

use regsim::fixture::{LoadOptions, load_str};
use regsim::serve::Sandbox;
use regsim::serve::gateway::{HttpRequest, handle};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

/// A running server, killed when dropped (a failing test leaves none behind).
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `regsim serve` on a free port with more arguments; returns the server, its
/// address and what it printed before listening.
fn start_with(fixture: &str, more: &[&str]) -> (Server, String, String) {
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_regsim"))
            .args(["serve", "--fixture", fixture, "--listen", "127.0.0.1:0"])
            .args(more)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("regsim serve starts"),
    );
    let mut out = BufReader::new(server.0.stdout.take().unwrap());
    let mut before = String::new();
    loop {
        let mut line = String::new();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "the server printed no address: {before}"
        );
        if let Some(addr) = line.trim().split("listening on http://").nth(1) {
            assert!(addr.starts_with("127.0.0.1:"), "{line}");
            return (server, addr.to_string(), before);
        }
        before.push_str(&line);
    }
}

fn start(fixture: &str) -> (Server, String) {
    let (child, addr, _) = start_with(fixture, &[]);
    (child, addr)
}

/// One HTTP/1.1 exchange; returns the status and the JSON body.
fn http(addr: &str, method: &str, target: &str) -> (u16, serde_json::Value) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("");
    (
        status,
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    )
}

/// A GET to Alidns signed with HMAC-SHA1 as the DNS tools sign it, with a fresh nonce.
fn signed(addr: &str, key: (&str, &str), params: &[(&str, &str)]) -> (u16, serde_json::Value) {
    signed_to(addr, key, "2015-01-09", params)
}

/// As [`signed`], to the API of `version`.
fn signed_to(
    addr: &str,
    key: (&str, &str),
    version: &str,
    params: &[(&str, &str)],
) -> (u16, serde_json::Value) {
    use regsim::serve::auth::{encode, rpc_signature};
    static NONCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nonce = format!(
        "{}-{}",
        std::process::id(),
        NONCE.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let now = regsim::sim::Time(secs as i64).to_string();
    let mut p: Vec<(String, String)> = [
        ("Format", "JSON"),
        ("Version", version),
        ("AccessKeyId", key.0),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", &nonce),
        ("Timestamp", &now),
    ]
    .iter()
    .chain(params)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let sig = rpc_signature(key.1, "GET", &p);
    p.push(("Signature".into(), sig));
    let query: Vec<String> = p
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    http(addr, "GET", &format!("/?{}", query.join("&")))
}

const ALICE: (&str, &str) = ("aliceKeyId", "aliceKeySecret");

/// Killed with SIGKILL in the middle of a session, the server started again on its
/// journal comes back with the same world (same digest, same records), and `regsim
/// replay` rebuilds it offline; a journal of another world is refused.
#[test]
fn nothing_acknowledged_is_lost_to_a_kill() {
    let dir = std::env::temp_dir().join(format!("regsim-journal-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("session.journal");
    let j = journal.to_str().unwrap();
    let fixture = "tests/clients/world.yaml";
    let (mut first, addr, _) = start_with(fixture, &["--journal", j]);
    let mut ids = Vec::new();
    for i in 0..20 {
        // The last five repeat earlier records exactly, and are refused.
        let value = format!("192.0.2.{}", i % 15);
        let host = format!("h{}", i % 15);
        let (status, body) = signed(
            &addr,
            ALICE,
            &[
                ("Action", "AddDomainRecord"),
                ("DomainName", "example.com"),
                ("RR", &host),
                ("Type", "A"),
                ("Value", &value),
            ],
        );
        if status == 200 {
            ids.push(body["RecordId"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(http(&addr, "POST", "/_regsim/advance?span=45d").0, 200);
    let (status, _) = signed(
        &addr,
        ALICE,
        &[("Action", "DeleteDomainRecord"), ("RecordId", &ids[0])],
    );
    assert_eq!(status, 200);
    let (_, before) = http(&addr, "GET", "/_regsim/digest");
    first.0.kill().unwrap();
    first.0.wait().unwrap();

    let (child, addr, said) = start_with(fixture, &["--journal", j]);
    assert!(said.contains("re-applied 22 requests"), "{said}");
    let (_, after) = http(&addr, "GET", "/_regsim/digest");
    assert_eq!(after, before, "the same world after the restart");
    assert_eq!(
        http(&addr, "GET", "/_regsim/now").1["now"],
        "2026-02-15T00:00:00Z"
    );
    let (_, listed) = signed(
        &addr,
        ALICE,
        &[
            ("Action", "DescribeDomainRecords"),
            ("DomainName", "example.com"),
        ],
    );
    assert_eq!(
        listed["TotalCount"], 14,
        "15 added, 5 duplicates refused, 1 deleted"
    );
    stop(child);

    let replayed = Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(["replay", j, "--fixture", fixture])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&replayed.stdout);
    assert!(
        replayed.status.success(),
        "{}",
        String::from_utf8_lossy(&replayed.stderr)
    );
    assert!(
        text.contains(&format!("digest: {}", before["digest"].as_str().unwrap())),
        "{text}"
    );

    let other = Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(["serve", "--journal", j, "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("journal of another world"));
    let _ = std::fs::remove_dir_all(&dir);
}

fn stop(mut server: Server) {
    Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    let status = server.0.wait().unwrap();
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
    assert!(report.contains("Ran 15 tests"), "{report}");
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

/// Several clients at once, each writing: every request is answered, every task is
/// accounted for, every record is there, and the ledger balances.
#[test]
fn concurrent_clients_leave_a_consistent_world() {
    let (server, addr) = start("tests/clients/world.yaml");
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let host = format!("t{t}-{i}");
                    let (status, body) = signed(
                        &addr,
                        ALICE,
                        &[
                            ("Action", "AddDomainRecord"),
                            ("DomainName", "example.com"),
                            ("RR", &host),
                            ("Type", "TXT"),
                            ("Value", "concurrent"),
                        ],
                    );
                    assert_eq!(status, 200, "{body}");
                    let name = format!("concurrent-{t}-{i}.com");
                    let (status, body) = signed_to(
                        &addr,
                        ALICE,
                        "2018-01-29",
                        &[
                            ("Action", "SaveSingleTaskForCreatingOrderActivate"),
                            ("DomainName", &name),
                            ("RegistrantProfileId", "p1"),
                        ],
                    );
                    assert_eq!(status, 200, "{body}");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let (_, tasks) = signed_to(
        &addr,
        ALICE,
        "2018-01-29",
        &[
            ("Action", "QueryTaskList"),
            ("PageNum", "1"),
            ("PageSize", "1000"),
        ],
    );
    assert_eq!(tasks["TotalItemNum"], 100);
    let all = tasks["Data"]["TaskInfo"].as_array().unwrap();
    assert!(all.iter().all(|t| t["TaskStatus"] == "EXECUTE_SUCCESS"));
    let (_, records) = signed(
        &addr,
        ALICE,
        &[
            ("Action", "DescribeDomainRecords"),
            ("DomainName", "example.com"),
            ("ValueKeyWord", "concurrent"),
        ],
    );
    assert_eq!(records["TotalCount"], 100);
    let (_, domains) = signed_to(
        &addr,
        ALICE,
        "2018-01-29",
        &[("Action", "QueryDomainList"), ("PageSize", "500")],
    );
    assert_eq!(domains["TotalItemNum"], 102);
    let (_, ledger) = http(&addr, "GET", "/_regsim/ledger");
    assert_eq!(ledger["balanced"], true, "{ledger}");
    stop(server);
}

/// With `--clock-rate`, the world ages on its own between requests.
#[test]
fn the_clock_can_run_on_its_own() {
    let (server, addr, _) = start_with("tests/clients/world.yaml", &["--clock-rate", "86400"]);
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let (_, now) = http(&addr, "GET", "/_regsim/now");
    let now = now["now"].as_str().unwrap().to_string();
    assert!(
        now.as_str() >= "2026-01-03T00:00:00Z",
        "a day a second: {now}"
    );
    stop(server);
    let bad = Command::new(env!("CARGO_BIN_EXE_regsim"))
        .args(["serve", "--clock-rate", "-1", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

/// The README's table of refusal codes is `serve::wire::CODES`, row for row.
#[test]
fn the_readme_lists_the_refusal_codes() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| regsim reason | Domain code | Alidns code |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    for (reason, domain, alidns, status) in regsim::serve::wire::CODES {
        let row = table
            .iter()
            .find(|r| {
                r.split('|')
                    .nth(1)
                    .is_some_and(|c| c.contains(&format!("`{reason}`")))
            })
            .unwrap_or_else(|| panic!("the README's table has no row for {reason}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let code = |c: &str, code: &str| {
            if *status == 400 {
                c == format!("`{code}`")
            } else {
                c == format!("`{code}` ({status})")
            }
        };
        assert!(
            code(cells[2], domain) && code(cells[3], alidns),
            "{reason}: {row}"
        );
    }
}

/// With `--max-connections 2`, a third connection waits until one of the two closes.
#[test]
fn connections_are_bounded() {
    let (server, addr, _) = start_with("tests/clients/world.yaml", &["--max-connections", "2"]);
    let held: Vec<std::net::TcpStream> = (0..2)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            // A request on each, so that both are surely accepted and held open.
            write!(s, "GET /_regsim/now HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
            let mut buf = [0u8; 512];
            let n = s.read(&mut buf).unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
            s
        })
        .collect();
    let mut third = std::net::TcpStream::connect(&addr).unwrap();
    third
        .set_read_timeout(Some(std::time::Duration::from_millis(700)))
        .unwrap();
    write!(
        third,
        "GET /_regsim/now HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = [0u8; 512];
    assert!(
        third.read(&mut buf).is_err(),
        "no answer while both slots are held"
    );
    drop(held);
    third
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let n = third.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    stop(server);
}
