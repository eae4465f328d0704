//! The scripting vocabulary (SPEC §5): each function parses its arguments, calls one
//! library function and returns a view. Mutating functions take the actor first.

use super::Shared;
use super::api::Registry;
use super::convert::{R, bad_argument, done, fields, json, view};
use crate::model::{AccountKind, World};
use crate::ops::{self, RegisterOptions, timeline, views};
use crate::refusal::Reason;
use crate::sim::Time;
use rhai::{Array, Blob, Dynamic, Map};

pub(super) fn with<T>(s: &Shared, f: impl FnOnce(&mut World) -> T) -> T {
    f(&mut s.borrow_mut().world)
}

/// Reads an optional option `key` of a map with `read`, which names the expected type
/// in its error.
fn opt<T>(
    m: &Map,
    key: &str,
    what: &str,
    read: impl FnOnce(Dynamic) -> Result<T, &'static str>,
) -> R<Option<T>> {
    match m.get(key) {
        None => Ok(None),
        Some(v) if v.is_unit() => Ok(None),
        Some(v) => read(v.clone()).map(Some).map_err(|expected| {
            bad_argument(
                Reason::InvalidOption,
                format!(
                    "{what} option `{key}` must be {expected}, not {}",
                    v.type_name()
                ),
            )
        }),
    }
}

pub(super) fn opt_str(m: &Map, key: &str, what: &str) -> R<Option<String>> {
    opt(m, key, what, |v| v.into_string().map_err(|_| "a string"))
}

pub(super) fn opt_bool(m: &Map, key: &str, what: &str) -> R<Option<bool>> {
    opt(m, key, what, |v| v.as_bool().map_err(|_| "true or false"))
}

pub(super) fn opt_int(m: &Map, key: &str, what: &str) -> R<Option<i64>> {
    opt(m, key, what, |v| v.as_int().map_err(|_| "an integer"))
}

pub(super) fn only_keys(m: &Map, allowed: &[&str], what: &str) -> R<()> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        None => Ok(()),
        Some(k) => Err(bad_argument(
            Reason::UnknownOption,
            format!(
                "`{k}` is not an option of {what}; the options are {}",
                allowed.join(", ")
            ),
        )),
    }
}

fn register_options(m: &Map) -> R<RegisterOptions> {
    only_keys(m, &["profile", "auto_renew"], "register")?;
    Ok(RegisterOptions {
        profile: opt_str(m, "profile", "register")?,
        auto_renew: opt_bool(m, "auto_renew", "register")?.unwrap_or(false),
    })
}

/// The event filter of `events(#{...})` and `event_count(#{...})`.
fn event_query(m: &Map, what: &str) -> R<views::EventQuery> {
    only_keys(m, &["kind", "domain", "from", "to"], what)?;
    let kinds = match m.get("kind") {
        None => Vec::new(),
        Some(v) if v.is_array() => v
            .clone()
            .into_array()
            .unwrap_or_default()
            .into_iter()
            .map(|k| {
                k.into_string().map_err(|t| {
                    bad_argument(
                        Reason::InvalidOption,
                        format!("{what} option `kind` must hold strings, not {t}"),
                    )
                })
            })
            .collect::<R<Vec<String>>>()?,
        Some(_) => vec![opt_str(m, "kind", what)?.unwrap_or_default()],
    };
    Ok(views::EventQuery {
        kinds,
        domain: opt_str(m, "domain", what)?,
        from: opt_str(m, "from", what)?,
        to: opt_str(m, "to", what)?,
    })
}

/// The events `q` matches, as maps.
fn event_maps(w: &World, q: &views::EventQuery) -> R<Array> {
    Ok(done(views::events(w, q))?
        .iter()
        .map(|e| fields(views::event_fields(w, e)))
        .collect())
}

/// Advances the session's world, feeding the progress display if there is one.
fn advance_showing_progress(s: &Shared, target: Time) -> R<i64> {
    let mut session = s.borrow_mut();
    let super::Session {
        world, progress, ..
    } = &mut *session;
    let from = world.now;
    let fired = match progress {
        None => crate::dispatch::advance_to(world, target),
        Some(p) => {
            let fired = crate::dispatch::advance_to_observed(world, target, &mut |now| {
                p.update(from, target, now)
            });
            p.finish();
            fired
        }
    };
    done(fired).map(|n| n as i64)
}

pub(super) fn time_arg(t: &str) -> R<Time> {
    Time::parse(t).map_err(|m| bad_argument(Reason::InvalidTime, m))
}

/// Registers the core vocabulary.
pub fn register(r: &mut Registry, session: &Shared) {
    r.area("time");
    let s = session.clone();
    r.add(
        "now",
        "now() -> string",
        "The current virtual time, e.g. 2026-01-01T00:00:00Z.",
        move || with(&s, |w| w.now.to_string()),
    );
    let s = session.clone();
    r.add(
        "today",
        "today() -> string",
        "The current virtual date, e.g. 2026-01-01.",
        move || with(&s, |w| w.now.date_string()),
    );
    let s = session.clone();
    r.add("advance", "advance(span) -> int", "Advances the clock by 30d, 12h, 45m (minutes), 2w, 90s, 6mo (calendar months) or 1y, firing due events; returns how many timers fired (the engine's figure: notices computed in closed form in bulk runs fire none).", move |span: &str| -> R<i64> {
        let target = with(&s, |w| done(timeline::span_target(w, span)))?;
        advance_showing_progress(&s, target)
    });
    let s = session.clone();
    r.add(
        "advance_to",
        "advance_to(time) -> int",
        "Advances the clock to a date 2027-01-15 or time 2027-01-15T00:00:00Z (never backwards).",
        move |when: &str| -> R<i64> {
            advance_showing_progress(&s, done(timeline::time_target(when))?)
        },
    );
    r.add(
        "add_days",
        "add_days(time, days) -> string",
        "A time plus whole days of 24 hours.",
        |t: &str, days: i64| -> R<String> { Ok(time_arg(t)?.add_days(days).to_string()) },
    );
    r.add(
        "add_years",
        "add_years(time, years) -> string",
        "A time plus calendar years (Feb 29 clamps to Feb 28).",
        |t: &str, years: i64| -> R<String> { Ok(time_arg(t)?.add_years(years).to_string()) },
    );
    r.add(
        "days_between",
        "days_between(from, to) -> int",
        "Whole days from one time to another (negative if earlier).",
        |a: &str, b: &str| -> R<i64> {
            Ok((time_arg(b)?.0 - time_arg(a)?.0).div_euclid(crate::sim::DAY))
        },
    );

    r.area("accounts");
    let s = session.clone();
    r.add(
        "open_account",
        "open_account(id)",
        "Opens a customer account with an empty wallet.",
        move |id: &str| -> R<()> {
            with(&s, |w| {
                done(ops::open_account(w, id, AccountKind::Customer, 0))
            })
        },
    );
    let s = session.clone();
    r.add(
        "open_account",
        "open_account(id, #{balance, kind})",
        "Opens an account with an opening balance (minor units) and kind customer or agent.",
        move |id: &str, opts: Map| -> R<()> {
            only_keys(&opts, &["balance", "kind"], "open_account")?;
            let balance = opt_int(&opts, "balance", "open_account")?.unwrap_or(0);
            let kind = match opt_str(&opts, "kind", "open_account")? {
                None => AccountKind::Customer,
                Some(k) => AccountKind::parse(&k).ok_or_else(|| {
                    bad_argument(
                        Reason::InvalidOption,
                        format!("`{k}` is not an account kind; use customer or agent"),
                    )
                })?,
            };
            with(&s, |w| done(ops::open_account(w, id, kind, balance)))
        },
    );
    let s = session.clone();
    r.add(
        "account",
        "account(id) -> map",
        "An account: #{id, kind, balance, domains, ram_users, trading_frozen_until}.",
        move |id: &str| -> R<Dynamic> { with(&s, |w| view(&done(views::account_view(w, id))?)) },
    );
    let s = session.clone();
    r.add(
        "deposit",
        "deposit(id, amount) -> int",
        "Deposits money (minor units) into a wallet; returns the new balance.",
        move |id: &str, amount: i64| -> R<i64> { with(&s, |w| done(ops::deposit(w, id, amount))) },
    );
    let s = session.clone();
    r.add(
        "domains",
        "domains(account) -> array",
        "Names of the live domains an account holds, in registration order.",
        move |id: &str| -> R<Array> {
            with(&s, |w| {
                Ok(done(views::domains_of(w, id))?
                    .into_iter()
                    .map(Dynamic::from)
                    .collect())
            })
        },
    );
    let s = session.clone();
    r.add(
        "ledger",
        "ledger() -> map",
        "The books: #{deposits, wallets, escrow, escrow_owed, revenue, registry_payable, balanced, postings}.",
        move || -> R<Dynamic> { with(&s, |w| view(&views::ledger_view(w))) },
    );

    r.area("lifecycle");
    let s = session.clone();
    r.add(
        "price",
        "price(tld, op) -> int",
        "The price in force for register, renew, transfer or restore.",
        move |tld: &str, op: &str| -> R<i64> { with(&s, |w| done(views::price(w, tld, op))) },
    );
    let s = session.clone();
    r.add(
        "available",
        "available(name) -> bool",
        "Whether a name can be registered now (check(name).available, without the map: for loops over many names); 2005 for an invalid name.",
        move |name: rhai::ImmutableString| -> R<bool> {
            with(&s, |w| done(ops::check(w, &name)).map(|a| a.available))
        },
    );
    let s = session.clone();
    // The hot path of scripts that scan names: the result map is cloned from a template
    // (one node allocation, no key searches) and filled in key order; the reason slugs
    // are shared strings made once.
    let template: Map = ["available", "name", "price", "reason"]
        .into_iter()
        .map(|k| (k.into(), Dynamic::UNIT))
        .collect();
    let slugs: Vec<Dynamic> = ops::AvailabilityReason::ALL
        .iter()
        .map(|r| Dynamic::from(rhai::ImmutableString::from(r.as_str())))
        .collect();
    r.add(
        "check",
        "check(name) -> map",
        "Availability: #{name, available, reason, price}; 2005 for an invalid name.",
        move |name: rhai::ImmutableString| -> R<Dynamic> {
            with(&s, |w| {
                let a = done(ops::check(w, &name))?;
                let reason = slugs[a.reason as usize].clone();
                let mut m = template.clone();
                // A name given in normal form is handed back as the same shared string.
                let name = match a.name {
                    std::borrow::Cow::Borrowed(_) => name.clone().into(),
                    std::borrow::Cow::Owned(n) => n.into(),
                };
                let values = [a.available.into(), name, Dynamic::from_int(a.price), reason];
                for (slot, v) in m.values_mut().zip(values) {
                    *slot = v;
                }
                Ok(Dynamic::from_map(m))
            })
        },
    );
    let s = session.clone();
    r.add(
        "register",
        "register(actor, name, years) -> map",
        "Registers a name for 1..10 years; returns the domain view.",
        move |actor: &str, name: &str, years: i64| -> R<Dynamic> {
            with(&s, |w| {
                done(ops::register(
                    w,
                    actor,
                    name,
                    years,
                    &RegisterOptions::default(),
                ))?;
                view(&done(views::domain_view(w, name))?)
            })
        },
    );
    let s = session.clone();
    r.add(
        "register",
        "register(actor, name, years, #{profile, auto_renew}) -> map",
        "Registers with a registrant profile and/or auto-renew on.",
        move |actor: &str, name: &str, years: i64, opts: Map| -> R<Dynamic> {
            let options = register_options(&opts)?;
            with(&s, |w| {
                done(ops::register(w, actor, name, years, &options))?;
                view(&done(views::domain_view(w, name))?)
            })
        },
    );
    let s = session.clone();
    r.add("domain", "domain(name) -> map", "A domain: #{name, unicode, tld, owner, profile, registrar, created, expires, phase, statuses, auto_renew, locks, transfer_lock_until}.", move |name: &str| -> R<Dynamic> {
        with(&s, |w| view(&done(views::domain_view(w, name))?))
    });
    let s = session.clone();
    r.add(
        "renew",
        "renew(actor, name, years) -> string",
        "Renews in active or grace; returns the new expiry.",
        move |actor: &str, name: &str, years: i64| -> R<String> {
            with(&s, |w| {
                done(ops::renew(w, actor, name, years)).map(|t| t.to_string())
            })
        },
    );
    let s = session.clone();
    r.add(
        "restore",
        "restore(actor, name) -> string",
        "Restores from redemption (restore fee + one year); ends the name's backorders (refunded); returns the new expiry.",
        move |actor: &str, name: &str| -> R<String> {
            with(&s, |w| {
                done(ops::restore(w, actor, name)).map(|t| t.to_string())
            })
        },
    );
    let s = session.clone();
    r.add("delete", "delete(actor, name) -> int", "Deletes: inside add grace refunds and releases (returns the refund), else enters redemption at once, holder and watchers told (returns 0).", move |actor: &str, name: &str| -> R<i64> {
        with(&s, |w| done(ops::delete(w, actor, name)))
    });
    let s = session.clone();
    r.add(
        "set_auto_renew",
        "set_auto_renew(actor, name, on)",
        "Turns auto-renew on or off (active or grace).",
        move |actor: &str, name: &str, on: bool| -> R<()> {
            with(&s, |w| done(ops::set_auto_renew(w, actor, name, on)))
        },
    );
    let s = session.clone();
    r.add(
        "set_lock",
        "set_lock(actor, name, lock, on)",
        "Turns the transfer, update or delete lock on or off (active only).",
        move |actor: &str, name: &str, lock: &str, on: bool| -> R<()> {
            with(&s, |w| done(ops::set_lock(w, actor, name, lock, on)))
        },
    );
    let s = session.clone();
    r.add(
        "notifications",
        "notifications(account) -> array",
        "An account's notifications: [#{at, kind, domain, channels, days_before}], oldest first.",
        move |id: &str| -> R<Array> {
            with(&s, |w| {
                done(views::notifications(w, id))?
                    .iter()
                    .map(view)
                    .collect()
            })
        },
    );
    let s = session.clone();
    r.add(
        "whois",
        "whois(name) -> map",
        "Public data: #{registered, name, registrar, created, expires, statuses, registrant}.",
        move |name: &str| -> R<Dynamic> { with(&s, |w| view(&done(views::whois(w, name))?)) },
    );

    r.area("policy");
    let s = session.clone();
    r.add("set_policy", "set_policy(key, value)", "Changes a TLD policy field, e.g. set_policy(\"tlds.com.grace_days\", 14); domains follow at once.", move |key: &str, value: Dynamic| -> R<()> {
        let v = json(&value)?;
        with(&s, |w| done(crate::dispatch::set_policy(w, key, v)))
    });
    let s = session.clone();
    r.add(
        "policy",
        "policy(key) -> value",
        "The value of a TLD policy field, e.g. policy(\"tlds.cn.redemption_days\").",
        move |key: &str| -> R<Dynamic> { with(&s, |w| view(&done(views::policy(w, key))?)) },
    );

    r.area("run");
    let s = session.clone();
    r.add(
        "events",
        "events() -> array",
        "Every kept event so far: [#{at, kind, ...fields}], in order (none in --bulk runs).",
        move || -> R<Array> { with(&s, |w| event_maps(w, &views::EventQuery::default())) },
    );
    let s = session.clone();
    r.add(
        "events",
        "events(kind) -> array",
        "The kept events of one kind, e.g. events(\"renewed\").",
        move |kind: &str| -> R<Array> {
            let q = views::EventQuery {
                kinds: vec![kind.to_string()],
                ..Default::default()
            };
            with(&s, |w| event_maps(w, &q))
        },
    );
    let s = session.clone();
    r.add(
        "events",
        "events(#{kind, domain, from, to}) -> array",
        "The kept events matching every condition given: kind (a kind or an array of kinds), the domain they name, from (inclusive) and to (exclusive) a time or date.",
        move |m: Map| -> R<Array> {
            let q = event_query(&m, "events")?;
            with(&s, |w| event_maps(w, &q))
        },
    );
    let s = session.clone();
    r.add(
        "event_count",
        "event_count(#{kind, domain, from, to}) -> int",
        "How many kept events match (the conditions of events(filter)), without building them as maps.",
        move |m: Map| -> R<i64> {
            let q = event_query(&m, "event_count")?;
            with(&s, |w| done(views::event_count(w, &q)).map(|n| n as i64))
        },
    );
    let s = session.clone();
    r.add(
        "digest",
        "digest() -> string",
        "The run digest so far (hash of the ordered event log).",
        move || with(&s, |w| w.digest()),
    );
    let s = session.clone();
    r.add("seed", "seed() -> int", "The run seed.", move || {
        with(&s, |w| w.rng.seed() as i64)
    });
    let s = session.clone();
    r.add(
        "random",
        "random(lo, hi) -> int",
        "A uniform integer in lo..=hi from the run's seeded `script` stream.",
        move |lo: i64, hi: i64| -> i64 { with(&s, |w| w.rng.range("script", lo, hi)) },
    );
    let s = session.clone();
    r.add(
        "snapshot",
        "snapshot() -> blob",
        "The whole world (clock, timers, random state, log) as bytes.",
        move || -> R<Blob> {
            with(&s, |w| {
                crate::snapshot::to_bytes(w)
                    .map_err(|m| format!("cannot take a snapshot: {m}").into())
            })
        },
    );
    let s = session.clone();
    r.add(
        "restore_snapshot",
        "restore_snapshot(blob)",
        "Replaces the world with one taken by snapshot(); the run goes on from there.",
        move |b: Blob| -> R<()> {
            let world = crate::snapshot::from_bytes(&b)
                .map_err(|m| bad_argument(Reason::InvalidSnapshot, m))?;
            s.borrow_mut().world = world;
            Ok(())
        },
    );
}
