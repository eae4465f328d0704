//! The transfer and trade vocabulary: transfers in and out, pushes, listings, purchases,
//! auctions, offers, push sales, backorders. Each function parses its arguments, calls
//! one library function and returns a view.

use super::api::Registry;
use super::bindings::{only_keys, opt_int, opt_str};
use super::convert::{R, done, view};
use crate::market::{auction, backorder, listing, offer, order, views as mviews};
use crate::model::World;
use crate::ops::{ownership, transfer};
use rhai::{Array, Dynamic, Map};

/// Transfers in and out, and pushes.
pub(super) fn transfers(r: &mut Registry) {
    r.world(
        "transfer_in(actor, name, auth_code)",
        "Requests a domain from another registrar; the transfer price waits in escrow \
         while pending.",
        |w: &mut World, actor: &str, name: &str, code: &str| -> R<()> {
            done(transfer::transfer_in(w, actor, name, code))
        },
    );
    r.world(
        "check_transfer_in(actor, name, auth_code)",
        "Refuses as transfer_in would, changing nothing; an empty auth_code leaves the \
         code unchecked.",
        |w: &mut World, actor: &str, name: &str, code: &str| -> R<()> {
            let code = (!code.is_empty()).then_some(code);
            done(transfer::check_transfer_in(w, actor, name, code))
        },
    );
    r.world(
        "cancel_transfer(actor, name)",
        "Cancels a pending transfer in; the charge is refunded.",
        |w: &mut World, actor: &str, name: &str| -> R<()> {
            done(transfer::cancel_transfer(w, actor, name))
        },
    );
    r.world(
        "auth_code(actor, name) -> string",
        "The holder's transfer authorization code.",
        |w: &mut World, actor: &str, name: &str| -> R<String> {
            done(transfer::auth_code(w, actor, name))
        },
    );
    r.world(
        "foreign_auth_code(name) -> string",
        "The auth code of a domain held at another registrar, as its registrar gives it \
         to the holder (to transfer it in).",
        |w: &mut World, name: &str| -> R<String> { done(transfer::foreign_auth_code(w, name)) },
    );
    r.world(
        "request_transfer_out(name, registrar, auth_code)",
        "Another registrar asks for a domain held here (auto-approved after \
         pending_transfer_days).",
        |w: &mut World, name: &str, registrar: &str, code: &str| -> R<()> {
            done(transfer::request_transfer_out(w, name, registrar, code))
        },
    );
    r.world(
        "approve_transfer(actor, name)",
        "The holder approves a pending transfer out at once.",
        |w: &mut World, actor: &str, name: &str| -> R<()> {
            done(transfer::approve_transfer(w, actor, name))
        },
    );
    r.world(
        "reject_transfer(actor, name)",
        "The holder rejects a pending transfer out.",
        |w: &mut World, actor: &str, name: &str| -> R<()> {
            done(transfer::reject_transfer(w, actor, name))
        },
    );
    r.world(
        "transfer(name) -> map",
        "The pending transfer: #{direction, gaining, losing, requested, auto_approve, \
         charged}, or ().",
        |w: &mut World, name: &str| -> R<Dynamic> {
            view(&done(transfer::transfer_view(w, name))?)
        },
    );
    r.world(
        "push_domain(actor, name, to_account)",
        "Moves a domain to another account here at once, registrant unchanged, auto-renew \
         off (not while listed or in a trade).",
        |w: &mut World, actor: &str, name: &str, to: &str| -> R<()> {
            done(ownership::push_domain(w, actor, name, to))
        },
    );
}

/// Listings, purchases, auctions, offers, push sales and backorders.
pub(super) fn trade(r: &mut Registry) {
    r.world(
        "list_for_sale(actor, name, #{kind, price, start_price, reserve, duration, \
         min_offer, buyer}) -> int",
        "Lists a domain: kind fixed (price), auction (start_price, reserve, duration), \
         offer (min_offer) or push (buyer, price); returns the listing id.",
        |w: &mut World, actor: &str, name: &str, m: Map| -> R<i64> {
            only_keys(
                &m,
                &[
                    "kind",
                    "price",
                    "start_price",
                    "reserve",
                    "duration",
                    "min_offer",
                    "buyer",
                ],
                "list_for_sale",
            )?;
            let input = listing::ListingInput {
                kind: opt_str(&m, "kind", "list_for_sale")?.unwrap_or_default(),
                price: opt_int(&m, "price", "list_for_sale")?,
                start_price: opt_int(&m, "start_price", "list_for_sale")?,
                reserve: opt_int(&m, "reserve", "list_for_sale")?,
                duration: opt_str(&m, "duration", "list_for_sale")?,
                min_offer: opt_int(&m, "min_offer", "list_for_sale")?,
                buyer: opt_str(&m, "buyer", "list_for_sale")?,
            };
            done(listing::list_for_sale(w, actor, name, &input)).map(i64::from)
        },
    );
    r.world(
        "delist(actor, listing)",
        "Withdraws an open listing (not an auction with bids).",
        |w: &mut World, actor: &str, id: i64| -> R<()> { done(listing::delist(w, actor, id)) },
    );
    r.world(
        "listing(id) -> map",
        "A listing: #{id, domain, seller, kind, state, price, reserve, ends, bids, \
         leader, buyer, created}.",
        |w: &mut World, id: i64| -> R<Dynamic> { view(&done(mviews::listing_view(w, id))?) },
    );
    r.world(
        "shop(seller) -> array",
        "The seller's open listings (regsim shop writes them as an HTML page).",
        |w: &mut World, seller: &str| -> R<Array> {
            done(mviews::shop(w, seller))?.iter().map(view).collect()
        },
    );
    r.world(
        "shop_html(seller) -> string",
        "The seller's shop as a static HTML page.",
        |w: &mut World, seller: &str| -> R<String> { done(crate::report::shop::html(w, seller)) },
    );
    r.world(
        "buy(actor, listing) -> int",
        "Buys a fixed-price listing: money to escrow, automatic transfer; returns the \
         order id.",
        |w: &mut World, actor: &str, id: i64| -> R<i64> {
            done(listing::buy(w, actor, id, None)).map(i64::from)
        },
    );
    r.world(
        "buy(actor, listing, #{profile}) -> int",
        "As buy, making `profile` the registrant.",
        |w: &mut World, actor: &str, id: i64, m: Map| -> R<i64> {
            only_keys(&m, &["profile"], "buy")?;
            let profile = opt_str(&m, "profile", "buy")?;
            done(listing::buy(w, actor, id, profile.as_deref())).map(i64::from)
        },
    );
    r.world(
        "order(id) -> map",
        "An order: #{id, listing, domain, seller, buyer, price, paid, state, deadline}.",
        |w: &mut World, id: i64| -> R<Dynamic> { view(&done(mviews::order_view(w, id))?) },
    );
    r.world(
        "deliver(actor, order)",
        "The seller delivers an order whose automatic transfer failed (refused under the \
         update lock, like any registrant change).",
        |w: &mut World, actor: &str, id: i64| -> R<()> { done(order::deliver(w, actor, id)) },
    );
    r.world(
        "pay(actor, order)",
        "The buyer pays an order awaiting payment (auction won, offer accepted).",
        |w: &mut World, actor: &str, id: i64| -> R<()> { done(order::pay(w, actor, id)) },
    );
    r.world(
        "bid(actor, listing, max) -> int",
        "Places a proxy bid with a maximum; returns the current price (never below a \
         reserve the leader's maximum meets).",
        |w: &mut World, actor: &str, id: i64, max: i64| -> R<i64> {
            done(auction::bid(w, actor, id, max))
        },
    );
    r.world(
        "make_offer(actor, listing, amount) -> int",
        "Offers an amount on an offer listing; returns the offer id.",
        |w: &mut World, actor: &str, id: i64, amount: i64| -> R<i64> {
            done(offer::make_offer(w, actor, id, amount)).map(i64::from)
        },
    );
    r.world(
        "counter_offer(actor, offer, amount)",
        "The seller answers an offer with another amount.",
        |w: &mut World, actor: &str, id: i64, amount: i64| -> R<()> {
            done(offer::counter_offer(w, actor, id, amount))
        },
    );
    r.world(
        "accept_offer(actor, offer) -> int",
        "Accepts an offer (seller) or a counter (buyer); returns the order awaiting \
         payment.",
        |w: &mut World, actor: &str, id: i64| -> R<i64> {
            done(offer::accept_offer(w, actor, id)).map(i64::from)
        },
    );
    r.world(
        "reject_offer(actor, offer)",
        "Rejects an offer (seller) or a counter (buyer).",
        |w: &mut World, actor: &str, id: i64| -> R<()> { done(offer::reject_offer(w, actor, id)) },
    );
    r.world(
        "offer(id) -> map",
        "An offer: #{id, listing, buyer, amount, counter, state, expires, order}.",
        |w: &mut World, id: i64| -> R<Dynamic> { view(&done(mviews::offer_view(w, id))?) },
    );
    r.world(
        "accept_push(actor, listing) -> int",
        "The named buyer accepts a push and pays; returns the order id.",
        |w: &mut World, actor: &str, id: i64| -> R<i64> {
            done(listing::accept_push(w, actor, id, None)).map(i64::from)
        },
    );
    r.world(
        "decline_push(actor, listing)",
        "The named buyer declines a push.",
        |w: &mut World, actor: &str, id: i64| -> R<()> {
            done(listing::decline_push(w, actor, id))
        },
    );
    r.world(
        "backorder(actor, name)",
        "Backorders a name in redemption or pending delete (the backorder price waits in \
         escrow).",
        |w: &mut World, actor: &str, name: &str| -> R<()> {
            done(backorder::backorder(w, actor, name))
        },
    );
    r.world(
        "cancel_backorder(actor, name)",
        "Withdraws one's backorder on a dropping name before it drops; the held price is \
         refunded.",
        |w: &mut World, actor: &str, name: &str| -> R<()> {
            done(backorder::cancel_backorder(w, actor, name))
        },
    );
    r.world(
        "trade_breaches(account) -> int",
        "How many trade breaches (unpaid orders, undelivered sales) an account has on \
         record.",
        |w: &mut World, id: &str| -> R<i64> { done(mviews::breaches(w, id)) },
    );
}
