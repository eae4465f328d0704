//! Offers on offer listings: the buyer offers, the seller accepts, rejects or counters,
//! the buyer answers a counter; an unanswered offer lapses after `offer_days`. On
//! acceptance an order waits for the buyer's payment (`offer_payment_days`); breaches
//! are recorded and `breach_limit` in a row freeze trading.

use super::{log, order, trader};
use crate::model::MarketAction;
use crate::model::TimerKind;
use crate::model::{ListingKind, ListingState, Offer, OfferState, World};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::Timer;

fn arm(world: &mut World, oid: u32) {
    let expires = world.now().add_days(world.rules.offer_days.into());
    let o = &mut world.market.offers[oid as usize];
    o.expires = expires;
    o.generation = o.generation.wrapping_add(1);
    let generation = o.generation;
    world.schedule(expires, TimerKind::OfferLapse, oid, generation);
}

fn amount_ok(amount: i64, min: i64) -> Outcome<()> {
    super::amount_within_limit(amount, "an offer")?;
    if amount < min {
        return Err(Refusal::new(
            Reason::OfferTooLow,
            format!("an offer must be at least {min}"),
        ));
    }
    Ok(())
}

/// Makes an offer on an offer listing; returns its id.
/// Refuses: 2303 `no_such_listing`, 2306 `trading_frozen`, 2306 `not_an_offer_listing`,
/// 2304 `listing_not_open`, 2306 `own_listing`, 2004 `amount_too_large`, 2004 `offer_too_low`.
pub fn make_offer(world: &mut World, actor: &str, listing: i64, amount: i64) -> Outcome<u32> {
    let a = trader(world, actor)?;
    let lid = super::listing_id(world, listing)?;
    let l = &world.market.listings[lid as usize];
    let ListingKind::Offer { min } = l.kind else {
        return Err(Refusal::new(
            Reason::NotAnOfferListing,
            format!("listing {listing} does not take offers"),
        ));
    };
    super::open_to_buyer(world, lid, a.account, actor)?;
    amount_ok(amount, min)?;
    let name = l.name;
    let oid = world.market.offers.len() as u32;
    world.market.offers.push(Offer {
        listing: lid,
        buyer: a.account,
        amount,
        counter: None,
        state: OfferState::Open,
        expires: world.now(),
        order: None,
        generation: 0,
    });
    arm(world, oid);
    log(world, name, MarketAction::OfferMade, oid, amount, a.account);
    Ok(oid)
}

/// Who may answer an offer now: the seller while open, the buyer while countered.
fn answerer(world: &World, actor: &str, offer: i64) -> Outcome<(u32, bool)> {
    let a = trader(world, actor)?;
    let oid = super::offer_id(world, offer)?;
    let o = &world.market.offers[oid as usize];
    let seller = world.market.listings[o.listing as usize].seller;
    match o.state {
        OfferState::Open if seller == Some(a.account) => Ok((oid, true)),
        OfferState::Countered if o.buyer == a.account => Ok((oid, false)),
        OfferState::Open | OfferState::Countered => Err(Refusal::new(
            Reason::NotYourTurn,
            format!("offer {offer} waits for the other party"),
        )),
        s => Err(Refusal::new(
            Reason::OfferClosed,
            format!("offer {offer} is {}", s.as_str()),
        )),
    }
}

/// The seller answers an open offer with another amount; the buyer has `offer_days`.
/// Refuses: 2303 `no_such_offer`, 2201 `not_your_turn`, 2304 `offer_closed`, 2004
/// `amount_too_large`, 2004 `offer_too_low`.
pub fn counter_offer(world: &mut World, actor: &str, offer: i64, amount: i64) -> Outcome<()> {
    let (oid, seller_turn) = answerer(world, actor, offer)?;
    if !seller_turn {
        return Err(Refusal::new(
            Reason::NotYourTurn,
            format!("only the seller counters offer {offer}"),
        ));
    }
    let l = &world.market.listings[world.market.offers[oid as usize].listing as usize];
    let ListingKind::Offer { min } = l.kind else {
        unreachable!("offers are made on offer listings")
    };
    amount_ok(amount, min)?;
    let name = l.name;
    let o = &mut world.market.offers[oid as usize];
    o.counter = Some(amount);
    o.state = OfferState::Countered;
    let buyer = o.buyer;
    arm(world, oid);
    log(
        world,
        name,
        MarketAction::OfferCountered,
        oid,
        amount,
        buyer,
    );
    Ok(())
}

/// Accepts an offer (the seller an open one, the buyer a counter); an order awaits the
/// buyer's payment. Returns the order id.
/// Refuses: as [`counter_offer`], 2304 `listing_not_open`.
pub fn accept_offer(world: &mut World, actor: &str, offer: i64) -> Outcome<u32> {
    let (oid, _) = answerer(world, actor, offer)?;
    let o = world.market.offers[oid as usize].clone();
    let l = &world.market.listings[o.listing as usize];
    if l.state != ListingState::Open {
        return Err(Refusal::new(
            Reason::ListingNotOpen,
            format!("listing {} is {}", o.listing, l.state.as_str()),
        ));
    }
    let seller = l.seller.expect("offer listings have a seller");
    let price = o.counter.unwrap_or(o.amount);
    let name = l.name;
    world.market.offers[oid as usize].state = OfferState::Accepted;
    world.market.offers[oid as usize].generation += 1;
    // Other offers on the listing lapse.
    for (i, other) in world.market.offers.iter_mut().enumerate() {
        if i as u32 != oid
            && other.listing == o.listing
            && matches!(other.state, OfferState::Open | OfferState::Countered)
        {
            other.state = OfferState::Lapsed;
        }
    }
    log(
        world,
        name,
        MarketAction::OfferAccepted,
        oid,
        price,
        o.buyer,
    );
    let deadline = world.now().add_days(world.rules.offer_payment_days.into());
    let order = order::open(
        world,
        o.listing,
        seller,
        o.buyer,
        price,
        0,
        None,
        Some(deadline),
    );
    world.market.offers[oid as usize].order = Some(order);
    Ok(order)
}

/// Rejects an offer (the seller an open one, the buyer a counter).
/// Refuses: as [`counter_offer`].
pub fn reject_offer(world: &mut World, actor: &str, offer: i64) -> Outcome<()> {
    let (oid, _) = answerer(world, actor, offer)?;
    let o = &mut world.market.offers[oid as usize];
    o.state = OfferState::Rejected;
    o.generation += 1;
    let (listing, buyer, amount) = (o.listing, o.buyer, o.amount);
    let name = world.market.listings[listing as usize].name;
    log(world, name, MarketAction::OfferRejected, oid, amount, buyer);
    Ok(())
}

/// Lapses every open offer of a listing (it was withdrawn).
pub(crate) fn lapse_all(world: &mut World, lid: u32) {
    for o in world.market.offers.iter_mut().filter(|o| o.listing == lid) {
        if matches!(o.state, OfferState::Open | OfferState::Countered) {
            o.state = OfferState::Lapsed;
        }
    }
}

/// An offer's time ran out.
pub(crate) fn lapse_due(world: &mut World, timer: &Timer) -> bool {
    let oid = timer.target;
    let Some(o) = world.market.offers.get_mut(oid as usize) else {
        return false;
    };
    if o.generation != timer.generation
        || !matches!(o.state, OfferState::Open | OfferState::Countered)
    {
        return false;
    }
    o.state = OfferState::Lapsed;
    let (listing, buyer, amount) = (o.listing, o.buyer, o.amount);
    let name = world.market.listings[listing as usize].name;
    log(world, name, MarketAction::OfferLapsed, oid, amount, buyer);
    true
}
