//! What the rules call when something happens that a layer above them answers: a name
//! released (backorders, re-registration), a domain lapsed (its listings close) or
//! restored (its backorders end), a behaviour decision point reached, the behaviour
//! model switched on. The rules call these function pointers instead of importing the
//! market or the behaviour model; `crate::dispatch` fills them (its `Default`), so every
//! world built anywhere answers alike.

use super::World;
use super::domain::{DomainId, NameId};
use super::milestone::Milestone;

/// The reactions a world's rules call.
#[derive(Clone, Copy, Debug)]
pub struct Reactions {
    /// A name was released (its domain removed and the event recorded).
    pub released: fn(&mut World, NameId),
    /// A domain entered a phase other than active.
    pub lapsed: fn(&mut World, DomainId),
    /// A domain was restored from redemption.
    pub restored: fn(&mut World, NameId),
    /// A domain reached one of the behaviour model's decision points.
    pub decision: fn(&mut World, DomainId, Milestone),
    /// The behaviour model was switched on by a policy change.
    pub behaviour_started: fn(&mut World),
    /// A domain that owes milestones computed in closed form (notices, quiet phase
    /// changes) is about to change or go: those it owes before the current position are
    /// recorded first.
    pub owed: fn(&mut World, DomainId),
}
