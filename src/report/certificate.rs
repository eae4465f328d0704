//! The domain certificate as a standalone HTML page.

use super::{page, printable};
use crate::ops::certificate::Certificate;
use askama::Template;

/// The certificate page; every value is escaped by the template.
#[derive(Template)]
#[template(
    ext = "html",
    source = r#"  <div class="cert">
    <h1>Domain Name Certificate</h1>
    <p class="no">No. {{ number }}</p>
    <table>
{%- for (label, value) in rows %}
      <tr><th>{{ label }}</th><td>{{ value }}</td></tr>
{%- endfor %}
    </table>
  </div>
"#
)]
struct CertificatePage {
    number: String,
    rows: Vec<(&'static str, String)>,
}

const STYLE: &str = "  body { font-family: serif; background: #f6f1e4; }
  .cert { max-width: 640px; margin: 3em auto; padding: 2.5em; background: #fff; border: 6px double #8a6d3b; }
  h1 { text-align: center; letter-spacing: .1em; color: #5a4520; }
  p.no { text-align: center; color: #777; }
  table { width: 100%; border-collapse: collapse; margin-top: 1.5em; }
  th { text-align: left; width: 30%; padding: .4em; color: #5a4520; }
  td { padding: .4em; border-bottom: 1px solid #e4d9bf; }
";

/// Renders a certificate as one self-contained HTML page (inline style, no assets).
pub fn html(c: &Certificate) -> String {
    let domain = if c.unicode == c.domain {
        c.domain.clone()
    } else {
        format!("{} ({})", c.unicode, c.domain)
    };
    let rows = [
        ("Domain", domain),
        ("Registrant", c.registrant.clone()),
        ("Registered", c.registered.clone()),
        ("Expires", c.expires.clone()),
        ("Registrar", c.registrar.clone()),
        ("Issued", c.issued.clone()),
    ];
    let title = format!("Domain certificate {}", c.number);
    page(
        &title,
        STYLE,
        &CertificatePage {
            number: printable(&c.number),
            rows: rows.into_iter().map(|(k, v)| (k, printable(&v))).collect(),
        },
    )
}
