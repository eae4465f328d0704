//! `regsim serve`: the simulated registrar behind the real Alibaba Cloud Domain
//! (2018-01-29) and Alidns (2015-01-09) RPC APIs, for the SDKs and tools people already
//! run, with a clock they can move. One HTTP listener serves the API on `/` (routed by
//! Version and Action, as the real gateway routes) and the sandbox's own controls on
//! `/_regsim/...`. The world lives behind one lock, so every request is applied whole
//! and in one order. The gateway ([`gateway`]) authenticates and routes; the actions
//! ([`alidns`], [`domain`]) call `ops` and shape answers; no rule of the world is here.

pub mod alidns;
pub mod auth;
pub mod details;
pub mod domain;
pub mod gateway;
pub mod journal;
pub mod profiles;
pub mod wire;

use crate::model::World;
use gateway::{HttpRequest, HttpResponse};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use wire::{Api, ApiError};

/// The world a server serves, with what authentication remembers.
pub struct Sandbox {
    /// The simulated world.
    pub world: World,
    /// Nonces seen within the timestamp window, with the real time each was seen.
    nonces: HashMap<String, i64>,
    /// Requests answered (numbers the request ids).
    served: u64,
    /// The request journal, when there is one.
    journal: Option<journal::Journal>,
}

/// The most nonces remembered; past it, requests are refused until old ones age out.
pub(crate) const MAX_NONCES: usize = 1_000_000;

impl Sandbox {
    /// A sandbox serving `world`.
    pub fn new(world: World) -> Sandbox {
        Sandbox {
            world,
            nonces: HashMap::new(),
            served: 0,
            journal: None,
        }
    }

    /// A sandbox serving `world` with the journal at `path`: a journal of this world
    /// written before is re-applied first (the world comes back as it was), and every
    /// request that may change the world is appended to it before it is applied.
    /// Returns the sandbox and the number of requests re-applied.
    pub fn with_journal(world: World, path: &std::path::Path) -> Result<(Sandbox, usize), String> {
        let hash = journal::world_hash(&world)?;
        let (journal, entries) = journal::Journal::open(path, &hash)?;
        let mut sandbox = Sandbox::new(world);
        for e in &entries {
            apply(&mut sandbox.world, e);
        }
        sandbox.journal = Some(journal);
        Ok((sandbox, entries.len()))
    }

    /// Appends to the journal (when there is one) before a change is applied.
    fn journal(&mut self, entry: &journal::Entry) -> Result<(), String> {
        match &mut self.journal {
            Some(j) => j.append(entry),
            None => Ok(()),
        }
    }

    /// Records a nonce at real time `wall`, refusing one seen before. Nonces older
    /// than twice the timestamp window are forgotten (a request that old is refused
    /// for its timestamp anyway).
    fn remember_nonce(&mut self, nonce: &str, wall: i64) -> Result<(), ApiError> {
        if self.nonces.len() >= MAX_NONCES / 2 {
            self.nonces
                .retain(|_, seen| wall - *seen <= 2 * gateway::TIMESTAMP_WINDOW);
        }
        if self.nonces.contains_key(nonce) {
            return Err(ApiError::new(
                400,
                "SignatureNonceUsed",
                format!("Specified signature nonce `{nonce}` was used already"),
            ));
        }
        if self.nonces.len() >= MAX_NONCES {
            return Err(ApiError::new(
                400,
                "Throttling.User",
                "too many requests within the timestamp window",
            ));
        }
        self.nonces.insert(nonce.to_string(), wall);
        Ok(())
    }
}

/// Whether `action` is an action of the real API (see `actions.txt`).
pub(crate) fn known_action(api: Api, action: &str) -> bool {
    let version = match api {
        Api::Domain => "2018-01-29",
        Api::Alidns => "2015-01-09",
    };
    include_str!("actions.txt")
        .lines()
        .any(|l| l.split_once(' ') == Some((version, action)))
}

/// Applies a journaled request again, as it was first applied (its answer, a refusal
/// included, is the same, so it is not needed).
pub fn apply(world: &mut World, entry: &journal::Entry) {
    match entry {
        journal::Entry::Head { .. } => {}
        journal::Entry::Api {
            actor,
            version,
            action,
            params,
        } => {
            let caller = gateway::Caller {
                actor: actor.clone(),
            };
            let p = wire::Params {
                pairs: params.clone(),
            };
            let _ = gateway::route(world, &caller, version, action, &p);
        }
        journal::Entry::Control { what, query } => {
            let _ = apply_control(world, what, query);
        }
    }
}

/// The controls that change the world (and so are journaled).
const CONTROL_WRITES: [&str; 2] = ["advance", "advance_to"];

/// A control request (`/_regsim/...`): the clock and the world, outside the API.
/// Returns the HTTP status and a JSON body.
pub(crate) fn control(sandbox: &mut Sandbox, what: &str, query: &str) -> (u16, Value) {
    if CONTROL_WRITES.contains(&what) {
        let entry = journal::Entry::Control {
            what: what.to_string(),
            query: query.to_string(),
        };
        if let Err(m) = sandbox.journal(&entry) {
            return (500, json!({ "error": m }));
        }
    }
    apply_control(&mut sandbox.world, what, query)
}

fn apply_control(world: &mut World, what: &str, query: &str) -> (u16, Value) {
    let params: HashMap<String, String> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let refused = |r: crate::refusal::Refusal| {
        (
            400,
            json!({ "error": r.message, "reason": r.reason.as_str() }),
        )
    };
    let missing = |p: &str| (400, json!({ "error": format!("give ?{p}=...") }));
    let now = |world: &World| json!({ "now": world.now().to_string() });
    match what {
        "now" => (200, now(world)),
        "digest" => (
            200,
            json!({ "digest": world.digest(), "events": world.event_total() }),
        ),
        "advance" => match params.get("span") {
            None => missing("span"),
            Some(span) => match crate::dispatch::advance(world, span) {
                Ok(_) => (200, now(world)),
                Err(r) => refused(r),
            },
        },
        "advance_to" => match params.get("time") {
            None => missing("time"),
            Some(t) => match crate::dispatch::advance_until(world, t) {
                Ok(_) => (200, now(world)),
                Err(r) => refused(r),
            },
        },
        "ledger" => (
            200,
            serde_json::to_value(crate::ops::views::ledger_view(world)).unwrap_or_default(),
        ),
        "resolve" => match (params.get("name"), params.get("type")) {
            (Some(name), rtype) => {
                match crate::ops::dns::resolve(world, name, rtype.map_or("A", String::as_str)) {
                    Ok(r) => (
                        200,
                        json!({
                            "rcode": r.rcode,
                            "answers": r.answers.iter().map(|a| json!({
                                "name": a.name, "type": a.rtype, "ttl": a.ttl, "value": a.value,
                            })).collect::<Vec<_>>(),
                        }),
                    ),
                    Err(r) => refused(r),
                }
            }
            (None, _) => missing("name"),
        },
        "snapshot" => match params.get("out") {
            None => missing("out"),
            Some(out) => match crate::snapshot::save(world, std::path::Path::new(out)) {
                Ok(()) => (
                    200,
                    json!({ "snapshot": out, "now": world.now().to_string() }),
                ),
                Err(m) => (400, json!({ "error": m })),
            },
        },
        _ => (
            404,
            json!({ "error": format!("no control `{what}`: now, advance, advance_to, digest, ledger, resolve, snapshot") }),
        ),
    }
}

/// How a server listens.
#[derive(Clone, Debug)]
pub struct Options {
    /// The address (loopback by default; port 0 picks a free one).
    pub listen: SocketAddr,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// The most requests in flight at once; more are answered 503 `Throttling.User`.
    pub max_in_flight: usize,
    /// Simulated seconds per real second for a world that ages on its own (0: the clock
    /// moves only when asked).
    pub clock_rate: f64,
    /// The most connections open at once; more wait in the listen queue until one closes.
    pub max_connections: usize,
}

/// The most connections open at once by default.
pub const MAX_CONNECTIONS: usize = 512;

/// A listener that holds at most so many connections open: it accepts only with a free
/// slot, and a connection gives its slot back when it closes.
struct Bounded {
    inner: tokio::net::TcpListener,
    slots: Arc<tokio::sync::Semaphore>,
}

/// An accepted connection with its slot.
struct Connection {
    io: tokio::net::TcpStream,
    _slot: tokio::sync::OwnedSemaphorePermit,
}

impl tokio::io::AsyncRead for Connection {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for Connection {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

impl axum::serve::Listener for Bounded {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        let Ok(slot) = self.slots.clone().acquire_owned().await else {
            // The semaphore is never closed.
            return std::future::pending().await;
        };
        loop {
            match self.inner.accept().await {
                Ok((io, addr)) => {
                    let _ = io.set_nodelay(true);
                    return (Connection { io, _slot: slot }, addr);
                }
                // Out of file descriptors or the like: wait and try again.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// The largest request body accepted by default (1 MiB).
pub const MAX_BODY: usize = 1 << 20;
/// The most requests in flight by default.
pub const MAX_IN_FLIGHT: usize = 256;

type Shared = Arc<(Mutex<Sandbox>, tokio::sync::Semaphore)>;

fn wall_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn json_response(status: u16, body: &Value) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = axum::http::StatusCode::from_u16(status)
        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            "application/json;charset=utf-8",
        )],
        body.to_string(),
    )
        .into_response()
}

async fn api(
    axum::extract::State(shared): axum::extract::State<Shared>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let Ok(_permit) = shared.1.try_acquire() else {
        return json_response(
            503,
            &ApiError::new(503, "Throttling.User", "too many requests in flight").body("busy"),
        );
    };
    let req = HttpRequest {
        method: method.as_str().to_ascii_uppercase(),
        path: uri.path().to_string(),
        query: uri.query().unwrap_or("").to_string(),
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    };
    let HttpResponse { status, body } = match shared.0.lock() {
        Ok(mut sandbox) => gateway::handle(&mut sandbox, &req, wall_now()),
        Err(_) => HttpResponse {
            status: 500,
            body: ApiError::new(500, "InternalError", "the sandbox failed").body("failed"),
        },
    };
    json_response(status, &body)
}

async fn controls(
    axum::extract::State(shared): axum::extract::State<Shared>,
    axum::extract::Path(what): axum::extract::Path<String>,
    uri: axum::http::Uri,
) -> axum::response::Response {
    let (status, body) = match shared.0.lock() {
        Ok(mut sandbox) => control(&mut sandbox, &what, uri.query().unwrap_or("")),
        Err(_) => (500, json!({ "error": "the sandbox failed" })),
    };
    json_response(status, &body)
}

/// Ages the world on its own: once a real second, the clock moves `rate` simulated
/// seconds (whole seconds; fractions add up), as an `advance_to` control (journaled like
/// one, so a replay ages the world the same way).
async fn age(shared: Shared, rate: f64) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.tick().await;
    let mut owed = 0.0f64;
    loop {
        tick.tick().await;
        owed += rate;
        let step = owed.floor();
        owed -= step;
        if step < 1.0 {
            continue;
        }
        let Ok(mut sandbox) = shared.0.lock() else {
            return;
        };
        let target = sandbox.world.now().add_secs(step.min(1e15) as i64);
        let query = format!("time={}", auth::encode(&target.to_string()));
        let (status, body) = control(&mut sandbox, "advance_to", &query);
        if status != 200 {
            eprintln!("regsim serve: the clock stopped: {body}");
            return;
        }
    }
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Serves `sandbox` until SIGINT or SIGTERM (the request in flight finishes first).
/// `ready` is told the address once the listener is bound.
pub fn serve(
    sandbox: Sandbox,
    options: &Options,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    use axum::routing::get;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let shared: Shared = Arc::new((
            Mutex::new(sandbox),
            tokio::sync::Semaphore::new(options.max_in_flight),
        ));
        let app = axum::Router::new()
            .route("/_regsim/{what}", get(controls).post(controls))
            .fallback(api)
            .layer(axum::extract::DefaultBodyLimit::max(options.max_body))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the address: {e}"))?;
        if options.clock_rate > 0.0 {
            tokio::spawn(age(shared.clone(), options.clock_rate));
        }
        ready(addr);
        let listener = Bounded {
            inner: listener,
            slots: Arc::new(tokio::sync::Semaphore::new(options.max_connections.max(1))),
        };
        axum::serve(listener, app)
            .with_graceful_shutdown(stop_signal())
            .await
            .map_err(|e| format!("the server failed: {e}"))
    })
}
