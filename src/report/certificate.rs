//! The domain certificate as a standalone HTML page.

use crate::ops::certificate::Certificate;

use super::escape as esc;

/// Renders a certificate as one self-contained HTML page (inline style, no assets).
pub fn html(c: &Certificate) -> String {
    let rows = [
        (
            "Domain",
            if c.unicode == c.domain {
                c.domain.clone()
            } else {
                format!("{} ({})", c.unicode, c.domain)
            },
        ),
        ("Registrant", c.registrant.clone()),
        ("Registered", c.registered.clone()),
        ("Expires", c.expires.clone()),
        ("Registrar", c.registrar.clone()),
        ("Issued", c.issued.clone()),
    ];
    let body: String = rows
        .iter()
        .map(|(k, v)| format!("      <tr><th>{}</th><td>{}</td></tr>\n", k, esc(v)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Domain certificate {number}</title>\n<style>\n  body {{ font-family: serif; background: #f6f1e4; }}\n  .cert {{ max-width: 640px; margin: 3em auto; padding: 2.5em; background: #fff; border: 6px double #8a6d3b; }}\n  h1 {{ text-align: center; letter-spacing: .1em; color: #5a4520; }}\n  p.no {{ text-align: center; color: #777; }}\n  table {{ width: 100%; border-collapse: collapse; margin-top: 1.5em; }}\n  th {{ text-align: left; width: 30%; padding: .4em; color: #5a4520; }}\n  td {{ padding: .4em; border-bottom: 1px solid #e4d9bf; }}\n</style>\n</head>\n<body>\n  <div class=\"cert\">\n    <h1>Domain Name Certificate</h1>\n    <p class=\"no\">No. {number}</p>\n    <table>\n{body}    </table>\n  </div>\n</body>\n</html>\n",
        number = esc(&c.number),
    )
}
