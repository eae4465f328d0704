//! The behaviour model: simulated customers renew (by domain age, against the price),
//! in time or in grace; restore a share of what lapses (against the restore fee); turn
//! auto-renew on; register new names every day (Poisson, against the price); register
//! released names again; put domains up for auction, where bidders with log-normal
//! valuations arrive. Every decision is a keyed draw, taken once per term at a
//! milestone, and every action goes through `ops` as the holder.

use super::draw::{label, normal, poisson, price_factor, unit};
use crate::market::{auction, listing};
use crate::model::behaviour::{decision, will_list};
use crate::model::milestone::Milestone;
use crate::model::{AccountKind, DomainId, NameId, TimerKind, World};
use crate::ops::{self, RegisterOptions, lookup::Parsed};
use crate::sim::{DAY, Timer};

/// The synthetic account new registrations and re-registrations are made for.
pub(crate) const REGISTRANTS: &str = "registrants";
/// How many synthetic bidders take part in auctions.
pub(crate) const BIDDERS: usize = 16;

/// Days over which holders who will restore come back after grace (uniform).
pub(crate) const RESTORE_DELAY_DAYS: i64 = 30;

/// Identifies a term of a holder: a renewal, a sale or a new registration in the slot
/// changes it, so actions planned for an older term are dropped.
fn term_key(world: &World, id: DomainId) -> Option<u32> {
    world.domain(id).map(|d| {
        let term =
            (d.expires.get().0 as u64) ^ (u64::from(d.owner) << 40) ^ (u64::from(d.seq) << 20);
        (crate::sim::rng::mix64(term) >> 32) as u32
    })
}

/// Installs the model: reference prices, synthetic accounts, the daily timer.
/// `scheduled` says the live domains' timers were scheduled with the model already in
/// place (a fixture), so they need no rescheduling for the decision points.
pub(crate) fn start(world: &mut World, scheduled: bool) {
    if world.behaviour.is_none() {
        return;
    }
    let tlds: Vec<u16> = world
        .tlds
        .names()
        .filter_map(|n| world.tlds.index_of(n))
        .collect();
    for i in tlds {
        let t = world.tlds.get(i);
        world
            .reference_prices
            .insert(i, (t.register, t.renew, t.restore));
    }
    let funds = crate::ops::accounts::MAX_DEPOSIT;
    let mut ids = vec![REGISTRANTS.to_string()];
    ids.extend((0..BIDDERS).map(|i| format!("bidder-{i}")));
    for id in ids {
        if world.account_id(&id).is_none() {
            let _ = ops::open_account(world, &id, AccountKind::Customer, funds);
        }
    }
    let tomorrow = crate::sim::Time((world.now().day_index() + 1) * DAY);
    world.schedule(tomorrow, TimerKind::BehaviourDaily, 0, 0);
    let ids: Vec<DomainId> = world.live_domains().map(|(id, _)| id).collect();
    if !scheduled {
        for id in ids.iter().copied() {
            crate::ops::timeline::reschedule(world, id);
        }
    }
    // Domains already past their decision point (expiring within the month, or in
    // grace) decide as soon as time runs (after any decisions a script fixes first).
    let now = world.now();
    for id in ids {
        let due = world.domain(id).is_some_and(|d| {
            let phase = d.phase(now, world.tlds.get(d.tld));
            d.registrar == 0
                && matches!(
                    phase,
                    crate::model::Phase::Active | crate::model::Phase::Grace
                )
                && d.expires
                    .get()
                    .add_days(-crate::model::milestone::RENEW_DECISION_DAYS)
                    <= now
        });
        if let (true, Some(term)) = (due, term_key(world, id)) {
            world.schedule(now, TimerKind::BehaviourDecide, id, term);
        }
    }
}

/// The facts a decision needs, by id (no strings are copied until an operation is
/// actually called).
fn holder(
    world: &World,
    id: DomainId,
) -> Option<(AccountIdx, NameId, crate::sim::Time, bool, u16)> {
    let d = world.domain(id)?;
    Some((
        d.owner,
        d.name,
        d.expires.get(),
        d.expires.get().within_years(d.created.get(), 1),
        d.tld,
    ))
}

type AccountIdx = u32;

/// The account id and domain name the operations take.
fn names(world: &World, owner: AccountIdx, name: NameId) -> (String, String) {
    (
        world.accounts[owner as usize].id.clone(),
        world.names[name].to_string(),
    )
}

/// The scalar parameters, copied (the behaviour's per-TLD map is not needed here).
#[derive(Clone, Copy)]
struct Params {
    renew_first: f64,
    renew_later: f64,
    renew_price_elasticity: f64,
    renew_in_grace: f64,
    restore_share: f64,
    restore_elasticity: f64,
    auction_start_price: i64,
    bidders_mean: f64,
    valuation_median: i64,
    valuation_sigma: f64,
}

fn params(world: &World) -> Option<Params> {
    world.behaviour.as_ref().map(|b| Params {
        renew_first: b.renew_first,
        renew_later: b.renew_later,
        renew_price_elasticity: b.renew_price_elasticity,
        renew_in_grace: b.renew_in_grace,
        restore_share: b.restore_share,
        restore_elasticity: b.restore_elasticity,
        auction_start_price: b.auction_start_price,
        bidders_mean: b.bidders_mean,
        valuation_median: b.valuation_median,
        valuation_sigma: b.valuation_sigma,
    })
}

/// Decision kinds a script may fix with [`decide`].
pub(crate) const DECISIONS: [&str; 3] = ["list", "renew", "restore"];

/// A decision: the script's override for this name if any, else the draw.
/// Fixes (or, with `None`, releases) the behaviour model's `list`, `renew` or `restore`
/// decision for a name — a custom agent's choice, applied at the next decision point.
/// Refuses: 2005 name syntax, 2005 `invalid_decision`.
pub(crate) fn decide(
    world: &mut World,
    name: &str,
    kind: &str,
    value: Option<bool>,
) -> crate::refusal::Outcome<()> {
    let p = crate::ops::lookup::parse_name(world, name)?;
    if !DECISIONS.contains(&kind) {
        return Err(crate::refusal::Refusal::new(
            crate::refusal::Reason::InvalidDecision,
            format!("`{kind}` is not a decision; use list, renew or restore"),
        ));
    }
    let id = world.intern(&p.ascii);
    match value {
        Some(v) => world.decisions.insert((id, kind.to_string()), v),
        None => world.decisions.remove(&(id, kind.to_string())),
    };
    // The listing decision point exists only for holders who will list.
    if let Some(domain) = world.live_domain(id) {
        crate::ops::timeline::reschedule(world, domain);
    }
    Ok(())
}

/// E − 120 days: the holder may put the domain up for auction; bidders arrive.
pub(crate) fn list_decision(world: &mut World, id: DomainId) {
    let Some(b) = params(world) else {
        return;
    };
    let Some((owner_id, nid, expires, _, _)) = holder(world, id) else {
        return;
    };
    if !world.domain(id).is_some_and(|d| will_list(world, d)) {
        return;
    }
    let key = [u64::from(nid), expires.0 as u64];
    let input = listing::ListingInput {
        kind: "auction".into(),
        start_price: Some(b.auction_start_price),
        ..Default::default()
    };
    let (owner, name) = names(world, owner_id, nid);
    let Ok(lid) = listing::list_for_sale(world, &owner, &name, &input) else {
        return;
    };
    let bidders = poisson(world, "bidders", &key, b.bidders_mean).min(BIDDERS as u64);
    for i in 0..bidders {
        let mut k = key.to_vec();
        k.push(i);
        let value = (b.valuation_median as f64
            * (b.valuation_sigma * normal(world, "valuation", &k)).exp())
            as i64;
        if value >= b.auction_start_price {
            let _ = auction::bid(world, &format!("bidder-{i}"), i64::from(lid), value);
        }
    }
}

/// E − 30 days: the holder decides whether to renew this term, when, and — if not —
/// whether it will restore from redemption.
pub(crate) fn renew_decision(world: &mut World, id: DomainId) {
    let Some(b) = params(world) else {
        return;
    };
    let Some((_, nid, expires, first, tld)) = holder(world, id) else {
        return;
    };
    if world.in_trade(id) {
        return;
    }
    let key = [u64::from(nid), expires.0 as u64];
    let t = world.tlds.get(tld);
    let (renew_now, restore_now) = (t.renew, t.restore);
    let (grace, redemption) = (i64::from(t.grace_days), i64::from(t.redemption_days));
    let (_, renew_ref, restore_ref) = world
        .reference_prices
        .get(&tld)
        .copied()
        .unwrap_or((0, 0, 0));
    let base = if first { b.renew_first } else { b.renew_later };
    let p = (base * price_factor(renew_now, renew_ref, b.renew_price_elasticity)).clamp(0.0, 1.0);
    let renews = decision(world, nid, "renew", unit(world, "renew", &key) < p);
    let auto = world.domain(id).is_some_and(|d| d.auto_renew());
    let Some(term) = term_key(world, id) else {
        return;
    };
    if renews {
        if auto {
            return; // auto-renew will charge the wallet at expiry
        }
        let at = if unit(world, "renew_timing", &key) < b.renew_in_grace && grace > 0 {
            expires.add_days((unit(world, "renew_day", &key) * grace as f64) as i64)
        } else {
            expires.add_days(-1 - (unit(world, "renew_day", &key) * 28.0) as i64)
        };
        world.schedule(at.max(world.now()), TimerKind::BehaviourRenew, id, term);
        return;
    }
    if auto {
        let _ = ops::lifecycle::set_auto_renew_as_holder(world, id, false);
    }
    let Some(term) = term_key(world, id) else {
        return;
    };
    let p_restore = (b.restore_share
        * price_factor(restore_now, restore_ref, b.restore_elasticity))
    .clamp(0.0, 1.0);
    // Holders who will restore come back after a delay of their own (uniform over a
    // month, the gTLD redemption period): a shorter redemption period loses the late ones.
    if decision(
        world,
        nid,
        "restore",
        unit(world, "restore", &key) < p_restore,
    ) {
        let day = (unit(world, "restore_day", &key) * RESTORE_DELAY_DAYS as f64) as i64;
        if day < redemption {
            let at = expires.add_days(grace + day);
            world.schedule(at, TimerKind::BehaviourRestore, id, term);
        }
    }
}

/// A released name: someone may register it again within 30 days.
pub(crate) fn on_release(world: &mut World, name: NameId) {
    let Some(b) = world.behaviour.as_ref() else {
        return;
    };
    let key = [u64::from(name), world.now().0 as u64];
    if unit(world, "reregister", &key) < b.reregistration {
        let at = world
            .now()
            .add_secs((unit(world, "reregister_at", &key) * 30.0 * DAY as f64) as i64);
        world.schedule(at, TimerKind::BehaviourReregister, name, 0);
    }
}

fn register_new(world: &mut World, name: Parsed, keys: &[u64]) {
    let adoption = world
        .behaviour
        .as_ref()
        .map_or(0.0, |b| b.auto_renew_adoption);
    let options = RegisterOptions {
        profile: None,
        auto_renew: unit(world, "auto_renew", keys) < adoption,
    };
    let _ = ops::lifecycle::register_parsed(world, REGISTRANTS, name, 1, &options);
}

/// The day's new registrations of the behaviour model.
pub(crate) fn daily(world: &mut World) -> bool {
    let Some(b) = world.behaviour.clone() else {
        return false;
    };
    let day = world.now().day_index() as u64;
    for (tld_name, mean) in &b.new_per_day {
        let Some(tld) = world.tlds.index_of(tld_name) else {
            continue;
        };
        let reference = world.reference_prices.get(&tld).map_or(0, |r| r.0);
        let lambda = mean
            * price_factor(
                world.tlds.get(tld).register,
                reference,
                b.register_elasticity,
            );
        let n = poisson(world, "arrivals", &[day, u64::from(tld)], lambda);
        for k in 0..n {
            let keys = [day, u64::from(tld), k];
            let mut name = label(world, &keys);
            name.push('.');
            name.push_str(tld_name);
            // A generated label is lowercase letters, under a TLD of the catalog: the
            // name is in normal form as built.
            register_new(world, Parsed { ascii: name, tld }, &keys);
        }
    }
    // At the clock's end the next day cannot be represented: arrivals stop there.
    let tomorrow = world.now().add_days(1);
    if tomorrow > world.now() {
        world.schedule(tomorrow, TimerKind::BehaviourDaily, 0, 0);
    }
    true
}

/// A decided renewal (`renew`) or restore comes due (timer target: the domain;
/// generation: the term it was decided in). False when the term has moved on.
pub(crate) fn carry_out(world: &mut World, timer: &Timer, renew: bool) -> bool {
    let id = timer.target;
    if term_key(world, id) != Some(timer.generation) {
        return false;
    }
    let r = if renew {
        ops::lifecycle::renew_as_holder(world, id, 1).map(|_| ())
    } else {
        ops::lifecycle::restore_as_holder(world, id).map(|_| ())
    };
    r.is_ok()
}

/// A holder past its decision point when the model started decides now.
pub(crate) fn decide_due(world: &mut World, timer: &Timer) -> bool {
    if term_key(world, timer.target) != Some(timer.generation) {
        return false;
    }
    renew_decision(world, timer.target);
    true
}

/// A released name is registered again (timer target: the name).
pub(crate) fn reregister_due(world: &mut World, timer: &Timer) -> bool {
    // A released name was registered, so it is in normal form under its TLD.
    let ascii = world.names[timer.target].to_string();
    if let Some((tld, _)) = world.tlds.split(&ascii) {
        let keys = [u64::from(timer.target), world.now().0 as u64];
        register_new(world, Parsed { ascii, tld }, &keys);
    }
    true
}

/// A domain reaches one of the model's decision points (the `decision` reaction).
pub(crate) fn decision_point(world: &mut World, id: DomainId, point: Milestone) {
    match point {
        Milestone::ListDecision => list_decision(world, id),
        Milestone::RenewDecision => renew_decision(world, id),
        _ => {}
    }
}
