//! Monitoring names one does not hold: a watcher is told when the name is registered,
//! is about to expire, enters grace or redemption, or is released — what a buyer
//! follows before buying.

use super::actor::authorize;
use super::lookup::parse_name;
use crate::model::{EventKind, NameId, Permission, World};
use crate::refusal::{Outcome, Reason, Refusal};

/// Starts (`on`) or stops watching a name (registered or not).
/// Refuses: 2303/2201 actor, 2005 name syntax, 2306 `own_domain`, 2302
/// `already_watching`, 2303 `not_watching`.
pub fn watch(world: &mut World, actor: &str, name: &str, on: bool) -> Outcome<()> {
    let a = authorize(world, actor, Permission::Read)?;
    let p = parse_name(world, name)?;
    let holder = world
        .live_domain_named(&p.ascii)
        .and_then(|id| world.domain(id))
        .map(|d| d.owner);
    if on && holder == Some(a.account) {
        return Err(Refusal::new(
            Reason::OwnDomain,
            format!(
                "`{actor}` holds {}; watching is for names one does not hold",
                p.ascii
            ),
        ));
    }
    // The watchers are part of the notices a domain owes in closed form: those up to
    // now are recorded with the watchers as they were.
    if let Some(live) = world.live_domain_named(&p.ascii) {
        super::timeline::catch_up(world, live);
    }
    let id: NameId = world.intern(&p.ascii);
    let list = world.watches.entry(id).or_default();
    let watching = list.contains(&a.account);
    match (on, watching) {
        (true, true) => {
            return Err(Refusal::new(
                Reason::AlreadyWatching,
                format!("`{actor}` already watches {}", p.ascii),
            ));
        }
        (false, false) => {
            return Err(Refusal::new(
                Reason::NotWatching,
                format!("`{actor}` does not watch {}", p.ascii),
            ));
        }
        (true, false) => list.push(a.account),
        (false, true) => list.retain(|x| *x != a.account),
    }
    if list.is_empty() {
        world.watches.remove(&id);
    }
    world.record(EventKind::WatchSet {
        account: a.account,
        domain: id,
        on,
    });
    Ok(())
}

/// The names an account watches, in name order of first sight.
/// Refuses: 2303 `no_such_account`.
pub fn watched(world: &World, account: &str) -> Outcome<Vec<String>> {
    let a = super::lookup::find_account(world, account)?;
    Ok(world
        .watches
        .iter()
        .filter(|(_, l)| l.contains(&a))
        .map(|(n, _)| world.names[*n].to_string())
        .collect())
}
