//! Domain-name normalisation: case folding, IDNA (UTS #46) to A-labels, and the
//! LDH and length rules (label ≤ 63 octets, name ≤ 253).

use crate::refusal::{Reason, Refusal};

/// Longest name in octets (RFC 1035, without the root dot).
pub(crate) const MAX_NAME: usize = 253;
/// Longest label in octets.
pub(crate) const MAX_LABEL: usize = 63;

fn invalid(input: &str, why: impl std::fmt::Display) -> Refusal {
    Refusal::new(
        Reason::InvalidDomainName,
        format!("`{input}` is not a valid domain name: {why}"),
    )
}

/// Normalises a host name to its ASCII form: trims, drops one trailing dot, case-folds,
/// converts internationalised labels to A-labels (punycode), then checks the LDH rule
/// and the lengths. Refuses with 2005 `invalid_domain_name` and the rule broken.
pub fn normalize(input: &str) -> Result<String, Refusal> {
    let trimmed = input.trim();
    let trimmed = trimmed.strip_suffix('.').unwrap_or(trimmed);
    if trimmed.is_empty() {
        return Err(invalid(input, "it is empty"));
    }
    if trimmed.len() > 4 * MAX_NAME {
        return Err(invalid(input, "it is longer than 253 octets"));
    }
    let ascii = if trimmed.is_ascii() {
        trimmed.to_ascii_lowercase()
    } else {
        idna::domain_to_ascii(trimmed).map_err(|_| {
            invalid(
                input,
                "an internationalised label cannot be converted to an A-label",
            )
        })?
    };
    if ascii.len() > MAX_NAME {
        return Err(invalid(
            input,
            format!("it is {} octets long, more than 253", ascii.len()),
        ));
    }
    if !plain_ldh(ascii.as_bytes()) {
        check_labels(input, &ascii)?;
    }
    Ok(ascii)
}

/// [`normalize`], borrowing a name given in normal form already (non-empty labels of
/// lowercase letters, digits and hyphens, no A-label, at most 253 octets: what
/// `normalize` would give back unchanged) instead of copying it.
pub(crate) fn normalize_cow(input: &str) -> Result<std::borrow::Cow<'_, str>, Refusal> {
    if input.len() <= MAX_NAME && plain_ldh(input.as_bytes()) {
        Ok(std::borrow::Cow::Borrowed(input))
    } else {
        normalize(input).map(std::borrow::Cow::Owned)
    }
}

/// Checks each label of a lowercased ASCII name: LDH, lengths, hyphens, A-labels.
fn check_labels(input: &str, ascii: &str) -> Result<(), Refusal> {
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err(invalid(input, "it has an empty label"));
        }
        if label.len() > MAX_LABEL {
            return Err(invalid(
                input,
                format!(
                    "label `{label}` is {} octets long, more than 63",
                    label.len()
                ),
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(invalid(
                input,
                format!(
                    "label `{label}` contains `{c}`; only letters, digits and hyphens are allowed"
                ),
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid(
                input,
                format!("label `{label}` starts or ends with a hyphen"),
            ));
        }
        if label.len() >= 4 && &label[2..4] == "--" {
            if !label.starts_with("xn--") {
                return Err(invalid(
                    input,
                    format!(
                        "label `{label}` has hyphens in the third and fourth positions but is not an xn-- A-label"
                    ),
                ));
            }
            let (_, result) = idna::domain_to_unicode(label);
            if result.is_err() {
                return Err(invalid(
                    input,
                    format!("label `{label}` is not valid punycode"),
                ));
            }
        }
    }
    Ok(())
}

/// One pass over the bytes of a lowercased name: true when every label is 1..=63
/// letters, digits and hyphens, with no hyphen at either end and none in the third and
/// fourth positions (so no A-label to check). Anything else takes the label-by-label
/// path, which also words the refusal.
fn plain_ldh(name: &[u8]) -> bool {
    let mut start = 0;
    for (i, &b) in name.iter().enumerate() {
        if b == b'.' {
            if !plain_label(&name[start..i]) {
                return false;
            }
            start = i + 1;
        } else if !matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-') {
            return false;
        }
    }
    plain_label(&name[start..])
}

/// A label of lowercase letters, digits and hyphens (checked by the caller) that needs no
/// further check: not empty, at most 63 octets, no hyphen at either end, and no hyphens
/// in its third and fourth places (an A-label, or reserved for one).
fn plain_label(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= MAX_LABEL
        && label[0] != b'-'
        && label[label.len() - 1] != b'-'
        && !(label.len() >= 4 && label[2] == b'-' && label[3] == b'-')
}

/// The Unicode (U-label) form of an ASCII name, for display.
pub(crate) fn to_unicode(ascii: &str) -> String {
    idna::domain_to_unicode(ascii).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `normalize_cow` gives what `normalize` gives, and borrows only when that is
        /// the input unchanged (a valid A-label, unchanged too, is copied: telling it
        /// needs the full checks).
        #[test]
        fn the_borrowed_form_is_the_normal_form(input in "[a-zA-Z0-9. -]{0,20}|[a-z0-9-]{60,70}\\.[a-z]{2,3}|xn--[a-z0-9-]{0,8}\\.com") {
            let cow = normalize_cow(&input);
            let full = normalize(&input);
            match (&cow, &full) {
                (Ok(c), Ok(f)) => {
                    prop_assert_eq!(c.as_ref(), f.as_str());
                    if matches!(c, std::borrow::Cow::Borrowed(_)) {
                        prop_assert_eq!(f, &input);
                    }
                }
                (Err(c), Err(f)) => prop_assert_eq!(c, f),
                _ => prop_assert!(false, "{input:?}: {cow:?} against {full:?}"),
            }
        }
    }

    #[test]
    fn folds_case_and_trailing_dot() {
        use std::borrow::Cow;
        assert!(matches!(
            normalize_cow("example.com").unwrap(),
            Cow::Borrowed("example.com")
        ));
        assert!(
            matches!(normalize_cow("Example.com").unwrap(), Cow::Owned(n) if n == "example.com")
        );
        assert_eq!(normalize("Example.COM.").unwrap(), "example.com");
        assert_eq!(normalize("  a-b.net ").unwrap(), "a-b.net");
    }

    #[test]
    fn converts_idn_to_a_labels() {
        assert_eq!(normalize("bücher.com").unwrap(), "xn--bcher-kva.com");
        assert_eq!(normalize("BÜCHER.com").unwrap(), "xn--bcher-kva.com");
        assert_eq!(normalize("例子.cn").unwrap(), "xn--fsqu00a.cn");
        assert_eq!(normalize("xn--fsqu00a.cn").unwrap(), "xn--fsqu00a.cn");
        assert_eq!(to_unicode("xn--bcher-kva.com"), "bücher.com");
    }

    #[test]
    fn the_fast_path_accepts_only_what_the_label_checks_accept() {
        // Every string of up to 6 characters over an alphabet with the troublesome
        // characters (dot, hyphen, digit, letters of `xn`).
        let alphabet = [b'a', b'x', b'n', b'0', b'-', b'.'];
        let mut accepted = 0;
        for len in 1..=6u32 {
            for mut code in 0..6usize.pow(len) {
                let mut s = Vec::new();
                for _ in 0..len {
                    s.push(alphabet[code % 6]);
                    code /= 6;
                }
                let s = String::from_utf8(s).unwrap();
                if plain_ldh(s.as_bytes()) {
                    accepted += 1;
                    assert!(check_labels(&s, &s).is_ok(), "{s}");
                }
            }
        }
        assert!(accepted > 10_000);
    }

    #[test]
    fn enforces_ldh_and_lengths() {
        for bad in [
            "",
            ".",
            "a..com",
            "-a.com",
            "a-.com",
            "a_b.com",
            "a b.com",
            "ab--cd.com",
            "xn--zz-.com",
            "a!.com",
        ] {
            let e = normalize(bad).unwrap_err();
            assert_eq!(e.code, crate::refusal::Code::ValueSyntax, "{bad}");
            assert_eq!(e.reason, "invalid_domain_name", "{bad}");
        }
        let label63 = "a".repeat(63);
        assert!(normalize(&format!("{label63}.com")).is_ok());
        assert!(normalize(&format!("{}a.com", label63)).is_err());
        let long = format!("{0}.{0}.{0}.{1}.com", label63, "b".repeat(58));
        assert_eq!(long.len(), 254);
        assert!(normalize(&long).is_err());
        assert!(normalize(&long[1..]).is_ok());
    }
}
