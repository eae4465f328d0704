//! A domain's EPP statuses now (RFC 5731): derived from its record and the policy
//! (`Domain::statuses`), plus what lies outside the record: the holds its registrant's
//! real-name and email state cause, add grace, and a pending transfer. Views show them;
//! guards and the DNS resolver obey them.

use crate::model::{Domain, RealName, Status, World};

/// The real-name and email holds a domain's registrant causes now:
/// (serverHold, clientHold).
pub(crate) fn registrant_holds(world: &World, d: &Domain) -> (bool, bool) {
    let tld = world.tlds.get(d.tld);
    let profile = d.profile.get().map(|p| &world.profiles[p as usize]);
    let real_name =
        tld.real_name_required && profile.is_none_or(|p| p.real_name != RealName::Verified);
    let email = profile.is_some_and(|p| {
        !p.email_verified && world.now() >= p.email_since.add_days(tld.email_verify_days.into())
    });
    (real_name, email)
}

/// The EPP statuses of a domain now.
pub fn statuses(world: &World, d: &Domain) -> Vec<Status> {
    let (real_name, email) = registrant_holds(world, d);
    let id = world.live_domain(d.name);
    let add_grace = id.is_some_and(|id| world.add_grace(id).is_some());
    let mut s = d.statuses(
        world.now(),
        world.tlds.get(d.tld),
        add_grace,
        real_name,
        email,
    );
    let pending = id.is_some_and(|id| world.transfers.contains_key(&id));
    if pending {
        s.retain(|x| *x != Status::Ok);
        s.push(Status::PendingTransfer);
        s.sort();
    }
    s
}
