//! The registry of script functions: every function is registered through here with
//! its signature and one line of documentation, so `regsim api` is generated from the
//! same calls that build the engine and cannot drift from it.
//!
//! A binding is one call: [`Registry::world`] for the functions that read or change the
//! session's world (a closure taking `&mut World` first, then the script's arguments),
//! [`Registry::add`] for the rest. The name is the signature's text before `(`.

use super::Shared;
use super::convert::R;
use crate::model::World;
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
pub(crate) struct Registry<'e> {
    engine: &'e mut Engine,
    session: Shared,
    area: &'static str,
    entries: Vec<ApiEntry>,
}

/// A script function over the session's world: a closure `|w: &mut World, a: A, ...|
/// -> R<T>` of up to five script arguments. The session is borrowed for the call, so the
/// closure must not call back into the script (a callback, `print`): such functions take
/// the session itself ([`Registry::session`]) and borrow it around the callback.
pub(crate) trait WorldFn<A: 'static, const N: usize, T: 'static> {
    /// The closure as a rhai function over `session`.
    fn bind(self, session: Shared) -> impl RhaiNativeFunc<A, N, false, T, true> + 'static;
}

macro_rules! world_fn {
    ($n:literal; $($a:ident),*) => {
        impl<F, T, $($a),*> WorldFn<($($a,)*), $n, T> for F
        where
            F: Fn(&mut World, $($a),*) -> R<T> + 'static,
            T: Variant + Clone + 'static,
            $($a: Variant + Clone + 'static,)*
        {
            #[allow(non_snake_case)]
            fn bind(
                self,
                session: Shared,
            ) -> impl RhaiNativeFunc<($($a,)*), $n, false, T, true> + 'static {
                move |$($a: $a),*| -> R<T> {
                    self(&mut session.borrow_mut().world, $($a),*)
                }
            }
        }
    };
}

world_fn!(0;);
world_fn!(1; A1);
world_fn!(2; A1, A2);
world_fn!(3; A1, A2, A3);
world_fn!(4; A1, A2, A3, A4);
world_fn!(5; A1, A2, A3, A4, A5);

/// The function name a signature declares: its text before `(`.
fn name_of(signature: &'static str) -> &'static str {
    signature
        .split_once('(')
        .map_or(signature, |(name, _)| name)
}

impl<'e> Registry<'e> {
    /// A registry over `engine`, whose world functions run against `session`.
    pub fn new(engine: &'e mut Engine, session: &Shared) -> Self {
        Registry {
            engine,
            session: session.clone(),
            area: "",
            entries: Vec::new(),
        }
    }

    /// The session, for the few functions that need more than its world (assertions
    /// record failures, `advance` feeds the progress display, forks swap worlds).
    pub fn session(&self) -> Shared {
        self.session.clone()
    }

    /// Registers an area's functions with `register`; `regsim api` lists them under
    /// the area's heading.
    pub(crate) fn area(&mut self, area: &'static str, register: fn(&mut Registry)) {
        self.area = area;
        register(self);
    }

    /// Registers `func` under the name its signature declares, with its documentation.
    pub fn add<A: 'static, const N: usize, const X: bool, T: Variant + Clone, const F: bool>(
        &mut self,
        signature: &'static str,
        doc: &'static str,
        func: impl RhaiNativeFunc<A, N, X, T, F> + 'static,
    ) {
        let name = name_of(signature);
        self.engine.register_fn(name, func);
        self.entries.push(ApiEntry {
            area: self.area,
            name,
            signature,
            doc,
            arity: N,
        });
    }

    /// Registers a function over the session's world (see [`WorldFn`]).
    pub fn world<A: 'static, const N: usize, T: Variant + Clone>(
        &mut self,
        signature: &'static str,
        doc: &'static str,
        func: impl WorldFn<A, N, T>,
    ) {
        let func = func.bind(self.session.clone());
        self.add(signature, doc, func);
    }

    /// The entries registered, in registration order.
    pub fn finish(self) -> Vec<ApiEntry> {
        self.entries
    }
}

/// Counts the parameters written in a signature `name(a, #{b, c}) -> t` (commas
/// inside `#{...}` or `[...]` do not separate parameters).
#[cfg(test)]
pub(crate) fn signature_arity(signature: &str) -> usize {
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
