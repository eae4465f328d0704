//! The integration tests, in one crate (one link of the library and rhai instead of one
//! per file): the acceptance suite (a test per scenario), the command line, the server
//! against the real Alibaba Cloud clients, bulk and closed-form equality, golden digests,
//! property tests over random operation sequences, hostile input, and the what-if sweeps.

mod bulk;
mod cli;
mod closed_form;
mod common;
mod fuzz;
mod hostile;
mod management_properties;
mod market_properties;
mod one_path_properties;
mod properties;
mod reasons;
mod robustness;
mod scenarios;
mod serve;
mod sweep;
