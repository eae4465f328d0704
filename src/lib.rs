//! regsim: a deterministic, script-driven simulator of a domain-name registrar.
//!
//! Layers, each using only the ones below it:
//! - [`sim`]: virtual time, timers, seeded random streams, the event log and digest;
//! - [`model`]: the world's data (accounts, profiles, TLD policy, domains, ledger);
//! - [`ops`]: the rules — every operation, validated then applied (with [`market`]);
//! - [`whatif`]: the behaviour model, generated portfolios, metrics and studies;
//! - [`dispatch`]: the clock and its timers, fired into the layer that owns each kind;
//! - [`fixture`] (YAML worlds), [`snapshot`], [`script`] (the rhai face),
//!   [`report`] and [`cli`]: faces that translate and never decide.

pub mod alloc;
pub mod cli;
pub mod dispatch;
pub mod files;
pub mod fixture;
pub mod market;
pub mod model;
pub mod ops;
pub mod refusal;
pub mod report;
pub mod script;
pub mod serve;
pub mod sim;
pub mod snapshot;
pub mod whatif;

pub use model::World;
pub use refusal::{Code, Refusal};
