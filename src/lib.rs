//! regsim: a deterministic, script-driven simulator of a domain-name registrar.
//!
//! Layers, from the bottom (docs/ARCHITECTURE.md draws them, names the one exception and
//! walks one request from a script to the digest):
//! - [`sim`]: virtual time, timers, seeded random streams, the event log and digest;
//! - [`model`] and [`refusal`]: the world's data (accounts, profiles, TLD policy,
//!   domains, ledger, events) and the reactions its rules call;
//! - [`ops`]: the rules — every operation, validated then applied;
//! - [`market`]: the trade platform, changing the world only through [`ops`];
//! - [`whatif`]: the behaviour model and generated portfolios (and the sweeps, a face);
//! - [`dispatch`]: the clock and its timers, fired into the layer that owns each kind;
//! - [`fixture`] (YAML worlds) and [`snapshot`];
//! - faces that translate and never decide: [`script`] (rhai), [`serve`] (the Alibaba
//!   Cloud APIs), [`report`] and [`cli`].
//!
//! The API documentation is for the engineers who work on regsim: read it with `cargo doc
//! --document-private-items`, where the links from public items to the crate's own
//! (`pub(crate)`) items resolve.
#![allow(rustdoc::private_intra_doc_links)]

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
