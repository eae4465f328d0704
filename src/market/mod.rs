//! The domain trade platform: listings (fixed price, auction, offers, push), escrowed
//! orders with automatic transfer and delivery deadlines, proxy-bid auctions with soft
//! close and deposits, offers and counter-offers, and backorders on dropping names.
//! Domains move only through `ops` (account move plus registrant change).

pub mod auction;
pub mod backorder;
pub mod listing;
pub mod offer;
pub mod order;
pub mod views;

use crate::model::MarketAction;
use crate::model::market::TradeRef;
use crate::model::{AccountId, DomainRef, ListingState, World};
use crate::ops::actor::{Actor, authorize};
use crate::refusal::{Outcome, Reason, Refusal};

/// Records a new listing or order of a registration in the per-domain index, while
/// that registration lives (the index is cleared when a domain is released).
pub(crate) fn index_trade(world: &mut World, domain: Option<DomainRef>, r: TradeRef) {
    if let Some(d) = domain.filter(|d| world.domain_ref(*d).is_some()) {
        world.market.index_trade(d.id, r);
        // A traded domain is loud: its lapse must close the listing.
        crate::ops::timeline::change_quiet_facts(world, d.id, |domain| domain.mark_traded());
    }
}

/// An actor allowed to trade: the `trade` permission and no trading freeze.
/// Refuses: 2303/2201 actor, 2306 `trading_frozen`.
pub fn trader(world: &World, actor: &str) -> Outcome<Actor> {
    let a = authorize(world, actor, crate::model::Permission::Trade)?;
    if let Some(until) = world.accounts[a.account as usize].trading_frozen_until
        && world.now() < until
    {
        return Err(Refusal::new(
            Reason::TradingFrozen,
            format!("`{actor}` may not trade until {until}"),
        ));
    }
    Ok(a)
}

/// The commission the platform keeps from a sale at `price`.
pub(crate) fn commission(world: &World, price: i64) -> i64 {
    (i128::from(price) * i128::from(world.rules.commission_bps) / 10_000) as i64
}

/// Checks that an amount of money is within the limit every price obeys.
/// Refuses: 2004 `amount_too_large`.
pub(crate) fn amount_within_limit(amount: i64, what: &str) -> Outcome<()> {
    let limit = crate::model::tld::MAX_PRICE;
    if amount > limit {
        return Err(Refusal::new(
            Reason::AmountTooLarge,
            format!("{what} of {amount} is more than the limit of {limit} (10 billion CNY)"),
        ));
    }
    Ok(())
}

/// Freezes an account from trading for `days`.
pub(crate) fn freeze(world: &mut World, account: AccountId, days: u32) {
    let until = world.now().add_days(days.into());
    let acc = &mut world.accounts[account as usize];
    acc.trading_frozen_until = Some(acc.trading_frozen_until.map_or(until, |t| t.max(until)));
}

/// Turns a script's id into an index below `len`.
fn index(id: i64, len: usize, reason: Reason, what: &str) -> Outcome<u32> {
    usize::try_from(id)
        .ok()
        .filter(|i| *i < len)
        .map(|i| i as u32)
        .ok_or_else(|| Refusal::new(reason, format!("there is no {what} {id}")))
}

/// A listing id from a script.
/// Refuses: 2303 `no_such_listing`.
pub(crate) fn listing_id(world: &World, id: i64) -> Outcome<u32> {
    index(
        id,
        world.market.listings.len(),
        Reason::NoSuchListing,
        "listing",
    )
}

/// An order id from a script.
/// Refuses: 2303 `no_such_order`.
pub(crate) fn order_id(world: &World, id: i64) -> Outcome<u32> {
    index(id, world.market.orders.len(), Reason::NoSuchOrder, "order")
}

/// An offer id from a script.
/// Refuses: 2303 `no_such_offer`.
pub(crate) fn offer_id(world: &World, id: i64) -> Outcome<u32> {
    index(id, world.market.offers.len(), Reason::NoSuchOffer, "offer")
}

/// Checks that a listing is open and that `buyer` is not its seller.
/// Refuses: 2304 `listing_not_open`, 2306 `own_listing`.
pub(crate) fn open_to_buyer(world: &World, lid: u32, buyer: AccountId, actor: &str) -> Outcome<()> {
    let l = &world.market.listings[lid as usize];
    if l.state != ListingState::Open {
        return Err(Refusal::new(
            Reason::ListingNotOpen,
            format!("listing {lid} is {}", l.state.as_str()),
        ));
    }
    if l.seller == Some(buyer) {
        return Err(Refusal::new(
            Reason::OwnListing,
            format!("`{actor}` cannot buy, bid on or make offers on its own listing"),
        ));
    }
    Ok(())
}

/// Logs a market event.
pub(crate) fn log(
    world: &mut World,
    name: u32,
    action: MarketAction,
    id: u32,
    amount: i64,
    account: AccountId,
) {
    world.record(crate::model::EventKind::Market {
        domain: name,
        action,
        id,
        amount,
        account,
    });
}
