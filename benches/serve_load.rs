//! A bounded load test of `regsim serve` on loopback: N clients (default 8), each on
//! its own keep-alive connection, send M signed requests (default 20,000): four reads
//! (DescribeDomainRecords) to one write (AddDomainRecord, then DeleteDomainRecord of
//! the same record), without and with `--journal`. Prints requests a second and the
//! p50/p99 latency. Run with `cargo bench --bench serve_load` (release build);
//! `SERVE_LOAD_CLIENTS` and `SERVE_LOAD_REQUESTS` change the sizes.

use regsim::fixture::{LoadOptions, load_str};
use regsim::serve::auth::{encode, rpc_signature};
use regsim::serve::{Options, Sandbox, serve};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

const FIXTURE: &str = "accounts: [{ id: alice, balance: 100000 }]\ndomains: [{ name: load.com, owner: alice, created: 2025-01-01, expires: 2030-01-01 }]\naccess_keys: [{ id: loadKey, secret: loadSecret, account: alice }]\n";

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    regsim::sim::Time(secs as i64).to_string()
}

/// A signed request line for `params`.
fn target(params: &[(&str, &str)], nonce: &str, timestamp: &str) -> String {
    let mut p: Vec<(String, String)> = [
        ("Version", "2015-01-09"),
        ("AccessKeyId", "loadKey"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", nonce),
        ("Timestamp", timestamp),
    ]
    .iter()
    .chain(params)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let sig = rpc_signature("loadSecret", "GET", &p);
    p.push(("Signature".into(), sig));
    let q: Vec<String> = p
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("/?{}", q.join("&"))
}

/// One request on a keep-alive connection; returns the status and body.
fn exchange(
    w: &mut TcpStream,
    r: &mut BufReader<TcpStream>,
    addr: SocketAddr,
    t: &str,
) -> (u16, String) {
    write!(w, "GET {t} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut status = String::new();
    r.read_line(&mut status).unwrap();
    let code: u16 = status[9..12].parse().unwrap();
    let mut len = 0;
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        if h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    (code, String::from_utf8_lossy(&body).into_owned())
}

fn client(addr: SocketAddr, id: usize, requests: usize) -> Vec<Duration> {
    let s = TcpStream::connect(addr).unwrap();
    s.set_nodelay(true).unwrap();
    let mut w = s.try_clone().unwrap();
    let mut r = BufReader::new(s);
    let mut lat = Vec::with_capacity(requests);
    let ts = now();
    let mut pending: Option<String> = None;
    for i in 0..requests {
        let nonce = format!("{id}-{i}");
        let host = format!("c{id}-{i}");
        let t = if i % 5 == 4 {
            match pending.take() {
                Some(rid) => target(
                    &[("Action", "DeleteDomainRecord"), ("RecordId", &rid)],
                    &nonce,
                    &ts,
                ),
                None => target(
                    &[
                        ("Action", "AddDomainRecord"),
                        ("DomainName", "load.com"),
                        ("RR", &host),
                        ("Type", "A"),
                        ("Value", "192.0.2.1"),
                    ],
                    &nonce,
                    &ts,
                ),
            }
        } else {
            target(
                &[
                    ("Action", "DescribeDomainRecords"),
                    ("DomainName", "load.com"),
                    ("PageSize", "20"),
                ],
                &nonce,
                &ts,
            )
        };
        let start = Instant::now();
        let (code, body) = exchange(&mut w, &mut r, addr, &t);
        lat.push(start.elapsed());
        assert_eq!(code, 200, "{body}");
        if t.contains("AddDomainRecord") {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            pending = v["RecordId"].as_str().map(str::to_string);
        }
    }
    lat
}

fn run(clients: usize, requests: usize, journal: Option<&std::path::Path>) {
    let world = load_str("load.yaml", FIXTURE, LoadOptions::default()).unwrap();
    let sandbox = match journal {
        Some(p) => {
            let _ = std::fs::remove_file(p);
            Sandbox::with_journal(world, p).unwrap().0
        }
        None => Sandbox::new(world),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let options = Options {
        listen: "127.0.0.1:0".parse().unwrap(),
        max_body: regsim::serve::MAX_BODY,
        max_in_flight: regsim::serve::MAX_IN_FLIGHT,
        clock_rate: 0.0,
        max_connections: regsim::serve::MAX_CONNECTIONS,
    };
    std::thread::spawn(move || {
        serve(sandbox, &options, |a| tx.send(a).unwrap()).unwrap();
    });
    let addr = rx.recv().unwrap();
    let start = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|id| std::thread::spawn(move || client(addr, id, requests)))
        .collect();
    let mut lat: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let wall = start.elapsed();
    lat.sort();
    let q = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)];
    println!(
        "{:<16} {clients} clients x {requests} requests: {:>8.0} requests/s, p50 {:>7.1} us, p99 {:>8.1} us, {:.2} s",
        if journal.is_some() {
            "with --journal"
        } else {
            "no journal"
        },
        lat.len() as f64 / wall.as_secs_f64(),
        q(0.50).as_secs_f64() * 1e6,
        q(0.99).as_secs_f64() * 1e6,
        wall.as_secs_f64()
    );
}

fn main() {
    let size = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let clients = size("SERVE_LOAD_CLIENTS", 8);
    let requests = size("SERVE_LOAD_REQUESTS", 20_000);
    // `cargo bench` passes `--bench`; anything else (cargo test --benches) runs small.
    let full = std::env::args().any(|a| a == "--bench");
    let requests = if full { requests } else { 200 };
    run(clients, requests, None);
    let journal = std::env::temp_dir().join(format!("regsim-load-{}.journal", std::process::id()));
    run(clients, requests, Some(&journal));
    let _ = std::fs::remove_file(&journal);
}
