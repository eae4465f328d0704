//! The rhai face: a sandboxed engine whose global functions translate script calls
//! into `ops` calls and views into object maps. No rule is decided here.

pub mod api;
mod assertions;
mod bindings;
mod convert;
mod manage;
pub mod resolver;
pub mod run;
pub mod suite;
mod trade;
mod whatif;

use crate::model::World;
use rhai::Engine;
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

pub use api::ApiEntry;
pub use run::{Failure, RunOutcome, Scenario, run_scenario};

/// Sandbox limits. The defaults are the same in debug and release builds; time spent
/// inside a native call (simulating a long `advance`) counts toward none of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Script operations before the script is stopped.
    pub max_operations: u64,
    /// Depth of nested function calls.
    pub max_call_depth: usize,
    /// Longest string, in bytes; rhai also counts the strings inside one array or map
    /// together against it.
    pub max_string_size: usize,
    /// Largest array.
    pub max_array_size: usize,
    /// Largest object map.
    pub max_map_size: usize,
    /// The most heap the run may hold, in MiB (0: no budget): the world, its forks,
    /// snapshots and everything the script keeps. Checked between script operations, so
    /// one native call (a long `advance`) is never stopped midway. Kept only by the
    /// `regsim` binary, whose allocator counts what it holds.
    pub max_memory_mib: u64,
    /// Optional wall-clock limit for the whole script.
    pub timeout: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_operations: 20_000_000,
            max_call_depth: 64,
            max_string_size: 16 << 20,
            max_array_size: 100_000,
            max_map_size: 100_000,
            max_memory_mib: 8 << 10,
            timeout: None,
        }
    }
}

impl Limits {
    /// The deepest call nesting a script may be allowed: scripts run on a thread whose
    /// stack fits it ([`Limits::stack_bytes`]).
    pub(crate) const MAX_CALL_DEPTH: usize = 10_000;

    /// The stack a script's thread gets: room for the call depth allowed (rhai takes
    /// about 3.5 KiB a level in release builds and 4.5 KiB in debug builds; 16 KiB a
    /// level leaves a wide margin) plus the parser's and the library's own. Only the
    /// pages a script touches are ever used.
    pub(crate) fn stack_bytes(&self) -> usize {
        (16 << 20) + self.max_call_depth.min(Self::MAX_CALL_DEPTH) * (16 << 10)
    }

    /// Checks limits given by a user.
    /// Refuses a call depth above [`Limits::MAX_CALL_DEPTH`].
    pub fn check(&self) -> Result<(), String> {
        if self.max_call_depth > Self::MAX_CALL_DEPTH {
            return Err(format!(
                "--max-call-depth {}: at most {} (a script's stack is sized to its call depth)",
                self.max_call_depth,
                Self::MAX_CALL_DEPTH
            ));
        }
        Ok(())
    }
}

/// A failed assertion, with where it was made.
pub type Failures = Vec<Failure>;

/// The state a script acts on: the world, the assertion failures so far, and what the
/// script printed.
pub struct Session {
    /// The current world.
    pub world: World,
    /// Assertion failures recorded so far.
    pub failures: Failures,
    /// Lines printed by the script (when they are kept, not streamed).
    pub output: Vec<String>,
    /// Where printed lines go as they are printed, instead of into `output` (the command
    /// line streams them, so a script that prints much holds none of it).
    pub print: Option<fn(&str)>,
    /// The main script's file, for positions outside modules.
    pub file: String,
    /// Progress display for long advances (a terminal run), if any.
    pub progress: Option<crate::report::progress::AdvanceProgress>,
}

impl Session {
    /// A line the script printed: streamed, or kept.
    fn printed(&mut self, line: String) {
        match self.print {
            Some(print) => print(&line),
            None => self.output.push(line),
        }
    }
}

/// A session shared between the engine's functions.
pub(crate) type Shared = Rc<RefCell<Session>>;

/// An area of the vocabulary: its heading in `regsim api` and the function that
/// registers its functions.
type Area = (&'static str, fn(&mut api::Registry));

/// The vocabulary's areas, in the order `regsim api` lists them: each registers its
/// functions (one `Registry::world` or `Registry::add` call a function).
const AREAS: &[Area] = &[
    ("time", bindings::time),
    ("accounts", bindings::accounts),
    ("lifecycle", bindings::lifecycle),
    ("policy", bindings::policy),
    ("run", bindings::run),
    ("profiles", manage::profiles),
    ("dns", manage::dns),
    ("compliance", manage::compliance),
    ("access", manage::access),
    ("monitoring", manage::monitoring),
    ("transfers", trade::transfers),
    ("trade", trade::trade),
    ("what-if", whatif::what_if),
    ("assertions", assertions::assertions),
];

/// Builds a sandboxed engine over a session: limits, no `eval`, imports only from
/// `import_roots`, and the whole vocabulary. Returns the engine and its documentation.
pub fn engine(
    session: &Shared,
    limits: Limits,
    import_roots: Vec<PathBuf>,
) -> (Engine, Vec<ApiEntry>) {
    let mut engine = sandboxed(&limits);
    engine.set_module_resolver(resolver::SandboxResolver::new(import_roots));
    let budget = (limits.max_memory_mib > 0).then(|| {
        usize::try_from(limits.max_memory_mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX)
    });
    let timeout = limits.timeout;
    if budget.is_some() || timeout.is_some() {
        let started = Instant::now();
        engine.on_progress(move |ops| {
            if let (Some(budget), Some(held)) = (budget, crate::alloc::live_bytes())
                && held > budget
            {
                return Some(
                    format!(
                        "the run holds {} MiB, past its --max-memory of {} MiB",
                        held.div_ceil(1 << 20),
                        budget >> 20
                    )
                    .into(),
                );
            }
            match timeout {
                Some(t) if ops % 4096 == 0 && started.elapsed() > t => Some(
                    format!("the script ran past its --timeout of {}s", t.as_secs_f64()).into(),
                ),
                _ => None,
            }
        });
    }
    let printed = session.clone();
    engine.on_print(move |s| printed.borrow_mut().printed(s.to_string()));
    let debugged = session.clone();
    engine.on_debug(move |s, _, pos| debugged.borrow_mut().printed(format!("[{pos}] {s}")));
    let mut registry = api::Registry::new(&mut engine, session);
    for (area, register) in AREAS {
        registry.area(area, *register);
    }
    let entries = registry.finish();
    (engine, entries)
}

/// A bare engine under the sandbox's limits and language settings: the operation, call
/// depth, expression depth, string, array, map and module limits, strict variables,
/// errors on a missing map property, and no `eval`. [`engine`] builds on it; the rhai
/// benchmarks use it alone to measure what the engine costs without the library.
pub fn sandboxed(limits: &Limits) -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_depth)
        .set_max_expr_depths(128, 64)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_modules(256)
        .set_strict_variables(true)
        .set_fail_on_invalid_map_property(true)
        .disable_symbol("eval");
    engine
}

/// The documented vocabulary, for `regsim api`.
pub fn api() -> Vec<ApiEntry> {
    let session = Rc::new(RefCell::new(Session {
        world: crate::fixture::default_world(Default::default()),
        failures: Vec::new(),
        output: Vec::new(),
        print: None,
        file: String::new(),
        progress: None,
    }));
    engine(&session, Limits::default(), Vec::new()).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_signatures_match_registered_arity() {
        let entries = api();
        assert!(entries.len() >= 40, "{} functions", entries.len());
        for e in &entries {
            assert_eq!(
                api::signature_arity(e.signature),
                e.arity,
                "{}",
                e.signature
            );
            assert!(e.signature.starts_with(e.name), "{}", e.signature);
            assert!(!e.doc.is_empty(), "{} has no documentation", e.name);
        }
    }
}
