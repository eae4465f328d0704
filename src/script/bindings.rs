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
    let from = world.now();
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

/// The clock: now, advance, date arithmetic.
pub(super) fn time(r: &mut Registry) {
    r.world(
        "now() -> string",
        "The current virtual time, e.g. 2026-01-01T00:00:00Z.",
        |w: &mut World| -> R<String> { Ok(w.now().to_string()) },
    );
    r.world(
        "today() -> string",
        "The current virtual date, e.g. 2026-01-01.",
        |w: &mut World| -> R<String> { Ok(w.now().date_string()) },
    );
    let s = r.session();
    r.add(
        "advance(span) -> int",
        "Advances the clock by 30d, 12h, 45m (minutes), 2w, 90s, 6mo (calendar months) or \
         1y, firing due events; returns how many timers fired (the engine's figure: \
         notices computed in closed form in bulk runs fire none).",
        move |span: &str| -> R<i64> {
            let target = with(&s, |w| done(timeline::span_target(w, span)))?;
            advance_showing_progress(&s, target)
        },
    );
    let s = r.session();
    r.add(
        "advance_to(time) -> int",
        "Advances the clock to a date 2027-01-15 or time 2027-01-15T00:00:00Z (never \
         backwards).",
        move |when: &str| -> R<i64> {
            advance_showing_progress(&s, done(timeline::time_target(when))?)
        },
    );
    r.add(
        "add_days(time, days) -> string",
        "A time plus whole days of 24 hours.",
        |t: &str, days: i64| -> R<String> { Ok(time_arg(t)?.add_days(days).to_string()) },
    );
    r.add(
        "add_years(time, years) -> string",
        "A time plus calendar years (Feb 29 clamps to Feb 28).",
        |t: &str, years: i64| -> R<String> { Ok(time_arg(t)?.add_years(years).to_string()) },
    );
    r.add(
        "days_between(from, to) -> int",
        "Whole days from one time to another (negative if earlier).",
        |a: &str, b: &str| -> R<i64> {
            Ok((time_arg(b)?.0 - time_arg(a)?.0).div_euclid(crate::sim::DAY))
        },
    );
}

/// Accounts, wallets and the books.
pub(super) fn accounts(r: &mut Registry) {
    r.world(
        "open_account(id)",
        "Opens a customer account with an empty wallet.",
        |w: &mut World, id: &str| -> R<()> {
            done(ops::open_account(w, id, AccountKind::Customer, 0))
        },
    );
    r.world(
        "open_account(id, #{balance, kind})",
        "Opens an account with an opening balance (minor units) and kind customer or agent.",
        |w: &mut World, id: &str, opts: Map| -> R<()> {
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
            done(ops::open_account(w, id, kind, balance))
        },
    );
    r.world(
        "account(id) -> map",
        "An account: #{id, kind, balance, domains, ram_users, trading_frozen_until}.",
        |w: &mut World, id: &str| -> R<Dynamic> { view(&done(views::account_view(w, id))?) },
    );
    r.world(
        "deposit(id, amount) -> int",
        "Deposits money (minor units) into a wallet; returns the new balance.",
        |w: &mut World, id: &str, amount: i64| -> R<i64> { done(ops::deposit(w, id, amount)) },
    );
    r.world(
        "domains(account) -> array",
        "Names of the live domains an account holds, in registration order.",
        |w: &mut World, id: &str| -> R<Array> {
            Ok(done(views::domains_of(w, id))?
                .into_iter()
                .map(Dynamic::from)
                .collect())
        },
    );
    r.world(
        "ledger() -> map",
        "The books: #{deposits, wallets, escrow, escrow_owed, revenue, registry_payable, \
         balanced, postings}.",
        |w: &mut World| -> R<Dynamic> { view(&views::ledger_view(w)) },
    );
}

/// Availability, registration, renewal, restore, deletion, locks, notices, WHOIS.
pub(super) fn lifecycle(r: &mut Registry) {
    r.world(
        "price(tld, op) -> int",
        "The price in force for register, renew, transfer or restore.",
        |w: &mut World, tld: &str, op: &str| -> R<i64> { done(views::price(w, tld, op)) },
    );
    r.world(
        "available(name) -> bool",
        "Whether a name can be registered now (check(name).available, without the map: \
         for loops over many names); 2005 for an invalid name.",
        |w: &mut World, name: rhai::ImmutableString| -> R<bool> {
            done(ops::check(w, &name)).map(|a| a.available)
        },
    );
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
    r.world(
        "check(name) -> map",
        "Availability: #{name, available, reason, price}; 2005 for an invalid name.",
        move |w: &mut World, name: rhai::ImmutableString| -> R<Dynamic> {
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
        },
    );
    r.world(
        "register(actor, name, years) -> map",
        "Registers a name for 1..10 years; returns the domain view.",
        |w: &mut World, actor: &str, name: &str, years: i64| -> R<Dynamic> {
            done(ops::register(
                w,
                actor,
                name,
                years,
                &RegisterOptions::default(),
            ))?;
            view(&done(views::domain_view(w, name))?)
        },
    );
    r.world(
        "register(actor, name, years, #{profile, auto_renew}) -> map",
        "Registers with a registrant profile and/or auto-renew on.",
        |w: &mut World, actor: &str, name: &str, years: i64, opts: Map| -> R<Dynamic> {
            let options = register_options(&opts)?;
            done(ops::register(w, actor, name, years, &options))?;
            view(&done(views::domain_view(w, name))?)
        },
    );
    r.world(
        "domain(name) -> map",
        "A domain: #{name, unicode, tld, owner, profile, registrar, created, expires, \
         phase, statuses, auto_renew, locks, transfer_lock_until}.",
        |w: &mut World, name: &str| -> R<Dynamic> { view(&done(views::domain_view(w, name))?) },
    );
    r.world(
        "renew(actor, name, years) -> string",
        "Renews in active or grace; returns the new expiry.",
        |w: &mut World, actor: &str, name: &str, years: i64| -> R<String> {
            done(ops::renew(w, actor, name, years)).map(|t| t.to_string())
        },
    );
    r.world(
        "restore(actor, name) -> string",
        "Restores from redemption (restore fee + one year); ends the name's backorders \
         (refunded); returns the new expiry.",
        |w: &mut World, actor: &str, name: &str| -> R<String> {
            done(ops::restore(w, actor, name)).map(|t| t.to_string())
        },
    );
    r.world(
        "delete(actor, name) -> int",
        "Deletes: inside add grace refunds and releases (returns the refund), else enters \
         redemption at once, holder and watchers told (returns 0).",
        |w: &mut World, actor: &str, name: &str| -> R<i64> { done(ops::delete(w, actor, name)) },
    );
    r.world(
        "set_auto_renew(actor, name, on)",
        "Turns auto-renew on or off (active or grace).",
        |w: &mut World, actor: &str, name: &str, on: bool| -> R<()> {
            done(ops::set_auto_renew(w, actor, name, on))
        },
    );
    r.world(
        "set_lock(actor, name, lock, on)",
        "Turns the transfer, update or delete lock on or off (active only).",
        |w: &mut World, actor: &str, name: &str, lock: &str, on: bool| -> R<()> {
            done(ops::set_lock(w, actor, name, lock, on))
        },
    );
    r.world(
        "notifications(account) -> array",
        "An account's notifications: [#{at, kind, domain, channels, days_before}], oldest \
         first.",
        |w: &mut World, id: &str| -> R<Array> {
            done(views::notifications(w, id))?
                .iter()
                .map(view)
                .collect()
        },
    );
    r.world(
        "whois(name) -> map",
        "Public data: #{registered, name, registrar, created, expires, statuses, \
         registrant}.",
        |w: &mut World, name: &str| -> R<Dynamic> { view(&done(views::whois(w, name))?) },
    );
}

/// Reading and changing TLD policy.
pub(super) fn policy(r: &mut Registry) {
    r.world(
        "set_policy(key, value)",
        "Changes a TLD policy field, e.g. set_policy(\"tlds.com.grace_days\", 14); \
         domains follow at once.",
        |w: &mut World, key: &str, value: Dynamic| -> R<()> {
            let v = json(&value)?;
            done(crate::dispatch::set_policy(w, key, v))
        },
    );
    r.world(
        "policy(key) -> value",
        "The value of a TLD policy field, e.g. policy(\"tlds.cn.redemption_days\").",
        |w: &mut World, key: &str| -> R<Dynamic> { view(&done(views::policy(w, key))?) },
    );
}

/// The run itself: events, digest, seed, random numbers, snapshots.
pub(super) fn run(r: &mut Registry) {
    r.world(
        "events() -> array",
        "Every kept event so far: [#{at, kind, ...fields}], in order (none in --bulk runs).",
        |w: &mut World| -> R<Array> { event_maps(w, &views::EventQuery::default()) },
    );
    r.world(
        "events(kind) -> array",
        "The kept events of one kind, e.g. events(\"renewed\").",
        |w: &mut World, kind: &str| -> R<Array> {
            let q = views::EventQuery {
                kinds: vec![kind.to_string()],
                ..Default::default()
            };
            event_maps(w, &q)
        },
    );
    r.world(
        "events(#{kind, domain, from, to}) -> array",
        "The kept events matching every condition given: kind (a kind or an array of \
         kinds), the domain they name, from (inclusive) and to (exclusive) a time or \
         date.",
        |w: &mut World, m: Map| -> R<Array> {
            let q = event_query(&m, "events")?;
            event_maps(w, &q)
        },
    );
    r.world(
        "event_count(#{kind, domain, from, to}) -> int",
        "How many kept events match (the conditions of events(filter)), without building \
         them as maps.",
        |w: &mut World, m: Map| -> R<i64> {
            let q = event_query(&m, "event_count")?;
            done(views::event_count(w, &q)).map(|n| n as i64)
        },
    );
    r.world(
        "digest() -> string",
        "The run digest so far (hash of the ordered event log).",
        |w: &mut World| -> R<String> { Ok(w.digest()) },
    );
    r.world(
        "seed() -> int",
        "The run seed.",
        |w: &mut World| -> R<i64> { Ok(w.rng.seed() as i64) },
    );
    r.world(
        "random(lo, hi) -> int",
        "A uniform integer in lo..=hi from the run's seeded `script` stream.",
        |w: &mut World, lo: i64, hi: i64| -> R<i64> { Ok(w.rng.range("script", lo, hi)) },
    );
    r.world(
        "snapshot() -> blob",
        "The whole world (clock, timers, random state, log) as bytes.",
        |w: &mut World| -> R<Blob> {
            crate::snapshot::to_bytes(w).map_err(|m| format!("cannot take a snapshot: {m}").into())
        },
    );
    let s = r.session();
    r.add(
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
