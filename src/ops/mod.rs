//! Operations: every rule of the registrar lives here, once. Each operation validates
//! first and then applies, so a refused operation changes nothing.

pub mod access;
pub mod accounts;
pub mod actor;
pub mod certificate;
pub mod dns;
pub(crate) mod guard;
pub mod icp;
pub mod lifecycle;
pub mod lookup;
pub mod notify;
pub mod ownership;
pub mod policy;
pub mod profiles;
pub mod registrant;
pub mod seed;
pub mod status;
pub mod timeline;
pub mod transfer;
pub mod validate;
pub mod views;
pub mod watch;

pub use accounts::{deposit, open_account};
pub use lifecycle::{
    Availability, AvailabilityReason, RegisterOptions, check, delete, register, renew, restore,
    set_auto_renew, set_lock,
};
pub use policy::set_policy;
