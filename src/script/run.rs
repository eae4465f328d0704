//! Running one scenario: load the world (snapshot, fixture or default), apply
//! overrides, compile and run the script, and collect failures, the uncaught error, the
//! output and the digest.

use super::assertions::ASSERTION;
use super::{Limits, Session, engine};
use crate::fixture::{self, FixtureError, LoadOptions};
use crate::model::World;
use crate::model::world::Retention;
use rhai::{EvalAltResult, Position};
use std::cell::RefCell;
use std::fmt;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// What to run.
#[derive(Clone, Debug, Default)]
pub struct Scenario {
    /// The script file.
    pub script: PathBuf,
    /// Fixture; `None` means the script's sibling `.yaml` if present, else the default
    /// world.
    pub fixture: Option<PathBuf>,
    /// Start from this snapshot instead of a fixture.
    pub from_snapshot: Option<PathBuf>,
    /// Seed overriding the fixture's.
    pub seed: Option<u64>,
    /// Policy overrides `KEY=VALUE`, applied after loading.
    pub sets: Vec<String>,
    /// Sandbox limits.
    pub limits: Limits,
    /// The folder of shared modules (default: the nearest `scripts/` above the script).
    pub scripts_dir: Option<PathBuf>,
    /// Show a progress bar for long advances when standard error is a terminal.
    pub progress: bool,
    /// Bulk mode: keep counters, balances and the digest but not every event, posting
    /// and notification.
    pub bulk: bool,
    /// Where printed lines go as the script prints them (none: kept in the outcome's
    /// `output`).
    pub print: Option<fn(&str)>,
    /// Stream every event to this file as JSON lines (`--events`), from the world's
    /// first event on.
    pub events_out: Option<PathBuf>,
    /// Fire a timer for every notice instead of computing them in closed form
    /// (`--event-by-event`, a debug switch: the run is the same, only slower).
    pub event_by_event: bool,
}

/// A failed assertion or an uncaught error, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// File of the failing line.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What failed.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// Bad input: the scenario could not start (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadInput {
    /// A file could not be read.
    Io(String),
    /// The fixture is wrong.
    Fixture(FixtureError),
    /// The script (or a module it imports) does not parse.
    Syntax(Failure),
    /// A `--set` override is wrong.
    Override(String),
}

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadInput::Io(m) | BadInput::Override(m) => write!(f, "{m}"),
            BadInput::Fixture(e) => write!(f, "{e}"),
            BadInput::Syntax(e) => write!(f, "{e}"),
        }
    }
}

/// The result of a run that started.
pub struct RunOutcome {
    /// The script file.
    pub script: String,
    /// The seed in force.
    pub seed: u64,
    /// Assertion failures.
    pub failures: Vec<Failure>,
    /// The uncaught error that stopped the script, if any.
    pub error: Option<Failure>,
    /// What the script printed.
    pub output: Vec<String>,
    /// The world at the end.
    pub world: World,
}

impl RunOutcome {
    /// True when every assertion held and nothing was left uncaught.
    pub fn passed(&self) -> bool {
        self.failures.is_empty() && self.error.is_none()
    }

    /// Its failures and uncaught error as report lines (empty when it passed).
    pub fn failure_lines(&self) -> Vec<String> {
        self.failures
            .iter()
            .map(|f| f.to_string())
            .chain(self.error.iter().map(|e| format!("error: {e}")))
            .collect()
    }

    /// The run digest.
    pub fn digest(&self) -> String {
        self.world.log.digest()
    }
}

/// The fixture a script uses: the given one, else `SCRIPT.yaml` beside it.
pub(crate) fn fixture_for(script: &Path, explicit: Option<&Path>) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(|| {
        let sibling = script.with_extension("yaml");
        sibling.is_file().then_some(sibling)
    })
}

/// The folder a script is in (`.` for a bare file name).
pub(crate) fn folder_of(script: &Path) -> PathBuf {
    script
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The nearest `scripts/` folder at or above the script's folder.
pub(crate) fn scripts_dir_for(script: &Path) -> Option<PathBuf> {
    let start = folder_of(script).canonicalize().ok()?;
    start
        .ancestors()
        .map(|a| a.join("scripts"))
        .find(|p| p.is_dir())
}

/// Loads the world a scenario starts from.
pub(crate) fn load_world(sc: &Scenario, retention: Retention) -> Result<World, BadInput> {
    let mut world = if let Some(snap) = &sc.from_snapshot {
        if let Some(seed) = sc.seed {
            return Err(BadInput::Override(format!(
                "--seed {seed} would change nothing with --from-snapshot: the snapshot carries its seed and random state"
            )));
        }
        let mut world = crate::snapshot::load(snap).map_err(BadInput::Io)?;
        if sc.event_by_event || sc.events_out.is_some() {
            crate::ops::timeline::set_closed_form(&mut world, false);
        }
        world
    } else {
        let options = LoadOptions {
            seed: sc.seed,
            retention,
            event_by_event: sc.event_by_event,
        };
        match fixture_for(&sc.script, sc.fixture.as_deref()) {
            Some(f) => fixture::load_file(&f, options).map_err(BadInput::Fixture)?,
            None => fixture::default_world(options),
        }
    };
    for set in &sc.sets {
        let (key, value) = set.split_once('=').ok_or_else(|| {
            BadInput::Override(format!(
                "--set `{set}`: write KEY=VALUE, e.g. tlds.com.grace_days=14"
            ))
        })?;
        if value.trim().is_empty() {
            return Err(BadInput::Override(format!(
                "--set `{set}`: no value; write KEY=VALUE, e.g. tlds.com.grace_days=14"
            )));
        }
        let value = fixture::parse_value(value)
            .map_err(|m| BadInput::Override(format!("--set {key}: {m}")))?;
        crate::dispatch::set_policy(&mut world, key.trim(), value).map_err(|r| {
            BadInput::Override(format!(
                "--set {key}: {} {}: {}",
                r.code.number(),
                r.reason,
                r.message
            ))
        })?;
    }
    Ok(world)
}

/// Runs a scenario.
/// The script runs on a thread of its own whose stack fits its call-depth limit
/// ([`super::Limits::stack_bytes`]), so that deep recursion is stopped by the limit,
/// never by the process's stack.
pub fn run_scenario(sc: &Scenario) -> Result<RunOutcome, BadInput> {
    sc.limits.check().map_err(BadInput::Override)?;
    let job = sc.clone();
    std::thread::Builder::new()
        .name("script".into())
        .stack_size(sc.limits.stack_bytes())
        .spawn(move || run_scenario_here(&job))
        .map_err(|e| BadInput::Io(format!("cannot start the script's thread: {e}")))?
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Runs a scenario on the calling thread.
fn run_scenario_here(sc: &Scenario) -> Result<RunOutcome, BadInput> {
    let file = sc.script.display().to_string();
    let text = crate::files::read_text(&sc.script)
        .map_err(|e| BadInput::Io(format!("{file}: cannot read the script: {e}")))?;
    let retention = if sc.bulk {
        Retention::BULK
    } else {
        Retention::default()
    };
    // A stream starts with the world's first event, so the load keeps its events.
    let load_retention = match sc.events_out {
        Some(_) => Retention {
            events: true,
            ..retention
        },
        None => retention,
    };
    let mut world = load_world(sc, load_retention)?;
    if let Some(path) = &sc.events_out {
        let file = std::fs::File::create(path).map_err(|e| {
            BadInput::Io(format!(
                "{}: cannot write the event stream: {e}",
                path.display()
            ))
        })?;
        world.stream_events(Box::new(std::io::BufWriter::new(file)), retention.events);
    }
    let seed = world.rng.seed();
    let session = Rc::new(RefCell::new(Session {
        world,
        failures: Vec::new(),
        output: Vec::new(),
        print: sc.print,
        file: file.clone(),
        progress: if sc.progress {
            crate::report::progress::AdvanceProgress::for_terminal()
        } else {
            None
        },
    }));
    let mut roots = vec![folder_of(&sc.script)];
    if let Some(d) = sc
        .scripts_dir
        .clone()
        .or_else(|| scripts_dir_for(&sc.script))
    {
        roots.push(d);
    }
    let (engine, _) = engine(&session, sc.limits, roots);
    let mut ast = engine.compile(&text).map_err(|e| {
        BadInput::Syntax(Failure {
            file: file.clone(),
            line: e.1.line().unwrap_or(0),
            column: e.1.position().unwrap_or(0),
            message: format!("syntax error: {}", e.0),
        })
    })?;
    ast.set_source(file.clone());
    let result = engine.run_ast(&ast);
    drop(engine);
    let session = Rc::try_unwrap(session)
        .map_err(|_| BadInput::Io("internal: the script engine kept the session".into()))?
        .into_inner();
    let error = match result {
        Ok(()) => None,
        Err(e) => {
            if let Some(syntax) = parse_error_in(&e, &file) {
                return Err(BadInput::Syntax(syntax));
            }
            let f = locate(&e, &file);
            let is_assertion = f.message.starts_with(ASSERTION) && !session.failures.is_empty();
            (!is_assertion).then_some(f)
        }
    };
    let mut world = session.world;
    world.settle();
    Ok(RunOutcome {
        script: file,
        seed,
        failures: session.failures,
        error,
        output: session.output,
        world,
    })
}

fn at(file: &str, pos: Position, message: String) -> Failure {
    Failure {
        file: file.to_string(),
        line: pos.line().unwrap_or(0),
        column: pos.position().unwrap_or(0),
        message,
    }
}

/// A syntax error inside an imported module, if that is what stopped the script.
fn parse_error_in(e: &EvalAltResult, file: &str) -> Option<Failure> {
    match e {
        EvalAltResult::ErrorInModule(path, inner, _) => parse_error_in(inner, path),
        EvalAltResult::ErrorInFunctionCall(_, src, inner, _) => {
            parse_error_in(inner, if src.is_empty() { file } else { src })
        }
        EvalAltResult::ErrorParsing(kind, pos) => {
            Some(at(file, *pos, format!("syntax error: {kind}")))
        }
        _ => None,
    }
}

/// Finds where an uncaught error was raised and says what it was.
fn locate(e: &EvalAltResult, file: &str) -> Failure {
    match e {
        EvalAltResult::ErrorInFunctionCall(name, src, inner, pos) => {
            let mut f = locate(inner, if src.is_empty() { file } else { src });
            f.message = format!("{} (in `{name}` called at {file}:{pos})", f.message);
            f
        }
        EvalAltResult::ErrorInModule(path, inner, _) => locate(inner, path),
        other => at(file, other.position(), describe(other)),
    }
}

fn describe(e: &EvalAltResult) -> String {
    match e {
        EvalAltResult::ErrorRuntime(v, _) => {
            if let Some(m) = v.read_lock::<rhai::Map>() {
                let get = |k: &str| m.get(k).map(|v| v.to_string()).unwrap_or_default();
                if m.contains_key("code") && m.contains_key("reason") {
                    return format!("uncaught error {} {}: {}", get("code"), get("reason"), get("message"));
                }
            }
            if v.is_string() && v.to_string().starts_with(ASSERTION) {
                return v.to_string();
            }
            format!("uncaught error: {v}")
        }
        EvalAltResult::ErrorTooManyOperations(_) => {
            "stopped: the script ran more operations than its limit (an endless loop?); raise it with --max-operations".into()
        }
        EvalAltResult::ErrorStackOverflow(_) => {
            "stopped: calls nested deeper than the limit (endless recursion?); raise it with --max-call-depth (at most 10,000)".into()
        }
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            let flag = if what.contains("rray") {
                "--max-array-size"
            } else if what.contains("map") || what.contains("Map") {
                "--max-map-size"
            } else {
                "--max-string-size (it counts the strings inside one array or map together)"
            };
            format!("stopped: {what} grew past its limit; raise it with {flag}")
        }
        EvalAltResult::ErrorTerminated(v, _) => format!("stopped: {v}"),
        other => {
            let mut s = other.to_string();
            if let Some(i) = s.rfind(" (line ") {
                s.truncate(i);
            }
            s
        }
    }
}
