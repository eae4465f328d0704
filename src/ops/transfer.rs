//! Transfers between registrars. In: a customer of `home` brings a domain held at
//! another registrar with its auth code; the transfer price waits in escrow while the
//! transfer is pending, auto-approved after `pending_transfer_days` unless the losing
//! registrar rejects; on completion one year is added (within the term cap) and a new
//! 60-day lock starts. Out: another registrar asks with the auth code the holder got;
//! the holder approves, rejects, or lets it auto-approve; the domain then leaves `home`.

use super::actor::authorize;
use super::guard::{Guard, held, require_on};
use super::lookup::find_domain;
use crate::model::{
    Book, Direction, DomainId, EventKind, Memo, Permission, TimerKind, Transfer, TransferEnd, World,
};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::Timer;

/// The guards every transfer obeys, in or out: a live phase, no transfer lock, no
/// hold, no trade.
const TRANSFER: &[Guard] = &[
    Guard::Live,
    Guard::NoTransferLock,
    Guard::NotOnHold,
    Guard::NotInTrade,
];

/// Checks the rules every transfer obeys, in or out: its guards, nothing pending,
/// outside the 60-day lock, not too close to expiry.
fn check_transferable(world: &World, id: DomainId, name: &str) -> Outcome<()> {
    require_on(world, id, TRANSFER, "transferring")?;
    let Some(d) = world.domain(id) else {
        return Ok(());
    };
    let tld = world.tlds.get(d.tld);
    let now = world.now();
    if world.transfers.contains_key(&id) {
        return Err(Refusal::new(
            Reason::PendingTransfer,
            format!("{name} already has a transfer pending"),
        ));
    }
    let lock_end = d
        .transfer_lock_from
        .get()
        .add_days(tld.transfer_lock_days.into());
    if now < lock_end {
        return Err(Refusal::new(
            Reason::TransferLocked60Days,
            format!(
                "{name} cannot be transferred until {lock_end}: {} days after registration, transfer or registrant change",
                tld.transfer_lock_days
            ),
        ));
    }
    let cutoff = d
        .expires
        .get()
        .add_days(-i64::from(tld.transfer_min_days_before_expiry));
    if tld.transfer_min_days_before_expiry > 0 && now >= cutoff {
        return Err(Refusal::new(
            Reason::TooCloseToExpiry,
            format!(
                "{name} expires {}; .{} refuses transfers within {} days of expiry",
                d.expires.get(),
                world.tlds.name(d.tld),
                tld.transfer_min_days_before_expiry
            ),
        ));
    }
    Ok(())
}

fn check_code(world: &World, id: DomainId, name: &str, code: &str) -> Outcome<()> {
    match world.auth_codes.get(&id) {
        Some(c) if c == code => Ok(()),
        _ => Err(Refusal::new(
            Reason::BadAuthCode,
            format!("the auth code given for {name} is not the domain's"),
        )),
    }
}

fn start(world: &mut World, id: DomainId, t: Transfer) {
    let days = world
        .tlds
        .get(world.domain(id).expect("live domain").tld)
        .pending_transfer_days;
    let due = world.now().add_days(days.into());
    let generation = world.fresh_generation();
    world.transfers.insert(id, Transfer { generation, ..t });
    world.schedule(due, TimerKind::Transfer, id, generation);
}

/// Requests a transfer of a domain held at another registrar to `home`, paying the
/// transfer price into escrow.
/// Refuses: 2303/2201 actor, 2005/2303 name, 2306 `already_at_home`, 2202
/// `bad_auth_code`, 2304 `pending_delete` / `pending_transfer` / `transfer_prohibited`
/// / `on_hold` / `in_trade`, 2106 `transfer_locked_60_days` / `too_close_to_expiry`,
/// 2104 `insufficient_funds`.
pub fn transfer_in(world: &mut World, actor: &str, name: &str, auth_code: &str) -> Outcome<()> {
    let (a, id, price) = check_in(world, actor, name, Some(auth_code))?;
    let d = world.domain(id).expect("live domain");
    let (losing, domain, now) = (d.registrar, d.name, world.now());
    world.ledger.post(
        now,
        Book::Wallet(a.account),
        Book::Escrow,
        price,
        Memo::TransferHold(domain),
    );
    start(
        world,
        id,
        Transfer {
            direction: Direction::In,
            gaining: 0,
            losing,
            account: a.account,
            requested: now,
            charged: price,
            generation: 0,
        },
    );
    world.record(EventKind::TransferRequested {
        domain,
        direction: Direction::In,
        registrar: world.registrars[losing as usize].id.clone(),
    });
    Ok(())
}

/// Whether [`transfer_in`] would be accepted now, without the auth code when none is
/// given (Alibaba Cloud's `CheckTransferInFeasibility`). Changes nothing.
/// Refuses: as [`transfer_in`].
pub(crate) fn check_transfer_in(
    world: &World,
    actor: &str,
    name: &str,
    auth_code: Option<&str>,
) -> Outcome<()> {
    check_in(world, actor, name, auth_code).map(|_| ())
}

/// The checks of a transfer in: the actor, the domain, its code (when given), the
/// rules, the price; returns the actor, the domain and the price.
fn check_in(
    world: &World,
    actor: &str,
    name: &str,
    auth_code: Option<&str>,
) -> Outcome<(super::actor::Actor, DomainId, i64)> {
    let a = authorize(world, actor, Permission::Transfer)?;
    let (id, p) = find_domain(world, name)?;
    let d = world.domain(id).expect("live domain");
    if d.registrar == 0 {
        return Err(Refusal::new(
            Reason::AlreadyAtHome,
            format!("{} is already at this registrar", p.ascii),
        ));
    }
    if let Some(code) = auth_code {
        check_code(world, id, &p.ascii, code)?;
    }
    check_transferable(world, id, &p.ascii)?;
    let price = world.tlds.get(p.tld).transfer;
    if !world.ledger.can_pay(a.account, price) {
        return Err(Refusal::new(
            Reason::InsufficientFunds,
            format!(
                "transferring {} costs {price} but the wallet of `{}` holds {}",
                p.ascii,
                world.accounts[a.account as usize].id,
                world.ledger.balance(Book::Wallet(a.account))
            ),
        ));
    }
    Ok((a, id, price))
}

/// The holder's auth code for a domain at `home` (made on first request).
/// Refuses: 2201 `not_sponsoring_registrar`, 2304 `pending_transfer`, 2303/2201 actor
/// and domain.
pub fn auth_code(world: &mut World, actor: &str, name: &str) -> Outcome<String> {
    let h = held(world, actor, name, Permission::Transfer)?;
    Ok(auth_code_of(world, h.id))
}

/// A domain's auth code, made on first request from the `auth_code` stream.
fn auth_code_of(world: &mut World, id: DomainId) -> String {
    if let Some(c) = world.auth_codes.get(&id) {
        return c.clone();
    }
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let rng = world.rng.stream("auth_code");
    let code: String = (0..12)
        .map(|_| {
            ALPHABET[crate::sim::rng::uniform(rng, 0, ALPHABET.len() as i64 - 1) as usize] as char
        })
        .collect();
    world.auth_codes.insert(id, code.clone());
    code
}

/// The auth code of a domain held at another registrar, as that registrar gives it to
/// the holder (the fixture's `auth_code`, else one made on first request), so that a
/// script can bring a domain in, or back after a transfer out.
/// Refuses: 2005/2303 name, 2306 `already_at_home`.
pub fn foreign_auth_code(world: &mut World, name: &str) -> Outcome<String> {
    let (id, p) = find_domain(world, name)?;
    if world.domain(id).is_some_and(|d| d.registrar == 0) {
        return Err(Refusal::new(
            Reason::AlreadyAtHome,
            format!(
                "{} is held at this registrar; its holder asks with auth_code(actor, name)",
                p.ascii
            ),
        ));
    }
    Ok(auth_code_of(world, id))
}

/// Another registrar asks for a domain held at `home`, with its auth code.
/// Refuses: 2005/2303 name, 2303 `no_such_registrar`, 2306 `not_at_home`, 2202
/// `bad_auth_code`, and the transfer rules as [`transfer_in`].
pub fn request_transfer_out(
    world: &mut World,
    name: &str,
    registrar: &str,
    code: &str,
) -> Outcome<()> {
    let (id, p) = find_domain(world, name)?;
    let gaining = world
        .registrars
        .iter()
        .position(|r| r.id == registrar && r.id != "home")
        .ok_or_else(|| {
            Refusal::new(
                Reason::NoSuchRegistrar,
                format!("`{registrar}` is not another registrar of this world"),
            )
        })? as u8;
    let d = world.domain(id).expect("live domain");
    if d.registrar != 0 {
        return Err(Refusal::new(
            Reason::NotAtHome,
            format!("{} is not held at this registrar", p.ascii),
        ));
    }
    check_code(world, id, &p.ascii, code)?;
    check_transferable(world, id, &p.ascii)?;
    let (owner, domain, now) = (d.owner, d.name, world.now());
    start(
        world,
        id,
        Transfer {
            direction: Direction::Out,
            gaining,
            losing: 0,
            account: owner,
            requested: now,
            charged: 0,
            generation: 0,
        },
    );
    world.record(EventKind::TransferRequested {
        domain,
        direction: Direction::Out,
        registrar: registrar.to_string(),
    });
    Ok(())
}

fn pending(world: &World, actor: &str, name: &str, direction: Direction) -> Outcome<DomainId> {
    let a = authorize(world, actor, Permission::Transfer)?;
    let (id, p) = find_domain(world, name)?;
    match world.transfers.get(&id) {
        Some(t) if t.direction == direction && t.account == a.account => Ok(id),
        Some(t) if t.direction == direction => Err(Refusal::new(
            Reason::NotOwner,
            format!("the transfer of {} is not `{actor}`'s to decide", p.ascii),
        )),
        _ => Err(Refusal::new(
            Reason::NoPendingTransfer,
            format!(
                "{} has no pending transfer {}",
                p.ascii,
                if direction == Direction::In {
                    "in"
                } else {
                    "out"
                }
            ),
        )),
    }
}

/// The holder approves a pending transfer out at once.
/// Refuses: 2303/2201 actor, 2303 `no_pending_transfer`, 2201 `not_owner`.
pub fn approve_transfer(world: &mut World, actor: &str, name: &str) -> Outcome<()> {
    let id = pending(world, actor, name, Direction::Out)?;
    complete(world, id);
    Ok(())
}

/// The holder rejects a pending transfer out.
/// Refuses: as [`approve_transfer`].
pub fn reject_transfer(world: &mut World, actor: &str, name: &str) -> Outcome<()> {
    let id = pending(world, actor, name, Direction::Out)?;
    fail(world, id, TransferEnd::RejectedByHolder);
    Ok(())
}

/// The gaining customer cancels a pending transfer in; the charge is refunded.
/// Refuses: 2303/2201 actor, 2303 `no_pending_transfer`, 2201 `not_owner`.
pub fn cancel_transfer(world: &mut World, actor: &str, name: &str) -> Outcome<()> {
    let id = pending(world, actor, name, Direction::In)?;
    fail(world, id, TransferEnd::Cancelled);
    Ok(())
}

/// Ends a transfer unsuccessfully, refunding a transfer in.
fn fail(world: &mut World, id: DomainId, reason: TransferEnd) {
    let Some(t) = world.transfers.remove(&id) else {
        return;
    };
    let domain = world.domain(id).expect("live domain").name;
    let now = world.now();
    world.ledger.post(
        now,
        Book::Escrow,
        Book::Wallet(t.account),
        t.charged,
        Memo::Refund(domain),
    );
    world.record(EventKind::TransferEnded {
        domain,
        completed: false,
        reason,
        charged: 0,
    });
}

/// Completes a transfer: the domain changes registrar (and, coming in, holder), a year
/// is added within the term cap, and a new transfer lock starts.
fn complete(world: &mut World, id: DomainId) {
    let Some(t) = world.transfers.remove(&id) else {
        return;
    };
    let now = world.now();
    let d = world.domain(id).expect("live domain");
    let tld = world.tlds.get(d.tld);
    let cap = now.add_years(tld.max_term_years.into());
    let expires = d.expires.get();
    let expires = expires.add_years(1).min(cap).max(expires);
    let (domain, wholesale) = (d.name, tld.wholesale_transfer);
    if t.direction == Direction::In {
        world.ledger.post(
            now,
            Book::Escrow,
            Book::Revenue,
            t.charged,
            Memo::Transfer(domain),
        );
        world.ledger.post(
            now,
            Book::Revenue,
            Book::RegistryPayable,
            wholesale,
            Memo::Wholesale(domain),
        );
    }
    let Some(d) = world.domain_mut(id) else {
        return;
    };
    d.registrar = t.gaining;
    d.expires = expires.into();
    d.transfer_lock_from = now.into();
    d.deleted = crate::sim::OptTime::NONE;
    d.locks.clear();
    let (owner, registrant) = (d.owner, d.profile.get());
    world.auth_codes.remove(&id);
    world.add_grace_charges.remove(id);
    world.data.remove(&id);
    if t.direction == Direction::In {
        // The domain arrives for the gaining account, with no registrant here yet: the
        // same account move and registrant change as any other.
        let actor = world.accounts[t.account as usize].id.clone();
        if owner != t.account {
            super::ownership::move_holder(world, id, t.account, &actor);
        }
        if registrant.is_some() {
            let change = super::registrant::RegistrantChange {
                profile: None,
                lock: true,
            };
            super::registrant::apply_registrant_change(world, id, change, &actor);
        }
    }
    world.record(EventKind::TransferEnded {
        domain,
        completed: true,
        reason: TransferEnd::Approved,
        charged: t.charged,
    });
    super::timeline::reschedule(world, id);
}

/// A pending transfer's deadline: the losing registrar approves (or rejects, if it
/// rejects transfers).
pub(crate) fn transfer_due(world: &mut World, timer: &Timer) -> bool {
    let id = timer.target;
    let Some(t) = world.transfers.get(&id) else {
        return false;
    };
    if t.generation != timer.generation {
        return false;
    }
    if world.registrars[t.losing as usize].rejects_transfers {
        fail(world, id, TransferEnd::RejectedByRegistrar);
    } else {
        complete(world, id);
    }
    true
}

/// A transfer as `transfer(name)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct TransferView {
    /// `in` or `out`.
    pub direction: String,
    /// Gaining registrar.
    pub gaining: String,
    /// Losing registrar.
    pub losing: String,
    /// When requested.
    pub requested: String,
    /// When it auto-completes.
    pub auto_approve: String,
    /// Held in escrow for it.
    pub charged: i64,
}

/// `transfer(name)`: the pending transfer, or unit.
/// Refuses: 2005/2303 name.
pub(crate) fn transfer_view(world: &World, name: &str) -> Outcome<Option<TransferView>> {
    let (id, _) = find_domain(world, name)?;
    Ok(world.transfers.get(&id).map(|t| {
        let days = world
            .tlds
            .get(world.domain(id).expect("live domain").tld)
            .pending_transfer_days;
        TransferView {
            direction: if t.direction == Direction::In {
                "in"
            } else {
                "out"
            }
            .into(),
            gaining: world.registrars[t.gaining as usize].id.clone(),
            losing: world.registrars[t.losing as usize].id.clone(),
            requested: t.requested.to_string(),
            auto_approve: t.requested.add_days(days.into()).to_string(),
            charged: t.charged,
        }
    }))
}
