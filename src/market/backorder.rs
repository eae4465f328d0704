//! Backorders on dropping names: a backorder placed while a name is in redemption or
//! pending delete holds the backorder price in escrow. When the name is released, a
//! single backorder gets it registered at that price; several hold a private auction
//! among themselves (the name stays reserved meanwhile); with none the name is free.

use super::{log, trader};
use crate::model::MarketAction;
use crate::model::TimerKind;
use crate::model::{
    AccountId, Backorder, Book, Listing, ListingKind, ListingState, Memo, NameId, Phase, World,
};
use crate::refusal::{Outcome, Reason, Refusal};

/// Places a backorder on a name in redemption or pending delete.
/// Refuses: 2303/2201 actor, 2306 `trading_frozen`, 2005/2303 name, 2306 `not_dropping`,
/// 2306 `own_domain`, 2302 `already_backordered`, 2104 `insufficient_funds`.
pub fn backorder(world: &mut World, actor: &str, name: &str) -> Outcome<()> {
    let a = trader(world, actor)?;
    let (id, p) = crate::ops::lookup::find_domain(world, name)?;
    let d = world.domain(id).expect("live domain");
    let phase = d.phase(world.now(), world.tlds.get(d.tld));
    if !matches!(phase, Phase::Redemption | Phase::PendingDelete) {
        return Err(Refusal::new(
            Reason::NotDropping,
            format!(
                "{} is in {}; backorders are taken in redemption and pending delete",
                p.ascii,
                phase.as_str()
            ),
        ));
    }
    if d.owner == a.account {
        return Err(Refusal::new(
            Reason::OwnDomain,
            format!("`{actor}` holds {}; restore it instead", p.ascii),
        ));
    }
    let name_id = d.name;
    if world
        .market
        .backorders
        .get(&name_id)
        .is_some_and(|b| b.iter().any(|x| x.account == a.account))
    {
        return Err(Refusal::new(
            Reason::AlreadyBackordered,
            format!("`{actor}` already backordered {}", p.ascii),
        ));
    }
    let price = world.rules.backorder_price;
    if !world.ledger.can_pay(a.account, price) {
        return Err(Refusal::new(
            Reason::InsufficientFunds,
            format!(
                "a backorder costs {price} held in escrow; the wallet of `{actor}` holds {}",
                world.ledger.balance(Book::Wallet(a.account))
            ),
        ));
    }
    let now = world.now();
    world.ledger.post(
        now,
        Book::Wallet(a.account),
        Book::Escrow,
        price,
        Memo::Trade(name_id),
    );
    world
        .market
        .backorders
        .entry(name_id)
        .or_default()
        .push(Backorder {
            account: a.account,
            held: price,
            at: now,
        });
    log(
        world,
        name_id,
        MarketAction::Backordered,
        0,
        price,
        a.account,
    );
    Ok(())
}

/// Called when a name is released. Returns whether backorders claimed it.
pub(crate) fn on_release(world: &mut World, name: NameId) -> bool {
    let Some(list) = world.market.backorders.get(&name) else {
        return false;
    };
    if list.len() == 1 {
        let b = list[0].clone();
        world.market.backorders.remove(&name);
        register_won(world, name, b.account, b.held);
        return true;
    }
    let start = list.iter().map(|b| b.held).min().unwrap_or(0);
    let now = world.now();
    let ends = now.add_days(world.rules.backorder_auction_days.into());
    let lid = world.market.listings.len() as u32;
    world.market.listings.push(Listing {
        name,
        domain: None,
        seller: None,
        kind: ListingKind::Auction {
            start,
            reserve: None,
            ends,
            private: true,
        },
        state: ListingState::Open,
        created: now,
        bids: Vec::new(),
        deposits: Vec::new(),
        generation: 0,
    });
    world.market.reserved.insert(name, lid);
    world.schedule(ends, TimerKind::AuctionClose, lid, 0);
    log(world, name, MarketAction::BackorderAuction, lid, start, 0);
    true
}

/// Settles a private auction's backorders: the others get their money back; returns
/// what the winner has held.
pub(crate) fn settle_private(world: &mut World, name: NameId, winner: AccountId) -> i64 {
    let now = world.now();
    let list = world.market.backorders.remove(&name).unwrap_or_default();
    let mut held = 0;
    for b in list {
        if b.account == winner {
            held = b.held;
        } else {
            world.ledger.post(
                now,
                Book::Escrow,
                Book::Wallet(b.account),
                b.held,
                Memo::Refund(name),
            );
        }
    }
    held
}

/// Registers a released name for one year to the account that won it; `price` is
/// already in escrow.
pub(crate) fn register_won(world: &mut World, name: NameId, account: AccountId, price: i64) {
    world.market.reserved.remove(&name);
    let ascii = world.names[name].to_string();
    let Ok(parsed) = crate::ops::lookup::parse_name(world, &ascii) else {
        return;
    };
    let wholesale = world.tlds.get(parsed.tld).wholesale_register;
    crate::ops::lifecycle::sell(
        world,
        Book::Escrow,
        price,
        wholesale,
        Memo::Register(name),
        name,
    );
    let registration = crate::ops::lifecycle::Registration {
        owner: account,
        name,
        tld: parsed.tld,
        years: 1,
        profile: None,
        auto_renew: false,
        price: 0,
        wholesale,
    };
    crate::ops::lifecycle::insert_registration(world, registration);
}

/// The winner of a private auction did not pay: the name is free for anyone.
pub(crate) fn release_reserved(world: &mut World, name: NameId) {
    world.market.reserved.remove(&name);
}

/// Ends every backorder on a name its holder restored: each backorderer gets its money
/// back and a `backorder_cancelled` notice. (The one way a dropping name stops
/// dropping.)
pub(crate) fn end_on_restore(world: &mut World, name: NameId) {
    let Some(list) = world.market.backorders.remove(&name) else {
        return;
    };
    for b in list {
        refund(world, name, &b, MarketAction::BackorderEnded);
    }
}

/// Gives a backorder's money back and tells the backorderer.
fn refund(world: &mut World, name: NameId, b: &Backorder, action: MarketAction) {
    let now = world.now();
    world.ledger.post(
        now,
        Book::Escrow,
        Book::Wallet(b.account),
        b.held,
        Memo::Refund(name),
    );
    log(world, name, action, 0, b.held, b.account);
    crate::ops::notify::send(
        world,
        b.account,
        Some(name),
        None,
        crate::model::Notice::BackorderCancelled,
    );
}

/// Withdraws one's backorder on a name before it drops; the held price is refunded.
/// Refuses: 2303/2201 actor, 2005 name syntax, 2303 `no_such_backorder`, 2304 `in_trade`
/// (the name dropped and its backorder auction runs).
pub fn cancel_backorder(world: &mut World, actor: &str, name: &str) -> Outcome<()> {
    let a = crate::ops::actor::authorize(world, actor, crate::model::Permission::Trade)?;
    let p = crate::ops::lookup::parse_name(world, name)?;
    let found = world.lookup_name(&p.ascii).map(|(n, _)| n).and_then(|n| {
        let list = world.market.backorders.get(&n)?;
        list.iter()
            .position(|b| b.account == a.account)
            .map(|i| (n, i))
    });
    let Some((name_id, i)) = found else {
        return Err(Refusal::new(
            Reason::NoSuchBackorder,
            format!("`{actor}` has no backorder on {}", p.ascii),
        ));
    };
    if world.market.reserved.contains_key(&name_id) {
        return Err(Refusal::new(
            Reason::InTrade,
            format!(
                "{} is in its backorder auction; a backorder can be withdrawn only before the name drops",
                p.ascii
            ),
        ));
    }
    // Apply.
    let list = world.market.backorders.entry(name_id).or_default();
    let b = list.remove(i);
    if list.is_empty() {
        world.market.backorders.remove(&name_id);
    }
    refund(world, name_id, &b, MarketAction::BackorderCancelled);
    Ok(())
}
