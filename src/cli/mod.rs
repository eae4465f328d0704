//! The command line: `regsim run` (one script), `regsim test` (the suite), `regsim api`
//! (the script vocabulary), `regsim certificate` and `regsim shop` (HTML pages),
//! `regsim sweep` and `regsim merge` (policy studies), `regsim gen` (portfolio
//! fixtures), `regsim serve` (the Alibaba Cloud APIs over a world) and `regsim replay`
//! (a served session offline). It parses arguments, calls the library and prints; exit
//! codes are 0 (passed), 1 (a scenario failed) and 2 (bad invocation or bad input).

mod test;

use crate::report;
use crate::script::{self, Limits, Scenario};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// regsim: a deterministic, script-driven simulator of a domain-name registrar.
#[derive(Parser, Debug)]
#[command(name = "regsim", version, about)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run one scenario script and print its failures, seed and digest.
    Run(RunArgs),
    /// Run every scenario under the paths (default scenarios/) and summarise.
    Test(TestArgs),
    /// List every script function with its signature and documentation.
    Api,
    /// Write a domain's certificate as a standalone HTML page.
    Certificate(CertificateArgs),
    /// Write a seller's shop (open listings) as a static HTML page.
    Shop(ShopArgs),
    /// Run a policy study: variants × seeds in parallel; write runs, summary and charts.
    Sweep(SweepArgs),
    /// Combine the outputs of sharded sweeps into one.
    Merge(MergeArgs),
    /// Write a generated-portfolio fixture (built at load, so millions of domains load fast).
    Gen(GenArgs),
    /// Serve the Alibaba Cloud Domain and Alidns APIs over the simulated world.
    Serve(ServeArgs),
    /// Re-run a `serve --journal` session offline and report the world it leaves.
    Replay(ReplayArgs),
}

/// The world a server starts from.
#[derive(Args, Debug)]
struct ServedWorld {
    /// World to serve: a fixture (default: the built-in world). Its `access_keys` sign requests.
    #[arg(long)]
    fixture: Option<PathBuf>,
    /// World to serve: a snapshot.
    #[arg(long)]
    from_snapshot: Option<PathBuf>,
    /// A rhai script run first, to seed and steer the world (its fixture is --fixture).
    #[arg(long)]
    script: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ReplayArgs {
    /// The journal `serve --journal` wrote.
    journal: PathBuf,
    #[command(flatten)]
    world: ServedWorld,
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    world: ServedWorld,
    /// Append every request that may change the world here, on disk before it is
    /// applied; an existing journal of the same world is re-applied first.
    #[arg(long)]
    journal: Option<PathBuf>,
    /// Address to listen on (port 0 picks a free one; printed on start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: std::net::SocketAddr,
    /// Largest request body in bytes.
    #[arg(long, default_value_t = crate::serve::MAX_BODY)]
    max_body: usize,
    /// Most requests in flight at once.
    #[arg(long, default_value_t = crate::serve::MAX_IN_FLIGHT)]
    max_in_flight: usize,
    /// Simulated seconds per real second: the world ages on its own (e.g. 86400, a day
    /// a second).
    #[arg(long, default_value_t = 0.0)]
    clock_rate: f64,
    /// Most connections open at once; more wait until one closes.
    #[arg(long, default_value_t = crate::serve::MAX_CONNECTIONS)]
    max_connections: usize,
}

#[derive(Args, Debug)]
struct GenArgs {
    /// Number of domains.
    #[arg(long)]
    domains: u64,
    /// Number of accounts holding them.
    #[arg(long, default_value_t = 1000)]
    accounts: u64,
    /// TLDs, optionally weighted: com,net,cn or com:70,cn:30 (default: a realistic mix).
    #[arg(long)]
    tlds: Option<String>,
    /// Run seed written into the fixture.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Leave out the behaviour section (domains then only expire).
    #[arg(long)]
    no_behaviour: bool,
    /// The fixture file to write.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args, Debug)]
struct SweepArgs {
    /// The study file (.yaml).
    study: PathBuf,
    /// Output folder (default: the study's name beside it, with `.out`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Parallel runs (default: the machine's cores).
    #[arg(long)]
    jobs: Option<usize>,
    /// Run one slice I/N of the runs (N alone: I from SLURM_ARRAY_TASK_ID).
    #[arg(long)]
    shard: Option<String>,
    /// The most runs (variants × seeds) the study may ask for.
    #[arg(long, default_value_t = crate::whatif::sweep::MAX_RUNS)]
    max_runs: u64,
    /// Continue an interrupted sweep in --out: run only what its journal lacks.
    #[arg(long)]
    resume: bool,
}

#[derive(Args, Debug)]
struct MergeArgs {
    /// Output folders of the shards.
    #[arg(required = true)]
    dirs: Vec<PathBuf>,
    /// Where to write the merged outputs.
    #[arg(long)]
    out: PathBuf,
    /// The most runs (variants × seeds) the study may ask for.
    #[arg(long, default_value_t = crate::whatif::sweep::MAX_RUNS)]
    max_runs: u64,
}

/// Where a page command reads its world from.
#[derive(Args, Debug)]
struct WorldArgs {
    /// World to read: a fixture (default: the built-in world).
    #[arg(long)]
    fixture: Option<PathBuf>,
    /// World to read: a snapshot written by `run --save-snapshot`.
    #[arg(long)]
    from_snapshot: Option<PathBuf>,
    /// Advance the world to this time first (e.g. 2026-02-01).
    #[arg(long)]
    at: Option<String>,
}

#[derive(Args, Debug)]
struct ShopArgs {
    /// The seller's account id.
    seller: String,
    #[command(flatten)]
    world: WorldArgs,
    /// Where to write the page.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args, Debug)]
struct CertificateArgs {
    /// The domain.
    domain: String,
    /// The holder acting (account id or RAM user).
    #[arg(long)]
    actor: String,
    #[command(flatten)]
    world: WorldArgs,
    /// Where to write the page.
    #[arg(long)]
    out: PathBuf,
}

/// Output format of `run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Sandbox limits, raisable from the command line.
#[derive(Args, Debug, Clone)]
struct LimitArgs {
    /// Script operations before the script is stopped.
    #[arg(long, default_value_t = Limits::default().max_operations)]
    max_operations: u64,
    /// Deepest nesting of function calls.
    #[arg(long, default_value_t = Limits::default().max_call_depth)]
    max_call_depth: usize,
    /// Longest string in bytes.
    #[arg(long, default_value_t = Limits::default().max_string_size)]
    max_string_size: usize,
    /// Largest array.
    #[arg(long, default_value_t = Limits::default().max_array_size)]
    max_array_size: usize,
    /// Largest object map.
    #[arg(long, default_value_t = Limits::default().max_map_size)]
    max_map_size: usize,
    /// Most memory the run may hold, in MiB (0: none).
    #[arg(long = "max-memory", value_name = "MIB", default_value_t = Limits::default().max_memory_mib)]
    max_memory: u64,
    /// Wall-clock limit for a script, in seconds.
    #[arg(long)]
    timeout: Option<f64>,
}

/// Parses `com,net` or `com:70,net:30` into TLD weights.
fn parse_tlds(text: &str) -> Result<indexmap::IndexMap<String, u32>, String> {
    let mut tlds = indexmap::IndexMap::new();
    for part in text.split(',') {
        let (t, w) = part.split_once(':').unwrap_or((part, "1"));
        let w: u32 = w
            .trim()
            .parse()
            .map_err(|_| format!("--tlds: `{part}` is not TLD or TLD:WEIGHT"))?;
        let t = t.trim().trim_start_matches('.').to_ascii_lowercase();
        if tlds.insert(t.clone(), w).is_some() {
            return Err(format!("--tlds: `{t}` is given twice"));
        }
    }
    Ok(tlds)
}

impl LimitArgs {
    fn limits(&self) -> Result<Limits, String> {
        let timeout = match self.timeout {
            None => None,
            Some(t) if t.is_finite() && t > 0.0 && t < 1e9 => Some(Duration::from_secs_f64(t)),
            Some(t) => return Err(format!("--timeout {t}: give a positive number of seconds")),
        };
        let limits = Limits {
            max_operations: self.max_operations,
            max_call_depth: self.max_call_depth,
            max_string_size: self.max_string_size,
            max_array_size: self.max_array_size,
            max_map_size: self.max_map_size,
            max_memory_mib: self.max_memory,
            timeout,
        };
        limits.check()?;
        Ok(limits)
    }
}

#[derive(Args, Debug)]
struct RunArgs {
    /// The scenario script (.rhai).
    script: PathBuf,
    /// Fixture (default: SCRIPT with .yaml if present, else the built-in world).
    #[arg(long)]
    fixture: Option<PathBuf>,
    /// Run seed (overrides the fixture's).
    #[arg(long)]
    seed: Option<u64>,
    /// Policy override KEY=VALUE, e.g. tlds.com.grace_days=14 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Print every event with its virtual time.
    #[arg(long)]
    trace: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Folder of shared modules (default: the nearest scripts/ above the script).
    #[arg(long)]
    scripts: Option<PathBuf>,
    /// Start from this snapshot instead of a fixture.
    #[arg(long)]
    from_snapshot: Option<PathBuf>,
    /// Write the world at the end of the run to this snapshot file.
    #[arg(long)]
    save_snapshot: Option<PathBuf>,
    /// Bulk mode: keep counters, balances and the digest, but not every event, posting and
    /// notification (what happens is the same; `events()` then returns nothing).
    #[arg(long)]
    bulk: bool,
    /// Stream every event to this file as JSON lines (`{"at", "kind", ...fields}`, the
    /// maps of `events()`), from the world's first event; works with `--bulk`.
    #[arg(long, value_name = "FILE.jsonl")]
    events: Option<PathBuf>,
    /// Debug switch: fire a timer for every notice (renewal and post-expiry reminders)
    /// instead of computing them in closed form. The run is the same (events, digest,
    /// metrics, every domain), only slower; closed form applies to runs that keep no
    /// events (`--bulk`).
    #[arg(long)]
    event_by_event: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args, Debug)]
struct TestArgs {
    /// Scenario files or folders (default: scenarios/).
    paths: Vec<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long)]
    junit: Option<PathBuf>,
    /// Run only scenarios whose path contains this text.
    #[arg(long)]
    filter: Option<String>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Parses the process arguments and runs; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Run(a) => run(a),
        Command::Test(a) => test::run(&a.paths, a.junit.as_deref(), a.filter.as_deref(), &a.limits),
        Command::Api => out(&report::api_text(&script::api())).err().unwrap_or(0),
        Command::Certificate(a) => page(&a.world, &a.out, |w| {
            crate::ops::certificate::certificate(w, &a.actor, &a.domain)
                .map(|c| report::certificate::html(&c))
        }),
        Command::Shop(a) => page(&a.world, &a.out, |w| {
            crate::report::shop::html(w, &a.seller)
        }),
        Command::Sweep(a) => sweep(&a),
        Command::Serve(a) => match serve(a) {
            Ok(()) => 0,
            Err(m) => {
                eprintln!("error: {m}");
                2
            }
        },
        Command::Replay(a) => match replay(&a) {
            Ok(text) => out(&text).err().unwrap_or(0),
            Err(m) => {
                eprintln!("error: {m}");
                2
            }
        },
        Command::Gen(a) => match gen_fixture(&a) {
            Ok(()) => 0,
            Err(m) => {
                eprintln!("error: {m}");
                2
            }
        },
        Command::Merge(a) => {
            match crate::whatif::sweep::merge(&a.dirs, a.max_runs).and_then(
                |(study, source, runs)| {
                    crate::report::sweep::write_outputs(&a.out, &study, &source, &runs, true)
                },
            ) {
                Ok(w) => out(&crate::report::sweep::written_text(&w))
                    .err()
                    .unwrap_or(0),
                Err(m) => {
                    eprintln!("error: {m}");
                    2
                }
            }
        }
    }
}

/// Set when writing standard output failed (not a closed pipe): the run ends with 2.
static STDOUT_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Streams a line a script printed to standard output (a failure is remembered and
/// ends the run with 2).
fn print_line(line: &str) {
    let _ = out(&format!("{line}\n"));
}

/// Set once standard output's reader went away (`| head`): later output is dropped.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Writes to standard output. A reader that went away (`regsim test | head`) is no
/// error: the command goes on and ends quietly. Any other failure (a full disk) is
/// reported, and the command exits with 2 (`Err(2)`).
pub(crate) fn out(text: &str) -> Result<(), i32> {
    use std::io::Write;
    use std::sync::atomic::Ordering;
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    if STDOUT_FAILED.load(Ordering::Relaxed) {
        return Err(2);
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            STDOUT_FAILED.store(true, Ordering::Relaxed);
            Err(2)
        }
    }
}

fn run(a: RunArgs) -> i32 {
    let limits = match a.limits.limits() {
        Ok(l) => l,
        Err(m) => {
            eprintln!("error: {m}");
            return 2;
        }
    };
    if a.from_snapshot.is_some() && a.fixture.is_some() {
        eprintln!("error: give --fixture or --from-snapshot, not both");
        return 2;
    }
    let sc = Scenario {
        script: a.script,
        fixture: a.fixture,
        from_snapshot: a.from_snapshot,
        seed: a.seed,
        sets: a.sets,
        limits,
        scripts_dir: a.scripts,
        progress: true,
        bulk: a.bulk,
        events_out: a.events.clone(),
        event_by_event: a.event_by_event,
        // Text output streams what the script prints; JSON keeps it for the object.
        print: matches!(a.format, Format::Text).then_some(print_line as fn(&str)),
    };
    let mut outcome = match script::run_scenario(&sc) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    if let (Some(path), Err(m)) = (&a.events, outcome.world.event_stream.finish()) {
        eprintln!("error: {}: {m}", path.display());
        return 2;
    }
    if let Some(path) = &a.save_snapshot
        && let Err(m) = crate::snapshot::save(&outcome.world, path)
    {
        eprintln!("error: {m}");
        return 2;
    }
    let text = match a.format {
        Format::Text => report::run_text(&outcome, a.trace),
        Format::Json => format!("{}\n", report::run_json(&outcome, a.trace)),
    };
    if let Err(code) = out(&text) {
        return code;
    }
    if STDOUT_FAILED.load(std::sync::atomic::Ordering::Relaxed) {
        return 2;
    }
    if outcome.passed() { 0 } else { 1 }
}

/// Loads the world a page command reads, renders the page, and writes it; exit code.
fn page(
    w: &WorldArgs,
    out: &std::path::Path,
    render: impl FnOnce(&crate::World) -> Result<String, crate::Refusal>,
) -> i32 {
    let result = load_page_world(w)
        .and_then(|world| render(&world).map_err(|r| r.to_string()))
        .and_then(|html| {
            crate::files::write_atomically(out, html.as_bytes())
                .map_err(|e| format!("cannot write {e}"))
        });
    match result {
        Ok(()) => 0,
        Err(m) => {
            eprintln!("error: {m}");
            2
        }
    }
}

fn load_page_world(a: &WorldArgs) -> Result<crate::World, String> {
    let mut world = match (&a.fixture, &a.from_snapshot) {
        (Some(_), Some(_)) => return Err("give --fixture or --from-snapshot, not both".into()),
        (None, Some(s)) => crate::snapshot::load(s)?,
        (f, None) => {
            let options = crate::fixture::LoadOptions::default();
            match f {
                Some(f) => crate::fixture::load_file(f, options).map_err(|e| e.to_string())?,
                None => crate::fixture::default_world(options),
            }
        }
    };
    if let Some(at) = &a.at {
        crate::dispatch::advance_until(&mut world, at).map_err(|r| r.to_string())?;
    }
    Ok(world)
}

fn sweep(a: &SweepArgs) -> i32 {
    use crate::whatif::sweep;
    let fail = |m: String| {
        eprintln!("error: {m}");
        2
    };
    let study: sweep::Study = match crate::fixture::read_yaml(&a.study) {
        Ok(s) => s,
        Err(e) => return fail(e.to_string()),
    };
    if let Err(m) = study.validate(a.max_runs) {
        return fail(format!("{}: {m}", a.study.display()));
    }
    if study.seed_count() == 1 {
        eprintln!(
            "warning: {}: one seed, so the summary has no confidence intervals (give 2 or more seeds)",
            a.study.display()
        );
    }
    let shard = match a.shard.as_deref().map(sweep::Shard::parse).transpose() {
        Ok(s) => s,
        Err(m) => return fail(m),
    };
    let jobs = a
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| a.study.with_extension("out"));
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
        let b = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "sweeping {bar:40} {pos}/{len} runs, {eta} left",
        ) {
            b.set_style(style);
        }
        b
    });
    let progress = |done: usize, total: usize| {
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    };
    let source = match sweep::Source::of(&study, &a.study) {
        Ok(s) => s,
        Err(m) => return fail(m),
    };
    let (journal, done) = match sweep::Journal::open(&out, &study, &source, shard, a.resume) {
        Ok(j) => j,
        Err(m) => return fail(m),
    };
    if !done.is_empty() {
        eprintln!("resuming: {} runs already done", done.len());
    }
    let runs = match sweep::run_study(
        &study,
        &a.study,
        jobs,
        shard,
        a.max_runs,
        Some(&journal),
        done,
        &progress,
    ) {
        Ok(r) => r,
        Err(m) => return fail(m),
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let written =
        crate::report::sweep::write_outputs(&out, &study, &source, &runs, shard.is_none())
            .and_then(|rows| journal.finish().map(|()| rows));
    match written {
        Ok(w) => {
            let table = if shard.is_none() {
                crate::report::sweep::written_text(&w)
            } else {
                String::new()
            };
            self::out(&format!("{table}wrote {}\n", out.display()))
                .err()
                .unwrap_or(0)
        }
        Err(m) => fail(m),
    }
}

fn gen_fixture(a: &GenArgs) -> Result<(), String> {
    use crate::whatif::generate::{Generate, fixture_text};
    let mut g = Generate {
        domains: a.domains,
        accounts: a.accounts,
        balance: 1_000_000_000,
        ..Generate::default()
    };
    if let Some(t) = &a.tlds {
        g.tlds = parse_tlds(t)?;
    }
    // The fields `gen` sets (domains, accounts, tlds) are its flags' names.
    g.validate(&crate::model::Catalog::default())
        .map_err(|(field, r)| {
            let flag = field.first().map_or("", String::as_str);
            format!("--{flag}: {}", r.message)
        })?;
    let text = fixture_text(&g, a.seed, !a.no_behaviour);
    crate::files::write_atomically(&a.out, text.as_bytes()).map_err(|e| format!("cannot write {e}"))
}

/// The world `serve` and `replay` start from.
fn served_world(a: &ServedWorld) -> Result<crate::World, String> {
    Ok(match (&a.script, &a.from_snapshot) {
        (Some(_), Some(_)) => return Err("give --script or --from-snapshot, not both".into()),
        (Some(script), None) => {
            let sc = Scenario {
                script: script.clone(),
                fixture: a.fixture.clone(),
                from_snapshot: None,
                seed: None,
                sets: Vec::new(),
                limits: crate::script::Limits::default(),
                scripts_dir: None,
                progress: false,
                bulk: false,
                events_out: None,
                event_by_event: false,
                print: Some(print_line as fn(&str)),
            };
            let outcome = script::run_scenario(&sc).map_err(|e| e.to_string())?;
            if !outcome.passed() {
                return Err(format!(
                    "{} failed, so there is no world to serve:\n{}",
                    script.display(),
                    report::run_text(&outcome, false)
                ));
            }
            outcome.world
        }
        (None, _) => load_page_world(&WorldArgs {
            fixture: a.fixture.clone(),
            from_snapshot: a.from_snapshot.clone(),
            at: None,
        })?,
    })
}

fn replay(a: &ReplayArgs) -> Result<String, String> {
    let mut world = served_world(&a.world)?;
    let entries = crate::serve::journal::read(&a.journal)?;
    let hash = crate::serve::journal::world_hash(&world)?;
    if let Some(crate::serve::journal::Entry::Head { world_blake3, .. }) = entries.first()
        && *world_blake3 != hash
    {
        return Err(format!(
            "{} was written for another world: give the fixture, snapshot or script the server started from",
            a.journal.display()
        ));
    }
    for e in &entries[1..] {
        crate::serve::apply(&mut world, e);
    }
    let (events, digest) = (world.event_total(), world.digest());
    Ok(format!(
        "{}: {} requests replayed\nnow: {}\nevents: {events}\ndigest: {digest}\n",
        a.journal.display(),
        entries.len() - 1,
        world.now(),
    ))
}

fn serve(a: ServeArgs) -> Result<(), String> {
    let world = served_world(&a.world)?;
    if !a.listen.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}, not loopback: anyone who can reach it can move the clock (/_regsim)",
            a.listen
        );
    }
    let options = crate::serve::Options {
        listen: a.listen,
        max_body: a.max_body,
        max_in_flight: a.max_in_flight.max(1),
        clock_rate: a.clock_rate,
        max_connections: a.max_connections,
    };
    if !(0.0..=1e9).contains(&a.clock_rate) {
        return Err(format!(
            "--clock-rate {} must be 0 to 1,000,000,000 simulated seconds a real second",
            a.clock_rate
        ));
    }
    let sandbox = match &a.journal {
        Some(path) => {
            let (sandbox, replayed) = crate::serve::Sandbox::with_journal(world, path)?;
            if replayed > 0 {
                print_line(&format!(
                    "regsim serve: re-applied {replayed} requests from {}",
                    path.display()
                ));
            }
            sandbox
        }
        None => crate::serve::Sandbox::new(world),
    };
    crate::serve::serve(sandbox, &options, |addr| {
        print_line(&format!("regsim serve: listening on http://{addr}"));
    })
}
