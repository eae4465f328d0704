//! `assert`, `assert_eq`, `assert_ne`: a failure is recorded with the caller's
//! `file:line:column` (so `try`/`catch` cannot hide it) and stops the script.

use super::Shared;
use super::api::Registry;
use super::convert::R;
use super::run::Failure;
use rhai::{Dynamic, EvalAltResult, NativeCallContext};

/// Prefix of the error an assertion failure raises.
pub(crate) const ASSERTION: &str = "assertion failed";

fn fail(s: &Shared, ctx: &NativeCallContext, message: String) -> Box<EvalAltResult> {
    let pos = ctx.call_position();
    let mut session = s.borrow_mut();
    let file = ctx
        .call_source()
        .map(str::to_string)
        .unwrap_or_else(|| session.file.clone());
    session.failures.push(Failure {
        file,
        line: pos.line().unwrap_or(0),
        column: pos.position().unwrap_or(0),
        message: message.clone(),
    });
    Box::new(EvalAltResult::ErrorRuntime(
        format!("{ASSERTION}: {message}").into(),
        pos,
    ))
}

fn show(v: &Dynamic) -> String {
    if v.is_string() {
        format!("{v:?}")
    } else {
        format!("{v} ({})", v.type_name())
    }
}

fn equal(ctx: &NativeCallContext, a: &Dynamic, b: &Dynamic) -> bool {
    if a.type_id() != b.type_id() {
        return false;
    }
    ctx.call_native_fn::<bool>("==", (a.clone(), b.clone()))
        .unwrap_or_else(|_| a.to_string() == b.to_string())
}

fn check(
    s: &Shared,
    ctx: &NativeCallContext,
    ok: bool,
    failure: impl FnOnce() -> String,
    msg: Option<&str>,
) -> R<()> {
    if ok {
        return Ok(());
    }
    let base = failure();
    let message = match msg {
        Some(m) if !m.is_empty() => format!("{m}: {base}"),
        _ => base,
    };
    Err(fail(s, ctx, message))
}

fn assert_true(s: &Shared, ctx: &NativeCallContext, cond: bool, msg: Option<&str>) -> R<()> {
    check(s, ctx, cond, || "assert failed".into(), msg)
}

fn assert_equal(
    s: &Shared,
    ctx: &NativeCallContext,
    a: &Dynamic,
    b: &Dynamic,
    msg: Option<&str>,
) -> R<()> {
    let failure = || format!("assert_eq failed: actual {}, expected {}", show(a), show(b));
    check(s, ctx, equal(ctx, a, b), failure, msg)
}

fn assert_unequal(
    s: &Shared,
    ctx: &NativeCallContext,
    a: &Dynamic,
    b: &Dynamic,
    msg: Option<&str>,
) -> R<()> {
    check(
        s,
        ctx,
        !equal(ctx, a, b),
        || format!("assert_ne failed: both are {}", show(a)),
        msg,
    )
}

/// Scenario assertions.
pub(super) fn assertions(r: &mut Registry) {
    let s = r.session();
    r.add(
        "assert(cond)",
        "Fails the scenario at this line unless cond is true.",
        move |ctx: NativeCallContext, cond: bool| assert_true(&s, &ctx, cond, None),
    );
    let s = r.session();
    r.add(
        "assert(cond, message)",
        "Fails with a message unless cond is true.",
        move |ctx: NativeCallContext, cond: bool, msg: &str| assert_true(&s, &ctx, cond, Some(msg)),
    );
    let s = r.session();
    r.add(
        "assert_eq(actual, expected)",
        "Fails unless the values are equal (same type); reports both.",
        move |ctx: NativeCallContext, a: Dynamic, b: Dynamic| assert_equal(&s, &ctx, &a, &b, None),
    );
    let s = r.session();
    r.add(
        "assert_eq(actual, expected, message)",
        "As assert_eq, with a message.",
        move |ctx: NativeCallContext, a: Dynamic, b: Dynamic, msg: &str| {
            assert_equal(&s, &ctx, &a, &b, Some(msg))
        },
    );
    let s = r.session();
    r.add(
        "assert_ne(a, b)",
        "Fails if the values are equal.",
        move |ctx: NativeCallContext, a: Dynamic, b: Dynamic| {
            assert_unequal(&s, &ctx, &a, &b, None)
        },
    );
    let s = r.session();
    r.add(
        "assert_ne(a, b, message)",
        "As assert_ne, with a message.",
        move |ctx: NativeCallContext, a: Dynamic, b: Dynamic, msg: &str| {
            assert_unequal(&s, &ctx, &a, &b, Some(msg))
        },
    );
}
