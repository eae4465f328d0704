//! The world's data: accounts, profiles, registrars, TLD policy, domains (with their
//! derived phases and statuses), the ledger, notifications and events.

pub mod account;
pub mod add_grace;
pub mod api_task;
pub mod behaviour;
pub mod compliance;
pub mod dns;
pub mod domain;
pub mod event;
pub mod event_stream;
pub mod ledger;
pub mod market;
pub mod metrics;
pub mod milestone;
pub mod name;
pub mod names;
pub mod notification;
pub mod reactions;
pub mod rules;
pub(crate) mod slug;
pub mod timer;
pub mod tld;
pub mod transfer;
pub mod world;

pub use account::{
    AccessKey, Account, AccountKind, Console, DOCUMENT_KINDS, Document, Permission, Profile,
    RamUser, RealName, Registrar,
};
pub use add_grace::{AddGraceCharge, AddGraceCharges};
pub use api_task::{ApiTask, ApiTaskDetail};
pub use behaviour::Behaviour;
pub use compliance::{IcpFile, IcpKind, IcpOrder, IcpStage, Region, Site};
pub use dns::{AuditEntry, DomainData, Record, RecordType};
pub use domain::{
    AccountId, Domain, DomainId, DomainRef, Lock, Locks, NameId, OptProfile, Phase, ProfileId,
    Status,
};
pub use event::WatchChange;
pub use event::{
    AccessAction, DataAction, Event, EventKind, Field, MarketAction, Notice, Resolve,
    ReviewOutcome, TransferEnd, Violation,
};
pub use ledger::{Book, Ledger, Memo, Posting};
pub use market::{
    Backorder, Bid, Listing, ListingKind, ListingState, Market, Offer, OfferState, Order,
    OrderState,
};
pub use metrics::{Counters, Metrics, Sample};
pub use notification::Notification;
pub use reactions::Reactions;
pub use rules::Rules;
pub use timer::{Position, TimerKind};
pub use tld::{Catalog, Tld, TldPatch};
pub use transfer::{Direction, Transfer};
pub use world::{Retention, World};
