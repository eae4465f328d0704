//! The registry of script functions: every function is registered through here with
//! its signature and one line of documentation, so `regsim api` is generated from the
//! same calls that build the engine and cannot drift from it.

use rhai::{Engine, RhaiNativeFunc, Variant};

/// One documented script function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiEntry {
    /// Area heading in `regsim api` (e.g. `lifecycle`).
    pub area: &'static str,
    /// Function name.
    pub name: &'static str,
    /// Signature, e.g. `renew(actor, name, years) -> string`.
    pub signature: &'static str,
    /// One line of documentation.
    pub doc: &'static str,
    /// Number of parameters the registered function takes.
    pub arity: usize,
}

/// Registers functions into an engine while recording their documentation.
pub struct Registry<'e> {
    engine: &'e mut Engine,
    area: &'static str,
    entries: Vec<ApiEntry>,
}

impl<'e> Registry<'e> {
    /// A registry over `engine`.
    pub fn new(engine: &'e mut Engine) -> Self {
        Registry {
            engine,
            area: "",
            entries: Vec::new(),
        }
    }

    /// Starts an area; the functions registered next are listed under it.
    pub fn area(&mut self, area: &'static str) {
        self.area = area;
    }

    /// Registers `func` as `name` with its signature and documentation.
    pub fn add<A: 'static, const N: usize, const X: bool, R: Variant + Clone, const F: bool>(
        &mut self,
        name: &'static str,
        signature: &'static str,
        doc: &'static str,
        func: impl RhaiNativeFunc<A, N, X, R, F> + 'static,
    ) {
        self.engine.register_fn(name, func);
        self.entries.push(ApiEntry {
            area: self.area,
            name,
            signature,
            doc,
            arity: N,
        });
    }

    /// The entries registered, in registration order.
    pub fn finish(self) -> Vec<ApiEntry> {
        self.entries
    }
}

/// Counts the parameters written in a signature `name(a, #{b, c}) -> t` (commas
/// inside `#{...}` or `[...]` do not separate parameters).
pub fn signature_arity(signature: &str) -> usize {
    let Some((_, rest)) = signature.split_once('(') else {
        return 0;
    };
    let mut depth = 0i32;
    let mut params = 0;
    let mut seen = false;
    for c in rest.chars() {
        match c {
            ')' if depth == 0 => break,
            '{' | '[' | '(' => depth += 1,
            '}' | ']' | ')' => depth -= 1,
            ',' if depth == 0 => params += 1,
            c if !c.is_whitespace() => seen = true,
            _ => {}
        }
    }
    if seen { params + 1 } else { 0 }
}
