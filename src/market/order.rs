//! Orders and escrow: the buyer's money waits in escrow while the domain moves
//! automatically (which can fail, seeded, leaving the seller to deliver before a
//! deadline); on completion escrow pays the seller less the commission.

use super::{commission, log};
use crate::model::MarketAction;
use crate::model::TimerKind;
use crate::model::{
    AccountId, Book, ListingState, Memo, Order, OrderState, Permission, ProfileId, World,
};
use crate::ops::actor::Actor;
use crate::ops::guard::held_id;
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::{Time, Timer};

fn schedule(world: &mut World, oid: u32, at: Time) {
    let o = &mut world.market.orders[oid as usize];
    o.generation = o.generation.wrapping_add(1);
    let generation = o.generation;
    world.schedule(at, TimerKind::TradeOrder, oid, generation);
}

/// Opens an order. `paid` is already in escrow. Fully paid orders start transferring;
/// others wait `payment` for the buyer.
#[allow(clippy::too_many_arguments)]
pub(crate) fn open(
    world: &mut World,
    listing: u32,
    seller: AccountId,
    buyer: AccountId,
    price: i64,
    paid: i64,
    profile: Option<ProfileId>,
    payment: Option<Time>,
) -> u32 {
    let l = &world.market.listings[listing as usize];
    let (domain, name) = (l.domain, l.name);
    let oid = world.market.orders.len() as u32;
    world.market.orders.push(Order {
        listing,
        domain,
        seller,
        buyer,
        price,
        paid,
        profile,
        state: OrderState::AwaitingPayment,
        created: world.now(),
        deadline: None,
        generation: 0,
    });
    world.market.listings[listing as usize].state = ListingState::Sold;
    super::index_trade(world, domain, crate::model::market::TradeRef::Order(oid));
    log(world, name, MarketAction::OrderOpened, oid, price, buyer);
    if paid >= price {
        start_transfer(world, oid);
    } else if let Some(deadline) = payment {
        world.market.orders[oid as usize].deadline = Some(deadline);
        schedule(world, oid, deadline);
    }
    oid
}

/// The order is paid in full: the automatic transfer starts.
pub(crate) fn start_transfer(world: &mut World, oid: u32) {
    let at = world
        .now()
        .add_secs(i64::from(world.rules.auto_transfer_minutes) * 60);
    let o = &mut world.market.orders[oid as usize];
    o.state = OrderState::Transferring;
    o.deadline = None;
    schedule(world, oid, at);
}

fn name_of(world: &World, oid: u32) -> u32 {
    world.market.listings[world.market.orders[oid as usize].listing as usize].name
}

/// Why an order's domain could not be handed over.
enum Blocked {
    /// The seller no longer holds it (released, transferred, pushed away).
    Lost,
    /// A guard of the registrant change refused (the update lock, the phase, a transfer
    /// pending): the seller can put it right and deliver.
    Refused(Refusal),
}

/// Completes the order: the domain moves to the buyer (registrant change to the buyer's
/// profile, under the guards of any registrant change) — or, for a backorder auction,
/// is registered to the buyer — and escrow pays the seller less the commission.
fn complete(world: &mut World, oid: u32) -> Result<(), Blocked> {
    let o = world.market.orders[oid as usize].clone();
    let name = name_of(world, oid);
    let now = world.now();
    match o.domain {
        Some(r) => {
            if world.domain_ref(r).is_none() {
                return Err(Blocked::Lost);
            }
            let seller = Actor {
                account: o.seller,
                user: None,
            };
            let h = match held_id(world, seller, r.id, Permission::Trade) {
                Ok(h) => h,
                Err(e) if e.reason == Reason::PendingTransfer => return Err(Blocked::Refused(e)),
                Err(_) => return Err(Blocked::Lost),
            };
            crate::ops::ownership::hand_over(world, &h, o.buyer, o.profile)
                .map_err(Blocked::Refused)?;
            let fee = commission(world, o.price);
            world.ledger.post(
                now,
                Book::Escrow,
                Book::Wallet(o.seller),
                o.price - fee,
                Memo::Trade(name),
            );
            world
                .ledger
                .post(now, Book::Escrow, Book::Revenue, fee, Memo::Trade(name));
            log(world, name, MarketAction::Commission, oid, fee, o.seller);
        }
        None => super::backorder::register_won(world, name, o.buyer, o.price),
    }
    world.market.orders[oid as usize].state = OrderState::Completed;
    world.market.breaches.remove(&o.buyer);
    log(
        world,
        name,
        MarketAction::OrderCompleted,
        oid,
        o.price,
        o.buyer,
    );
    Ok(())
}

/// The automatic transfer could not complete: the order waits for the seller's
/// delivery until the deadline.
fn await_delivery(world: &mut World, oid: u32) {
    let deadline = world.now().add_days(world.rules.delivery_days.into());
    let name = name_of(world, oid);
    let o = &mut world.market.orders[oid as usize];
    o.state = OrderState::AwaitingDelivery;
    o.deadline = Some(deadline);
    let buyer = o.buyer;
    log(world, name, MarketAction::AutoTransferFailed, oid, 0, buyer);
    schedule(world, oid, deadline);
}

/// Refunds the buyer: the order fails through the seller.
fn refund(world: &mut World, oid: u32, reason: &str) {
    let o = world.market.orders[oid as usize].clone();
    let name = name_of(world, oid);
    let now = world.now();
    world.ledger.post(
        now,
        Book::Escrow,
        Book::Wallet(o.buyer),
        o.paid,
        Memo::Refund(name),
    );
    let order = &mut world.market.orders[oid as usize];
    order.state = OrderState::Refunded;
    order.paid = 0;
    world.market.listings[o.listing as usize].state = ListingState::Closed;
    world
        .market
        .breach_log
        .push((now, o.seller, reason.to_string()));
    log(
        world,
        name,
        MarketAction::OrderRefunded,
        oid,
        o.price,
        o.buyer,
    );
}

/// An order's timer: the automatic transfer's outcome, or a deadline passing.
pub(crate) fn order_due(world: &mut World, timer: &Timer) -> bool {
    let oid = timer.target;
    let Some(o) = world.market.orders.get(oid as usize) else {
        return false;
    };
    if o.generation != timer.generation {
        return false;
    }
    match o.state {
        OrderState::Transferring => {
            let draw = world.rng.keyed("auto_transfer", &[oid.into()]) % 100;
            if draw < u64::from(world.rules.auto_transfer_failure_percent) {
                await_delivery(world, oid);
            } else {
                match complete(world, oid) {
                    Ok(()) => {}
                    Err(Blocked::Lost) => refund(world, oid, "seller_lost_domain"),
                    Err(Blocked::Refused(_)) => await_delivery(world, oid),
                }
            }
        }
        OrderState::AwaitingDelivery => refund(world, oid, "not_delivered"),
        OrderState::AwaitingPayment => unpaid(world, oid),
        _ => return false,
    }
    true
}

/// The buyer did not pay in time. An auction winner forfeits the deposit to the seller
/// and is frozen; an offer buyer's breach counts toward a freeze.
fn unpaid(world: &mut World, oid: u32) {
    let o = world.market.orders[oid as usize].clone();
    let name = name_of(world, oid);
    let now = world.now();
    let auction = matches!(
        world.market.listings[o.listing as usize].kind,
        crate::model::ListingKind::Auction { .. }
    );
    if o.paid > 0 {
        let to = if o.domain.is_some() {
            Book::Wallet(o.seller)
        } else {
            Book::Revenue
        };
        world
            .ledger
            .post(now, Book::Escrow, to, o.paid, Memo::Trade(name));
    }
    let order = &mut world.market.orders[oid as usize];
    order.state = OrderState::Cancelled;
    order.paid = 0;
    world
        .market
        .breach_log
        .push((now, o.buyer, "not_paid".into()));
    if auction {
        world.market.listings[o.listing as usize].state = ListingState::Closed;
        super::freeze(world, o.buyer, world.rules.forfeit_freeze_days);
        if o.domain.is_none() {
            super::backorder::release_reserved(world, name);
        }
    } else {
        // An offer listing stays open for other buyers.
        world.market.listings[o.listing as usize].state = ListingState::Open;
        let count = world.market.breaches.entry(o.buyer).or_insert(0);
        *count += 1;
        if *count >= world.rules.breach_limit {
            world.market.breaches.remove(&o.buyer);
            super::freeze(world, o.buyer, world.rules.breach_freeze_days);
        }
    }
    log(
        world,
        name,
        MarketAction::OrderCancelled,
        oid,
        o.price,
        o.buyer,
    );
}

/// The seller delivers an order whose automatic transfer failed. The hand-over obeys
/// the guards of a registrant change; a seller who no longer holds the domain refunds
/// the buyer.
/// Refuses: 2303 `no_such_order`, 2201 `not_owner`, 2304 `not_awaiting_delivery`, 2304
/// `update_prohibited` / `not_allowed_in_phase` / `pending_delete` /
/// `pending_transfer`.
pub fn deliver(world: &mut World, actor: &str, order: i64) -> Outcome<()> {
    let a = super::trader(world, actor)?;
    let oid = super::order_id(world, order)?;
    let o = &world.market.orders[oid as usize];
    if o.seller != a.account {
        return Err(Refusal::new(
            Reason::NotOwner,
            format!("order {order} is not `{actor}`'s to deliver"),
        ));
    }
    if o.state != OrderState::AwaitingDelivery {
        return Err(Refusal::new(
            Reason::NotAwaitingDelivery,
            format!(
                "order {order} is {}, not awaiting delivery",
                o.state.as_str()
            ),
        ));
    }
    match complete(world, oid) {
        Ok(()) => Ok(()),
        Err(Blocked::Lost) => {
            refund(world, oid, "seller_lost_domain");
            Ok(())
        }
        Err(Blocked::Refused(e)) => Err(e),
    }
}

/// The buyer pays an order awaiting payment (auction won, offer accepted); the
/// automatic transfer starts.
/// Refuses: 2303 `no_such_order`, 2201 `not_owner`, 2304 `not_awaiting_payment`, 2104
/// `insufficient_funds`, 2306 `trading_frozen`.
pub fn pay(world: &mut World, actor: &str, order: i64) -> Outcome<()> {
    let a = super::trader(world, actor)?;
    let oid = super::order_id(world, order)?;
    let o = &world.market.orders[oid as usize];
    if o.buyer != a.account {
        return Err(Refusal::new(
            Reason::NotOwner,
            format!("order {order} is not `{actor}`'s to pay"),
        ));
    }
    if o.state != OrderState::AwaitingPayment {
        return Err(Refusal::new(
            Reason::NotAwaitingPayment,
            format!(
                "order {order} is {}, not awaiting payment",
                o.state.as_str()
            ),
        ));
    }
    let due = o.price - o.paid;
    if !world.ledger.can_pay(a.account, due) {
        return Err(Refusal::new(
            Reason::InsufficientFunds,
            format!(
                "order {order} needs {due} more but the wallet of `{actor}` holds {}",
                world.ledger.balance(Book::Wallet(a.account))
            ),
        ));
    }
    let name = name_of(world, oid);
    let now = world.now();
    world.ledger.post(
        now,
        Book::Wallet(a.account),
        Book::Escrow,
        due,
        Memo::Trade(name),
    );
    world.market.orders[oid as usize].paid += due;
    start_transfer(world, oid);
    Ok(())
}
