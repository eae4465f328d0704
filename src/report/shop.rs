//! A seller's shop (its open listings) as a static HTML page.

use super::{page, printable};
use crate::World;
use crate::market::views::shop;
use crate::refusal::Outcome;
use askama::Template;

/// The shop page; every value is escaped by the template.
#[derive(Template)]
#[template(
    ext = "html",
    source = r#"  <h1>Domains for sale by {{ seller }}</h1>
  <table>
    <tr><th>Domain</th><th class="price">Price</th><th>Sale</th></tr>
{%- for row in rows %}
    <tr><td>{{ row.domain }}</td><td class="price">CNY {{ row.price }}</td><td>{{ row.sale }}</td></tr>
{%- endfor %}
  </table>
"#
)]
struct ShopPage {
    seller: String,
    rows: Vec<ShopRow>,
}

/// One listing on the shop page.
struct ShopRow {
    /// The name, in Unicode.
    domain: String,
    /// The price in yuan, two decimals.
    price: String,
    /// How it is sold: buy now, auction, offer, or reserved for a buyer.
    sale: String,
}

const STYLE: &str = "  body { font-family: sans-serif; max-width: 760px; margin: 2em auto; }
  table { width: 100%; border-collapse: collapse; }
  td, th { padding: .5em; border-bottom: 1px solid #ddd; text-align: left; }
  .price { text-align: right; font-variant-numeric: tabular-nums; }
";

/// The seller's shop as a static HTML page.
/// Refuses: 2303 `no_such_account`.
pub fn html(world: &World, seller: &str) -> Outcome<String> {
    let rows = shop(world, seller)?
        .iter()
        .map(|l| {
            let sale = match (l.kind.as_str(), &l.ends) {
                ("auction", Some(ends)) => format!("auction, {} bids, ends {ends}", l.bids),
                ("offer", _) => "make an offer".to_string(),
                ("push", _) => format!("reserved for {}", l.buyer.clone().unwrap_or_default()),
                _ => "buy now".to_string(),
            };
            ShopRow {
                domain: printable(&crate::model::name::to_unicode(&l.domain)),
                price: format!("{}.{:02}", l.price / 100, l.price % 100),
                sale: printable(&sale),
            }
        })
        .collect();
    let title = format!("Domains for sale by {seller}");
    Ok(page(
        &title,
        STYLE,
        &ShopPage {
            seller: printable(seller),
            rows,
        },
    ))
}
