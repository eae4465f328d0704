//! Syntax checks for registrant data: email, E.164 phone, ISO 3166 country codes,
//! identity documents, host names. Each refusal is 2005 and names the field.

use crate::model::DOCUMENT_KINDS;
use crate::refusal::{Outcome, Reason, Refusal};

/// ISO 3166-1 alpha-2 codes (officially assigned).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL \
BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM \
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC \
LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE \
NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD \
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA \
UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

fn bad(reason: Reason, message: String) -> Refusal {
    Refusal::new(reason, message)
}

/// A registrant or organisation name: 1–100 characters, no control characters.
/// Refuses: 2005 `invalid_name`.
pub(crate) fn person_name(field: &str, value: &str, required: bool) -> Outcome<()> {
    let n = value.chars().count();
    if (required && value.trim().is_empty()) || n > 100 || value.chars().any(char::is_control) {
        return Err(bad(
            Reason::InvalidName,
            format!("{field} `{value}` must be 1 to 100 characters without control characters"),
        ));
    }
    Ok(())
}

/// An email address: `local@domain` with a dotted domain of LDH labels.
/// Refuses: 2005 `invalid_email`.
pub fn email(value: &str) -> Outcome<()> {
    let ok = value.len() <= 254
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.len() <= 64
                && !local.contains(['@', ' '])
                && !local.chars().any(char::is_control)
                && domain.contains('.')
                && crate::model::name::normalize(domain).is_ok()
        });
    if ok {
        Ok(())
    } else {
        Err(bad(
            Reason::InvalidEmail,
            format!("email `{value}` is not an address of the form name@example.com"),
        ))
    }
}

/// A phone number in E.164 form: `+`, then 8 to 15 digits, the first not 0.
/// Refuses: 2005 `invalid_phone`.
pub fn phone(value: &str) -> Outcome<()> {
    let digits = value.strip_prefix('+').unwrap_or("");
    let ok = (8..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if ok {
        Ok(())
    } else {
        Err(bad(
            Reason::InvalidPhone,
            format!("phone `{value}` is not in E.164 form, e.g. +8613800138000"),
        ))
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case.
/// Refuses: 2005 `invalid_country`.
pub fn country(value: &str) -> Outcome<()> {
    if value.len() == 2 && COUNTRIES.split(' ').any(|c| c == value) {
        Ok(())
    } else {
        Err(bad(
            Reason::InvalidCountry,
            format!("country `{value}` is not an ISO 3166 alpha-2 code such as CN or US"),
        ))
    }
}

/// An identity document: a known kind and a number of 4–32 letters and digits.
/// Refuses: 2005 `invalid_document`.
pub fn document(kind: &str, number: &str) -> Outcome<()> {
    if !DOCUMENT_KINDS.contains(&kind) {
        return Err(bad(
            Reason::InvalidDocument,
            format!(
                "document kind `{kind}` is not one of {}",
                DOCUMENT_KINDS.join(", ")
            ),
        ));
    }
    if !(4..=32).contains(&number.len()) || !number.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad(
            Reason::InvalidDocument,
            format!("document number `{number}` must be 4 to 32 letters and digits"),
        ));
    }
    Ok(())
}

/// A DNS owner or target name: case-folded, IDN to A-labels, one trailing dot dropped;
/// labels of letters, digits, `-` and `_` (service labels such as `_dmarc`), and with
/// `wildcard` a leading `*` label. Returns the normalised name.
/// Refuses: 2005 with the reason given.
pub(crate) fn dns_name(
    value: &str,
    wildcard: bool,
    reason: Reason,
    field: &str,
) -> Outcome<String> {
    let t = value.trim();
    let t = t.strip_suffix('.').unwrap_or(t);
    let ascii = if t.is_ascii() {
        t.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(t).map_err(|_| {
            bad(
                reason,
                format!("{field} `{value}` has a label that cannot be converted to an A-label"),
            )
        })?
    };
    let fail = |why: &str| {
        bad(
            reason,
            format!("{field} `{value}` is not a valid DNS name: {why}"),
        )
    };
    if ascii.is_empty() || ascii.len() > 253 {
        return Err(fail("it must be 1 to 253 octets"));
    }
    for (i, label) in ascii.split('.').enumerate() {
        if label == "*" && wildcard && i == 0 {
            continue;
        }
        if label.is_empty() || label.len() > 63 {
            return Err(fail("labels are 1 to 63 octets"));
        }
        if !label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(fail("labels hold letters, digits, `-` and `_` only"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(fail("a label starts or ends with a hyphen"));
        }
    }
    Ok(ascii)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_fields() {
        assert!(email("li@example.cn").is_ok());
        for bad in ["li", "@x.cn", "li@", "li@localhost", "a b@x.cn", "li@x..cn"] {
            assert_eq!(email(bad).unwrap_err().reason, "invalid_email", "{bad}");
        }
        assert!(phone("+8613800138000").is_ok());
        for bad in [
            "13800138000",
            "+0123456789",
            "+86 138",
            "+1234567",
            "+1234567890123456",
        ] {
            assert_eq!(phone(bad).unwrap_err().reason, "invalid_phone", "{bad}");
        }
        assert!(country("CN").is_ok() && country("US").is_ok());
        for bad in ["cn", "XX", "CHN", ""] {
            assert_eq!(country(bad).unwrap_err().reason, "invalid_country", "{bad}");
        }
        assert!(document("id_card", "110101199003071234").is_ok());
        assert!(document("visa", "1234").is_err());
        assert!(document("passport", "12").is_err());
        assert!(person_name("name", "", true).is_err());
        assert!(person_name("organization", "", false).is_ok());
    }
}
