//! Auctions with proxy bidding: each bidder states a maximum; the price is the second
//! highest maximum plus one increment (from the tiered table), capped at the highest
//! maximum; ties go to the earlier bid. Each bidder's deposit is frozen in escrow and
//! released to losers. A bid in the last minutes extends the end (soft close). At the
//! end the winner pays (at once when the wallet allows, else within 72 hours) or
//! forfeits the deposit and is frozen from trading.

use super::{log, order, trader};
use crate::model::MarketAction;
use crate::model::TimerKind;
use crate::model::{AccountId, Bid, Book, ListingKind, ListingState, Memo, World};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::Timer;

/// The increment at a price, from the tiered table.
pub(crate) fn increment(world: &World, price: i64) -> i64 {
    world
        .rules
        .increments
        .iter()
        .rev()
        .find(|(from, _)| price >= *from)
        .map_or(1, |(_, inc)| *inc)
}

/// Each bidder's best maximum, highest first; ties in bid order.
fn maxima(bids: &[Bid]) -> Vec<(AccountId, i64)> {
    let mut best: Vec<(AccountId, i64, usize)> = Vec::new();
    for (i, b) in bids.iter().enumerate() {
        match best.iter_mut().find(|(a, _, _)| *a == b.bidder) {
            // A bidder raising its own maximum keeps its place in time only for the old
            // amount; the raised amount counts from now.
            Some(entry) if b.max > entry.1 => *entry = (b.bidder, b.max, i),
            Some(_) => {}
            None => best.push((b.bidder, b.max, i)),
        }
    }
    best.sort_by(|x, y| y.1.cmp(&x.1).then(x.2.cmp(&y.2)));
    best.into_iter().map(|(a, m, _)| (a, m)).collect()
}

/// The leader and the current price of an auction, if anyone bid. The price is the
/// second-highest maximum plus one increment, capped at the highest maximum, and never
/// below the start price; once the leader's maximum reaches the reserve, never below
/// the reserve either (the proxy-auction rule: the seller never gets less than the
/// reserve, and a reserve no maximum reaches leaves the auction unsold).
pub(crate) fn standing(world: &World, lid: u32) -> Option<(AccountId, i64)> {
    let l = &world.market.listings[lid as usize];
    let ListingKind::Auction { start, reserve, .. } = l.kind else {
        return None;
    };
    let m = maxima(&l.bids);
    let (leader, top) = *m.first()?;
    let second_price = match m.get(1) {
        None => start,
        Some((_, second)) => (second + increment(world, *second)).min(top).max(start),
    };
    let floor = reserve.filter(|r| top >= *r).unwrap_or(start);
    Some((leader, second_price.max(floor)))
}

/// Whether the auction's highest maximum reaches its reserve (always, without one).
fn reserve_met(world: &World, lid: u32) -> bool {
    let l = &world.market.listings[lid as usize];
    let ListingKind::Auction { reserve, .. } = l.kind else {
        return false;
    };
    let top = maxima(&l.bids).first().map_or(0, |x| x.1);
    reserve.is_none_or(|r| top >= r)
}

/// Places a proxy bid with maximum `max`; returns the current price after it.
/// Refuses: 2303 `no_such_listing`, 2306 `trading_frozen`, 2306 `not_an_auction`, 2304
/// `auction_closed`, 2306 `own_listing`, 2201 `not_invited` (private auction), 2004
/// `amount_too_large`, 2004 `bid_too_low`, 2104 `insufficient_funds` (deposit).
pub fn bid(world: &mut World, actor: &str, listing: i64, max: i64) -> Outcome<i64> {
    let a = trader(world, actor)?;
    let lid = super::listing_id(world, listing)?;
    let l = &world.market.listings[lid as usize];
    let ListingKind::Auction {
        start,
        ends,
        private,
        ..
    } = l.kind
    else {
        return Err(Refusal::new(
            Reason::NotAnAuction,
            format!("listing {listing} is a {} listing", l.kind.as_str()),
        ));
    };
    let now = world.now();
    if l.state != ListingState::Open || now >= ends {
        return Err(Refusal::new(
            Reason::AuctionClosed,
            format!("the auction of listing {listing} is over"),
        ));
    }
    if l.seller == Some(a.account) {
        return Err(Refusal::new(
            Reason::OwnListing,
            format!("`{actor}` cannot bid on its own auction"),
        ));
    }
    let name = l.name;
    if private
        && !world
            .market
            .backorders
            .get(&name)
            .is_some_and(|b| b.iter().any(|x| x.account == a.account))
    {
        return Err(Refusal::new(
            Reason::NotInvited,
            format!("listing {listing} is a private auction among the name's backorders"),
        ));
    }
    let minimum = match standing(world, lid) {
        None => start,
        Some((leader, _)) if leader == a.account => {
            maxima(&l.bids).first().map_or(start, |(_, m)| m + 1)
        }
        Some((_, price)) => price + increment(world, price),
    };
    super::amount_within_limit(max, "a bid")?;
    if max < minimum {
        return Err(Refusal::new(
            Reason::BidTooLow,
            format!("a bid on listing {listing} must be at least {minimum}"),
        ));
    }
    let needs_deposit = !private && !l.deposits.iter().any(|(b, _)| *b == a.account);
    let deposit = world.rules.auction_deposit;
    if needs_deposit && !world.ledger.can_pay(a.account, deposit) {
        return Err(Refusal::new(
            Reason::InsufficientFunds,
            format!("bidding needs a deposit of {deposit} frozen from the wallet of `{actor}`"),
        ));
    }
    // Apply.
    if needs_deposit {
        world.ledger.post(
            now,
            Book::Wallet(a.account),
            Book::Escrow,
            deposit,
            Memo::Trade(name),
        );
        world.market.listings[lid as usize]
            .deposits
            .push((a.account, deposit));
    }
    world.market.listings[lid as usize].bids.push(Bid {
        bidder: a.account,
        max,
        at: now,
    });
    let soft = i64::from(world.rules.soft_close_minutes) * 60;
    if ends.0 - now.0 <= soft {
        let l = &mut world.market.listings[lid as usize];
        let new_end = ends.add_secs(soft);
        if let ListingKind::Auction { ends, .. } = &mut l.kind {
            *ends = new_end;
        }
        l.generation = l.generation.wrapping_add(1);
        let generation = l.generation;
        world.schedule(new_end, TimerKind::AuctionClose, lid, generation);
        log(
            world,
            name,
            MarketAction::AuctionExtended,
            lid,
            0,
            a.account,
        );
    }
    let price = standing(world, lid).map_or(start, |(_, p)| p);
    log(world, name, MarketAction::Bid, lid, price, a.account);
    Ok(price)
}

/// The auction's end: sold to the leader at the standing price when it meets the
/// reserve, else closed unsold. Losers' deposits are released.
pub(crate) fn close_due(world: &mut World, timer: &Timer) -> bool {
    let lid = timer.target;
    let Some(l) = world.market.listings.get(lid as usize) else {
        return false;
    };
    if l.generation != timer.generation || l.state != ListingState::Open {
        return false;
    }
    let ListingKind::Auction {
        reserve: _,
        private,
        start,
        ..
    } = l.kind
    else {
        return false;
    };
    let name = l.name;
    let now = world.now();
    let deposits = l.deposits.clone();
    let seller = l.seller;
    let result = standing(world, lid).filter(|(_, price)| reserve_met(world, lid) && *price > 0);
    let winner = match result {
        Some(w) => Some(w),
        // A private backorder auction nobody bid on goes to the earliest backorder.
        None if private => world
            .market
            .backorders
            .get(&name)
            .and_then(|b| b.first())
            .map(|b| (b.account, start)),
        None => None,
    };
    // Release every deposit but the winner's.
    for (bidder, amount) in &deposits {
        if Some(*bidder) != winner.map(|w| w.0) {
            world.ledger.post(
                now,
                Book::Escrow,
                Book::Wallet(*bidder),
                *amount,
                Memo::Refund(name),
            );
        }
    }
    let Some((buyer, price)) = winner else {
        world.market.listings[lid as usize].state = ListingState::Closed;
        log(
            world,
            name,
            MarketAction::AuctionUnsold,
            lid,
            0,
            seller.unwrap_or(0),
        );
        return true;
    };
    let held = if private {
        super::backorder::settle_private(world, name, buyer)
    } else {
        deposits
            .iter()
            .find(|(b, _)| *b == buyer)
            .map_or(0, |x| x.1)
    };
    // A deposit above the price is partly returned.
    let mut paid = held.min(price);
    if held > price {
        world.ledger.post(
            now,
            Book::Escrow,
            Book::Wallet(buyer),
            held - price,
            Memo::Refund(name),
        );
    }
    // Pay the rest at once when the wallet allows.
    let rest = price - paid;
    if rest > 0 && world.ledger.can_pay(buyer, rest) {
        world.ledger.post(
            now,
            Book::Wallet(buyer),
            Book::Escrow,
            rest,
            Memo::Trade(name),
        );
        paid = price;
    }
    log(world, name, MarketAction::AuctionWon, lid, price, buyer);
    let deadline = now.add_secs(i64::from(world.rules.auction_payment_hours) * 3_600);
    order::open(
        world,
        lid,
        seller.unwrap_or(buyer),
        buyer,
        price,
        paid,
        None,
        Some(deadline),
    );
    true
}
