//! Guards: who may act on a domain ([`held`]) and the rules of its state an operation
//! needs ([`Guard`]). Every operation, hand-made or automatic, states its guards as a
//! set through [`Held::require`] (as Nomulus declares `RENEW_DISALLOWED_STATUSES`), so a
//! rule such as "nothing changes the registrant under clientUpdateProhibited" is written
//! once and an automatic path cannot skip it.

use super::actor::{Actor, authorize, require_owner};
use super::lookup::find_domain;
use crate::model::{DomainId, Lock, NameId, Permission, Phase, Status, World};
use crate::refusal::{Outcome, Reason, Refusal};

/// A rule of a domain's state that an operation needs. Each names its refusal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Guard {
    /// In `active`. Else 2304 `not_allowed_in_phase` (grace) or `pending_delete`.
    Active,
    /// In `active` or `grace`. Else 2304 `pending_delete`.
    Live,
    /// In `active` or `grace`, for a renewal. Else 2105 `not_renewable_in_phase`.
    Renewable,
    /// In `redemption`. Else 2304 `not_in_redemption`.
    InRedemption,
    /// No clientUpdateProhibited. Else 2304 `update_prohibited`.
    NoUpdateLock,
    /// No clientDeleteProhibited. Else 2304 `delete_prohibited`.
    NoDeleteLock,
    /// Not listed for sale nor in an unfinished trade. Else 2304 `in_trade`.
    NotInTrade,
    /// Neither clientHold nor serverHold. Else 2304 `on_hold`.
    NotOnHold,
    /// No clientTransferProhibited. Else 2304 `transfer_prohibited`.
    NoTransferLock,
}

/// A domain an actor may act on, with its phase.
pub(crate) struct Held {
    pub(crate) actor: Actor,
    pub(crate) id: DomainId,
    /// The interned name, read only when a message names it (at scale its text is
    /// seldom in the cache).
    pub(crate) name_id: NameId,
    pub(crate) phase: Phase,
    /// The domain's TLD.
    pub(crate) tld: u16,
    /// Its expiry when resolved.
    pub(crate) expires: crate::sim::Time,
    /// When it was registered (or created at its registrar).
    pub(crate) created: crate::sim::Time,
}

impl Held {
    /// The domain's name.
    pub(crate) fn name<'w>(&self, world: &'w World) -> &'w str {
        &world.names[self.name_id]
    }

    /// The domain's name for a message that may never be written: looked up only when
    /// formatted.
    pub(crate) fn display<'w>(&self, world: &'w World) -> HeldName<'w> {
        HeldName {
            world,
            name: self.name_id,
        }
    }

    /// Checks every guard in order; `op` names the operation in the message
    /// ("changing the registrant"). The first guard that fails refuses.
    pub(crate) fn require(&self, world: &World, guards: &[Guard], op: &str) -> Outcome<()> {
        guards
            .iter()
            .try_for_each(|g| check(world, self.id, self.name_id, self.phase, *g, op))
    }
}

/// Checks guards on a domain nobody holds in this call (a transfer asked for by the
/// gaining side): as [`Held::require`].
/// Refuses: 2303 `no_such_domain`, and as the guards say.
pub(crate) fn require_on(world: &World, id: DomainId, guards: &[Guard], op: &str) -> Outcome<()> {
    let Some(d) = world.domain(id) else {
        return Err(Refusal::new(
            Reason::NoSuchDomain,
            format!("domain slot {id} holds no live domain"),
        ));
    };
    let phase = d.phase(world.now(), world.tlds.get(d.tld));
    guards
        .iter()
        .try_for_each(|g| check(world, id, d.name, phase, *g, op))
}

fn check(
    world: &World,
    id: DomainId,
    name_id: NameId,
    phase: Phase,
    guard: Guard,
    op: &str,
) -> Outcome<()> {
    let name = || &world.names[name_id];
    let locked = |lock| world.domain(id).is_some_and(|d| d.locks.has(lock));
    match guard {
        Guard::Active if phase != Phase::Active => Err(refuse_in_phase(name(), phase, op)),
        Guard::Live if !matches!(phase, Phase::Active | Phase::Grace) => {
            Err(refuse_in_phase(name(), phase, op))
        }
        Guard::Renewable if !matches!(phase, Phase::Active | Phase::Grace) => Err(Refusal::new(
            Reason::NotRenewableInPhase,
            format!(
                "{} is in {}; only active and grace domains can be renewed{}",
                name(),
                phase.as_str(),
                if phase == Phase::Redemption {
                    " (restore it instead)"
                } else {
                    ""
                }
            ),
        )),
        Guard::InRedemption if phase != Phase::Redemption => Err(Refusal::new(
            Reason::NotInRedemption,
            format!(
                "{} is in {}; only a domain in redemption can be restored",
                name(),
                phase.as_str()
            ),
        )),
        Guard::NoUpdateLock if locked(Lock::Update) => Err(Refusal::new(
            Reason::UpdateProhibited,
            format!(
                "{} carries clientUpdateProhibited; lift the update lock before {op}",
                name()
            ),
        )),
        Guard::NoDeleteLock if locked(Lock::Delete) => Err(Refusal::new(
            Reason::DeleteProhibited,
            format!(
                "{} carries clientDeleteProhibited; lift the delete lock before {op}",
                name()
            ),
        )),
        Guard::NoTransferLock if locked(Lock::Transfer) => Err(Refusal::new(
            Reason::TransferProhibited,
            format!(
                "{} carries clientTransferProhibited; its holder must lift the transfer lock before {op}",
                name()
            ),
        )),
        Guard::NotInTrade if world.in_trade(id) => Err(Refusal::new(
            Reason::InTrade,
            format!(
                "{} is listed or in a trade; {op} waits until it is withdrawn or the trade ends",
                name()
            ),
        )),
        Guard::NotOnHold if on_hold(world, id) => Err(Refusal::new(
            Reason::OnHold,
            format!(
                "{} is on hold (clientHold or serverHold); {op} is not allowed",
                name()
            ),
        )),
        _ => Ok(()),
    }
}

/// Whether a domain carries clientHold or serverHold now.
pub(crate) fn on_hold(world: &World, id: DomainId) -> bool {
    world.domain(id).is_some_and(|d| {
        super::status::statuses(world, d)
            .iter()
            .any(|s| matches!(s, Status::ClientHold | Status::ServerHold))
    })
}

/// A held domain's name, formatted on demand (see [`Held::display`]).
pub(crate) struct HeldName<'w> {
    world: &'w World,
    name: NameId,
}

impl std::fmt::Display for HeldName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.world.names[self.name])
    }
}

/// The refusal of an operation in a phase that does not allow it: 2304
/// `pending_delete` from redemption on, `not_allowed_in_phase` otherwise.
pub(crate) fn refuse_in_phase(name: &str, phase: Phase, op: &str) -> Refusal {
    match phase {
        Phase::Redemption | Phase::PendingDelete | Phase::Released => Refusal::new(
            Reason::PendingDelete,
            format!(
                "{name} is in {} (pendingDelete); {op} is not allowed",
                phase.as_str()
            ),
        ),
        _ => Refusal::new(
            Reason::NotAllowedInPhase,
            format!("{name} is in {}; {op} is not allowed then", phase.as_str()),
        ),
    }
}

/// Resolves the actor (with `permission`) and a live domain it holds.
pub(crate) fn held(
    world: &World,
    actor: &str,
    name: &str,
    permission: Permission,
) -> Outcome<Held> {
    let actor = authorize(world, actor, permission)?;
    let (id, _) = find_domain(world, name)?;
    held_id(world, actor, id, permission)
}

/// As [`held`], for an actor and a domain already resolved to ids (the behaviour model
/// acting as a holder, a sale acting for its seller): every check but name parsing and
/// lookup. Refuses: 2303 `no_such_domain`, 2201 `not_owner`, 2201
/// `not_sponsoring_registrar`, 2304 `pending_transfer` (unless only reading).
pub(crate) fn held_id(
    world: &World,
    actor: Actor,
    id: DomainId,
    permission: Permission,
) -> Outcome<Held> {
    let Some(d) = world.domain(id) else {
        return Err(Refusal::new(
            Reason::NoSuchDomain,
            format!("domain slot {id} holds no live domain"),
        ));
    };
    require_owner(world, &actor, d)?;
    let ascii = || &world.names[d.name];
    if d.registrar != 0 {
        return Err(Refusal::new(
            Reason::NotSponsoringRegistrar,
            format!(
                "{} is sponsored by registrar `{}`, not `home`",
                ascii(),
                world.registrars[d.registrar as usize].id
            ),
        ));
    }
    if permission != Permission::Read && world.transfers.contains_key(&id) {
        return Err(Refusal::new(
            Reason::PendingTransfer,
            format!(
                "{} has a transfer pending (pendingTransfer); nothing else may change it until the transfer ends",
                ascii()
            ),
        ));
    }
    Ok(Held {
        actor,
        id,
        phase: d.phase(world.now(), world.tlds.get(d.tld)),
        name_id: d.name,
        tld: d.tld,
        expires: d.expires.get(),
        created: d.created.get(),
    })
}

/// The holder of a live domain, acting as itself (automatic paths act for it).
/// Refuses: 2303 `no_such_domain`.
pub(crate) fn holder_of(world: &World, id: DomainId) -> Outcome<Actor> {
    world
        .domain(id)
        .map(|d| Actor {
            account: d.owner,
            user: None,
        })
        .ok_or_else(|| {
            Refusal::new(
                Reason::NoSuchDomain,
                format!("domain slot {id} holds no live domain"),
            )
        })
}
