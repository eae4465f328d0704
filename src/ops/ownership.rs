//! Moving a domain between accounts of `home`: the holder's push, and the move a
//! completed sale makes (with a registrant change to the buyer's profile).

use super::lifecycle::{held, refuse_in_phase};
use crate::model::{AccountId, DomainId, EventKind, Permission, Phase, ProfileId, World};
use crate::refusal::{Code, Outcome, Refusal};

/// Moves a domain to another account. With `registrant`, the registrant profile changes
/// too and a new 60-day transfer lock starts (a registrant change); auto-renew is
/// turned off, since the new holder's wallet pays from now on only if it asks.
pub(crate) fn move_holder(
    world: &mut World,
    id: DomainId,
    to: AccountId,
    registrant: Option<Option<ProfileId>>,
) {
    let now = world.now;
    let Some(d) = world.domain_mut(id) else {
        return;
    };
    let from = d.owner;
    d.owner = to;
    d.set_auto_renew(false);
    if let Some(profile) = registrant {
        d.profile = profile.into();
        d.transfer_lock_from = now.into();
    }
    let domain = d.name;
    world.auth_codes.remove(&id);
    world.record(EventKind::Pushed { domain, from, to });
    super::timeline::reschedule(world, id);
}

/// Pushes a domain to another account of `home` at once and for good; the registrant
/// stays as it is.
/// Refuses: 2303/2201 actor and domain, 2304 phase, 2303 `no_such_account`, 2306
/// `same_account`, 2304 `in_trade`, 2304 `pending_transfer`.
pub fn push_domain(world: &mut World, actor: &str, name: &str, to: &str) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Transfer)?;
    if !matches!(h.phase, Phase::Active | Phase::Grace) {
        return Err(refuse_in_phase(h.name(world), h.phase, "pushing"));
    }
    let to_id = super::views::find_account(world, to)?;
    if to_id == h.actor.account {
        return Err(Refusal::new(
            Code::Policy,
            "same_account",
            format!("`{to}` already holds {}", h.name(world)),
        ));
    }
    if crate::market::in_trade(world, h.id) {
        return Err(Refusal::new(
            Code::StatusProhibits,
            "in_trade",
            format!(
                "{} is listed or in a trade; it cannot be pushed",
                h.name(world)
            ),
        ));
    }
    move_holder(world, h.id, to_id, None);
    Ok(())
}
