//! The domain certificate: proof of holding an active, real-name verified domain.

use super::guard::{Guard, held};
use crate::model::{Permission, RealName, World, name};
use crate::refusal::{Outcome, Reason, Refusal};
use serde::Serialize;

/// A domain certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Certificate {
    /// Certificate number, stable for a registration.
    pub number: String,
    /// ASCII name.
    pub domain: String,
    /// Unicode name.
    pub unicode: String,
    /// Registrant (organisation, else name).
    pub registrant: String,
    /// Registration time.
    pub registered: String,
    /// Expiry time.
    pub expires: String,
    /// Sponsoring registrar.
    pub registrar: String,
    /// When this certificate was issued.
    pub issued: String,
}

/// Issues the holder's certificate for an active domain whose registrant is verified.
/// Refuses: 2303/2201 actor and domain, 2304 `not_allowed_in_phase` /
/// `pending_delete`, 2306 `no_registrant`, 2306 `real_name_unverified`.
pub fn certificate(world: &World, actor: &str, domain: &str) -> Outcome<Certificate> {
    let h = held(world, actor, domain, Permission::Read)?;
    h.require(world, &[Guard::Active], "issuing a certificate")?;
    let d = world.domain(h.id).expect("live domain");
    let Some(p) = d.profile.get().map(|p| &world.profiles[p as usize]) else {
        return Err(Refusal::new(
            Reason::NoRegistrant,
            format!("{} has no registrant profile", h.name(world)),
        ));
    };
    if p.real_name != RealName::Verified {
        return Err(Refusal::new(
            Reason::RealNameUnverified,
            format!(
                "the registrant of {} is not real-name verified",
                h.name(world)
            ),
        ));
    }
    Ok(Certificate {
        number: format!(
            "RS{}{:09}",
            d.created.get().date_string().replace('-', ""),
            d.name
        ),
        unicode: name::to_unicode(h.name(world)),
        domain: h.name(world).to_string(),
        registrant: if p.organization.is_empty() {
            p.name.clone()
        } else {
            p.organization.clone()
        },
        registered: d.created.get().to_string(),
        expires: d.expires.get().to_string(),
        registrar: world.registrars[d.registrar as usize].id.clone(),
        issued: world.now().to_string(),
    })
}
