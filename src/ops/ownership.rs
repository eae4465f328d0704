//! Moving a domain between accounts of `home`: the holder's push, and the move a
//! completed sale makes (with a registrant change to the buyer's profile). Both go
//! through [`move_holder`], the one path of an account move, and a sale's registrant
//! change through [`super::registrant::apply_registrant_change`], under the same guards
//! as the hand-made `set_registrant`.

use super::guard::{Guard, Held, held};
use super::registrant::{RegistrantChange, apply_registrant_change, check_registrant_change};
use crate::model::{AccountId, DomainId, EventKind, Notice, Permission, ProfileId, World};
use crate::refusal::{Outcome, Reason, Refusal};

/// Moves a domain to another account: the one path of every account move (push, sale).
/// Auto-renew is turned off, since the new holder's wallet pays from now on only if it
/// asks, and the new holder is told (`domain_received`); the auth code is void. The
/// move is an event and an audit entry by `actor`.
pub(crate) fn move_holder(world: &mut World, id: DomainId, to: AccountId, actor: &str) {
    let Some(d) = world.domain_mut(id) else {
        return;
    };
    let from = d.owner;
    d.owner = to;
    d.set_auto_renew(false);
    let domain = d.name;
    world.auth_codes.remove(&id);
    world.record(EventKind::Pushed { domain, from, to });
    let (before, after) = (
        world.accounts[from as usize].id.clone(),
        world.accounts[to as usize].id.clone(),
    );
    super::registrant::audit(
        world,
        actor,
        id,
        crate::model::DataAction::MoveHolder,
        before,
        after,
    );
    super::notify::holder(world, id, Notice::DomainReceived);
    super::timeline::reschedule(world, id);
}

/// The actor a sale's changes are recorded under in audit logs.
pub(crate) const TRADE_ACTOR: &str = "trade";

/// Hands a sold domain to its buyer: the seller's domain (resolved as held by the
/// seller, so it must still be the seller's, at `home`, with no transfer pending) moves
/// to `buyer` with a registrant change to `profile` (unset if none) and a new 60-day
/// transfer lock. The registrant change's guards apply exactly as to `set_registrant`:
/// under clientUpdateProhibited, or outside `active`, the sale cannot complete and
/// nothing changes.
/// Refuses: 2304 `not_allowed_in_phase` / `pending_delete`, 2304 `update_prohibited`.
pub(crate) fn hand_over(
    world: &mut World,
    seller: &Held,
    buyer: AccountId,
    profile: Option<ProfileId>,
) -> Outcome<()> {
    check_registrant_change(world, seller)?;
    move_holder(world, seller.id, buyer, TRADE_ACTOR);
    let change = RegistrantChange {
        profile,
        lock: true,
    };
    apply_registrant_change(world, seller.id, change, TRADE_ACTOR);
    Ok(())
}

/// The guards of a push.
const PUSH: &[Guard] = &[Guard::Live, Guard::NotInTrade];

/// Pushes a domain to another account of `home` at once and for good; the registrant
/// stays as it is, auto-renew is switched off and the receiver is told.
/// Refuses: 2201 `not_sponsoring_registrar`, 2303/2201 actor and domain, 2304
/// `pending_transfer`, 2304 `pending_delete`, 2304 `in_trade`, 2303 `no_such_account`,
/// 2306 `same_account`.
pub fn push_domain(world: &mut World, actor: &str, name: &str, to: &str) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Transfer)?;
    h.require(world, PUSH, "pushing")?;
    let to_id = super::lookup::find_account(world, to)?;
    if to_id == h.actor.account {
        return Err(Refusal::new(
            Reason::SameAccount,
            format!("`{to}` already holds {}", h.name(world)),
        ));
    }
    move_holder(world, h.id, to_id, actor);
    Ok(())
}
