//! Sending notifications: to a domain's holder, to a profile's owner, and to the
//! accounts watching a name.

use crate::model::{AccountId, DomainId, EventKind, NameId, Notice, ProfileId, WatchChange, World};
use crate::sim::Time;

/// Sends a notification: its `notified` event is what `notifications(account)` reads.
pub fn send(
    world: &mut World,
    account: AccountId,
    domain: Option<NameId>,
    profile: Option<ProfileId>,
    notice: Notice,
) {
    send_at(world, None, account, domain, profile, notice);
}

/// Sends a notification now (`at` `None`), or records one computed in closed form for
/// its own instant `at` (`ops::timeline::catch_up`).
fn send_at(
    world: &mut World,
    at: Option<Time>,
    account: AccountId,
    domain: Option<NameId>,
    profile: Option<ProfileId>,
    notice: Notice,
) {
    let kind = EventKind::Notified {
        account,
        domain,
        profile,
        notice,
    };
    match at {
        None => world.record(kind),
        Some(at) => world.record_at(at, kind),
    }
}

/// Notifies a domain's holder.
pub fn holder(world: &mut World, id: DomainId, notice: Notice) {
    holder_at(world, None, id, notice);
}

/// Notifies a domain's holder now, or at `at` (as [`send_at`]).
pub(crate) fn holder_at(world: &mut World, at: Option<Time>, id: DomainId, notice: Notice) {
    if let Some(d) = world.domain(id).filter(|d| d.registrar == 0) {
        let (account, name) = (d.owner, d.name);
        send_at(world, at, account, Some(name), None, notice);
    }
}

/// Notifies a profile's owner.
pub(crate) fn profile_owner(world: &mut World, profile: ProfileId, notice: Notice) {
    let account = world.profiles[profile as usize].owner;
    send(world, account, None, Some(profile), notice);
}

/// Tells every account watching `name` (other than its current holder) about a change.
pub fn watchers(world: &mut World, name: NameId, change: WatchChange) {
    watchers_at(world, None, name, change);
}

/// Tells the watchers now, or at `at` (as [`send_at`]).
pub(crate) fn watchers_at(world: &mut World, at: Option<Time>, name: NameId, change: WatchChange) {
    let Some(list) = world.watches.get(&name) else {
        return;
    };
    let holder = world
        .live_domain(name)
        .and_then(|id| world.domain(id))
        .map(|d| d.owner);
    let to: Vec<AccountId> = list
        .iter()
        .copied()
        .filter(|a| Some(*a) != holder)
        .collect();
    for account in to {
        send_at(world, at, account, Some(name), None, Notice::Watch(change));
    }
}
