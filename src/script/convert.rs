//! Conversions between library values and rhai values.

use crate::model::Field;
use crate::refusal::{Reason, Refusal};
use rhai::{Dynamic, EvalAltResult, Map, Position};
use serde::Serialize;

/// Result of a script function.
pub type R<T> = Result<T, Box<EvalAltResult>>;

/// A refusal as the error map `#{code, reason, message}` scripts catch.
pub fn refusal(r: Refusal) -> Box<EvalAltResult> {
    let mut m = Map::new();
    m.insert("code".into(), Dynamic::from_int(r.code.number().into()));
    m.insert("reason".into(), Dynamic::from(r.reason.as_str()));
    m.insert("message".into(), Dynamic::from(r.message));
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from_map(m),
        Position::NONE,
    ))
}

/// A refusal made in the binding layer (argument conversion).
pub(crate) fn bad_argument(reason: Reason, message: String) -> Box<EvalAltResult> {
    refusal(Refusal::new(reason, message))
}

/// A view as a rhai value (structs become object maps, `None` becomes `()`).
pub fn view<T: Serialize>(v: &T) -> R<Dynamic> {
    rhai::serde::to_dynamic(v)
}

/// Maps an operation result into a script result.
pub(crate) fn done<T>(r: Result<T, Refusal>) -> R<T> {
    r.map_err(refusal)
}

/// Event fields as an object map.
pub fn fields(v: Vec<(&'static str, Field)>) -> Dynamic {
    let mut m = Map::new();
    for (k, f) in v {
        let d = match f {
            Field::Text(s) => Dynamic::from(s),
            Field::Int(i) => Dynamic::from_int(i),
            Field::Bool(b) => Dynamic::from_bool(b),
        };
        m.insert(k.into(), d);
    }
    Dynamic::from_map(m)
}

/// A script value as JSON, for policy values.
pub fn json(value: &Dynamic) -> R<serde_json::Value> {
    rhai::serde::from_dynamic(value)
}
