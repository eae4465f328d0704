//! `Refusal`: the one error type of every operation — an EPP result code (RFC 5730
//! §3), a stable snake_case reason slug, and a message naming the thing and the rule.

use serde::{Deserialize, Serialize};
use std::fmt;

/// EPP result codes regsim uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[repr(u16)]
pub enum Code {
    /// 2004 parameter value range error.
    ValueRange = 2004,
    /// 2005 parameter value syntax error.
    ValueSyntax = 2005,
    /// 2104 billing failure.
    Billing = 2104,
    /// 2105 object is not eligible for renewal.
    NotRenewable = 2105,
    /// 2106 object is not eligible for transfer.
    NotTransferable = 2106,
    /// 2201 authorization error.
    Authorization = 2201,
    /// 2202 invalid authorization information.
    BadAuthInfo = 2202,
    /// 2302 object exists.
    Exists = 2302,
    /// 2303 object does not exist.
    DoesNotExist = 2303,
    /// 2304 object status prohibits operation.
    StatusProhibits = 2304,
    /// 2306 parameter value policy error.
    Policy = 2306,
}

impl Code {
    /// The numeric EPP result code.
    pub fn number(self) -> u16 {
        self as u16
    }
}

/// Why an operation was refused. A refused operation has changed nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The EPP result code (the reason's).
    pub code: Code,
    /// The reason, whose slug (e.g. `not_renewable_in_phase`) scripts see.
    pub reason: Reason,
    /// A sentence naming the object and the rule.
    pub message: String,
}

impl Refusal {
    /// A refusal for `reason` (which gives the EPP code) with a message naming the
    /// thing and the rule.
    pub fn new(reason: Reason, message: impl Into<String>) -> Refusal {
        produced::note(reason);
        Refusal {
            code: reason.code(),
            reason,
            message: message.into(),
        }
    }
}

/// Every reason an operation is refused for: its stable slug and its EPP code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// 2005 `invalid_domain_name`.
    InvalidDomainName,
    /// 2004 `ttl_out_of_range`.
    TtlOutOfRange,
    /// 2004 `priority_out_of_range`.
    PriorityOutOfRange,
    /// 2302 `record_exists`.
    RecordExists,
    /// 2306 `too_many_records`.
    TooManyRecords,
    /// 2303 `no_such_record`.
    NoSuchRecord,
    /// 2302 `zone_hosted`.
    ZoneHosted,
    /// 2303 `zone_not_hosted`.
    ZoneNotHosted,
    /// 2304 `update_prohibited`.
    UpdateProhibited,
    /// 2004 `nameserver_count`.
    NameserverCount,
    /// 2005 `invalid_record_type`.
    InvalidRecordType,
    /// 2005 `invalid_record`.
    InvalidRecord,
    /// 2005 `cname_conflict`.
    CnameConflict,
    /// 2005 `invalid_nameserver`.
    InvalidNameserver,
    /// 2306 `same_account`.
    SameAccount,
    /// 2304 `in_trade`.
    InTrade,
    /// 2005 `unknown_tld`.
    UnknownTld,
    /// 2303 `no_such_domain`.
    NoSuchDomain,
    /// 2303 `no_such_profile`.
    NoSuchProfile,
    /// 2302 `registrar_exists`.
    RegistrarExists,
    /// 2306 `too_many_registrars`.
    TooManyRegistrars,
    /// 2302 `user_exists`.
    UserExists,
    /// 2302 `access_key_exists`.
    AccessKeyExists,
    /// 2005 `invalid_access_key`.
    InvalidAccessKey,
    /// 2302 `profile_exists`.
    ProfileExists,
    /// 2306 `created_in_future`.
    CreatedInFuture,
    /// 2302 `already_registered`.
    AlreadyRegistered,
    /// 2201 `not_owner`.
    NotOwner,
    /// 2303 `no_such_registrar`.
    NoSuchRegistrar,
    /// 2306 `expires_before_created`.
    ExpiresBeforeCreated,
    /// 2306 `deleted_out_of_order`.
    DeletedOutOfOrder,
    /// 2306 `already_released`.
    AlreadyReleased,
    /// 2005 `invalid_registrar_id`.
    InvalidRegistrarId,
    /// 2005 `invalid_user_name`.
    InvalidUserName,
    /// 2005 `invalid_profile_id`.
    InvalidProfileId,
    /// 2004 `time_in_past`.
    TimeInPast,
    /// 2005 `invalid_span`.
    InvalidSpan,
    /// 2005 `invalid_time`.
    InvalidTime,
    /// 2005 `invalid_name`.
    InvalidName,
    /// 2005 `invalid_email`.
    InvalidEmail,
    /// 2005 `invalid_phone`.
    InvalidPhone,
    /// 2005 `invalid_country`.
    InvalidCountry,
    /// 2005 `invalid_document`.
    InvalidDocument,
    /// 2303 `no_such_account`.
    NoSuchAccount,
    /// 2303 `no_such_user`.
    NoSuchUser,
    /// 2201 `permission_denied`.
    PermissionDenied,
    /// 2304 `review_pending`.
    ReviewPending,
    /// 2304 `profile_in_use`.
    ProfileInUse,
    /// 2304 `already_verified`.
    AlreadyVerified,
    /// 2306 `document_missing`.
    DocumentMissing,
    /// 2005 `invalid_account_id`.
    InvalidAccountId,
    /// 2004 `amount_not_positive`.
    AmountNotPositive,
    /// 2004 `amount_too_large`.
    AmountTooLarge,
    /// 2302 `account_exists`.
    AccountExists,
    /// 2303 `unknown_tld`.
    NoSuchTld,
    /// 2005 `invalid_price_kind`.
    InvalidPriceKind,
    /// 2005 `unknown_policy_key`.
    UnknownPolicyKey,
    /// 2005 `invalid_actor`.
    InvalidActor,
    /// 2005 `unknown_permission`.
    UnknownPermission,
    /// 2306 `not_an_agent`.
    NotAnAgent,
    /// 2306 `console_disabled_permanently`.
    ConsoleDisabledPermanently,
    /// 2304 `console_not_enabled`.
    ConsoleNotEnabled,
    /// 2306 `no_registrant`.
    NoRegistrant,
    /// 2306 `real_name_unverified`.
    RealNameUnverified,
    /// 2004 `years_out_of_range`.
    YearsOutOfRange,
    /// 2004 `beyond_clock_end`.
    BeyondClockEnd,
    /// 2306 `term_exceeds_max`.
    TermExceedsMax,
    /// 2104 `insufficient_funds`.
    InsufficientFunds,
    /// 2304 `pending_delete`.
    PendingDelete,
    /// 2304 `not_allowed_in_phase`.
    NotAllowedInPhase,
    /// 2201 `not_sponsoring_registrar`.
    NotSponsoringRegistrar,
    /// 2304 `pending_transfer`.
    PendingTransfer,
    /// 2105 `not_renewable_in_phase`.
    NotRenewableInPhase,
    /// 2304 `not_in_redemption`.
    NotInRedemption,
    /// 2304 `delete_prohibited`.
    DeleteProhibited,
    /// 2005 `invalid_lock`.
    InvalidLock,
    /// 2005 `invalid_icp_kind`.
    InvalidIcpKind,
    /// 2302 `icp_order_exists`.
    IcpOrderExists,
    /// 2302 `already_approved`.
    AlreadyApproved,
    /// 2304 `no_sms_pending`.
    NoSmsPending,
    /// 2005 `invalid_region`.
    InvalidRegion,
    /// 2302 `site_exists`.
    SiteExists,
    /// 2304 `no_site`.
    NoSite,
    /// 2302 `psb_filed`.
    PsbFiled,
    /// 2306 `tld_not_fileable`.
    TldNotFileable,
    /// 2306 `registrant_mismatch`.
    RegistrantMismatch,
    /// 2306 `psb_not_required`.
    PsbNotRequired,
    /// 2306 `own_domain`.
    OwnDomain,
    /// 2302 `already_watching`.
    AlreadyWatching,
    /// 2303 `not_watching`.
    NotWatching,
    /// 2004 `policy_value_out_of_range`.
    PolicyValueOutOfRange,
    /// 2005 `invalid_policy_value`.
    InvalidPolicyValue,
    /// 2306 `same_registrant`.
    SameRegistrant,
    /// 2304 `transfer_prohibited`.
    TransferProhibited,
    /// 2304 `on_hold`.
    OnHold,
    /// 2106 `transfer_locked_60_days`.
    TransferLocked60Days,
    /// 2106 `too_close_to_expiry`.
    TooCloseToExpiry,
    /// 2202 `bad_auth_code`.
    BadAuthCode,
    /// 2306 `already_at_home`.
    AlreadyAtHome,
    /// 2306 `not_at_home`.
    NotAtHome,
    /// 2303 `no_pending_transfer`.
    NoPendingTransfer,
    /// 2004 `generate_out_of_range`.
    GenerateOutOfRange,
    /// 2005 `invalid_decision`.
    InvalidDecision,
    /// 2004 `offer_too_low`.
    OfferTooLow,
    /// 2306 `not_an_offer_listing`.
    NotAnOfferListing,
    /// 2201 `not_your_turn`.
    NotYourTurn,
    /// 2304 `offer_closed`.
    OfferClosed,
    /// 2304 `listing_not_open`.
    ListingNotOpen,
    /// 2304 `not_awaiting_delivery`.
    NotAwaitingDelivery,
    /// 2304 `not_awaiting_payment`.
    NotAwaitingPayment,
    /// 2306 `trading_frozen`.
    TradingFrozen,
    /// 2306 `own_listing`.
    OwnListing,
    /// 2306 `not_an_auction`.
    NotAnAuction,
    /// 2304 `auction_closed`.
    AuctionClosed,
    /// 2201 `not_invited`.
    NotInvited,
    /// 2004 `bid_too_low`.
    BidTooLow,
    /// 2306 `not_dropping`.
    NotDropping,
    /// 2302 `already_backordered`.
    AlreadyBackordered,
    /// 2005 `invalid_option`.
    InvalidOption,
    /// 2306 `listing_too_close_to_expiry`.
    ListingTooCloseToExpiry,
    /// 2306 `listing_too_new`.
    ListingTooNew,
    /// 2302 `already_listed`.
    AlreadyListed,
    /// 2004 `duration_out_of_range`.
    DurationOutOfRange,
    /// 2005 `invalid_listing_kind`.
    InvalidListingKind,
    /// 2304 `has_bids`.
    HasBids,
    /// 2306 `not_fixed_price`.
    NotFixedPrice,
    /// 2306 `not_a_push`.
    NotAPush,
    /// 2201 `not_the_buyer`.
    NotTheBuyer,
    /// 2005 `unknown_option`.
    UnknownOption,
    /// 2005 `unknown_event_kind`.
    UnknownEventKind,
    /// 2005 `invalid_snapshot`.
    InvalidSnapshot,
    /// 2005 `fork_busy`.
    ForkBusy,
    /// 2303 `no_such_listing`.
    NoSuchListing,
    /// 2303 `no_such_order`.
    NoSuchOrder,
    /// 2303 `no_such_offer`.
    NoSuchOffer,
    /// 2303 `no_such_backorder`.
    NoSuchBackorder,
}

impl Reason {
    /// Every reason, in declaration order.
    pub const ALL: [Reason; 136] = [
        Reason::InvalidDomainName,
        Reason::TtlOutOfRange,
        Reason::PriorityOutOfRange,
        Reason::RecordExists,
        Reason::TooManyRecords,
        Reason::NoSuchRecord,
        Reason::ZoneHosted,
        Reason::ZoneNotHosted,
        Reason::UpdateProhibited,
        Reason::NameserverCount,
        Reason::InvalidRecordType,
        Reason::InvalidRecord,
        Reason::CnameConflict,
        Reason::InvalidNameserver,
        Reason::SameAccount,
        Reason::InTrade,
        Reason::UnknownTld,
        Reason::NoSuchDomain,
        Reason::NoSuchProfile,
        Reason::RegistrarExists,
        Reason::TooManyRegistrars,
        Reason::UserExists,
        Reason::AccessKeyExists,
        Reason::InvalidAccessKey,
        Reason::ProfileExists,
        Reason::CreatedInFuture,
        Reason::AlreadyRegistered,
        Reason::NotOwner,
        Reason::NoSuchRegistrar,
        Reason::ExpiresBeforeCreated,
        Reason::DeletedOutOfOrder,
        Reason::AlreadyReleased,
        Reason::InvalidRegistrarId,
        Reason::InvalidUserName,
        Reason::InvalidProfileId,
        Reason::TimeInPast,
        Reason::InvalidSpan,
        Reason::InvalidTime,
        Reason::InvalidName,
        Reason::InvalidEmail,
        Reason::InvalidPhone,
        Reason::InvalidCountry,
        Reason::InvalidDocument,
        Reason::NoSuchAccount,
        Reason::NoSuchUser,
        Reason::PermissionDenied,
        Reason::ReviewPending,
        Reason::ProfileInUse,
        Reason::AlreadyVerified,
        Reason::DocumentMissing,
        Reason::InvalidAccountId,
        Reason::AmountNotPositive,
        Reason::AmountTooLarge,
        Reason::AccountExists,
        Reason::NoSuchTld,
        Reason::InvalidPriceKind,
        Reason::UnknownPolicyKey,
        Reason::InvalidActor,
        Reason::UnknownPermission,
        Reason::NotAnAgent,
        Reason::ConsoleDisabledPermanently,
        Reason::ConsoleNotEnabled,
        Reason::NoRegistrant,
        Reason::RealNameUnverified,
        Reason::YearsOutOfRange,
        Reason::BeyondClockEnd,
        Reason::TermExceedsMax,
        Reason::InsufficientFunds,
        Reason::PendingDelete,
        Reason::NotAllowedInPhase,
        Reason::NotSponsoringRegistrar,
        Reason::PendingTransfer,
        Reason::NotRenewableInPhase,
        Reason::NotInRedemption,
        Reason::DeleteProhibited,
        Reason::InvalidLock,
        Reason::InvalidIcpKind,
        Reason::IcpOrderExists,
        Reason::AlreadyApproved,
        Reason::NoSmsPending,
        Reason::InvalidRegion,
        Reason::SiteExists,
        Reason::NoSite,
        Reason::PsbFiled,
        Reason::TldNotFileable,
        Reason::RegistrantMismatch,
        Reason::PsbNotRequired,
        Reason::OwnDomain,
        Reason::AlreadyWatching,
        Reason::NotWatching,
        Reason::PolicyValueOutOfRange,
        Reason::InvalidPolicyValue,
        Reason::SameRegistrant,
        Reason::TransferProhibited,
        Reason::OnHold,
        Reason::TransferLocked60Days,
        Reason::TooCloseToExpiry,
        Reason::BadAuthCode,
        Reason::AlreadyAtHome,
        Reason::NotAtHome,
        Reason::NoPendingTransfer,
        Reason::GenerateOutOfRange,
        Reason::InvalidDecision,
        Reason::OfferTooLow,
        Reason::NotAnOfferListing,
        Reason::NotYourTurn,
        Reason::OfferClosed,
        Reason::ListingNotOpen,
        Reason::NotAwaitingDelivery,
        Reason::NotAwaitingPayment,
        Reason::TradingFrozen,
        Reason::OwnListing,
        Reason::NotAnAuction,
        Reason::AuctionClosed,
        Reason::NotInvited,
        Reason::BidTooLow,
        Reason::NotDropping,
        Reason::AlreadyBackordered,
        Reason::InvalidOption,
        Reason::ListingTooCloseToExpiry,
        Reason::ListingTooNew,
        Reason::AlreadyListed,
        Reason::DurationOutOfRange,
        Reason::InvalidListingKind,
        Reason::HasBids,
        Reason::NotFixedPrice,
        Reason::NotAPush,
        Reason::NotTheBuyer,
        Reason::UnknownOption,
        Reason::UnknownEventKind,
        Reason::InvalidSnapshot,
        Reason::ForkBusy,
        Reason::NoSuchListing,
        Reason::NoSuchOrder,
        Reason::NoSuchOffer,
        Reason::NoSuchBackorder,
    ];

    /// The EPP result code refusals for this reason carry.
    pub fn code(self) -> Code {
        match self {
            Reason::InvalidDomainName => Code::ValueSyntax,
            Reason::TtlOutOfRange => Code::ValueRange,
            Reason::PriorityOutOfRange => Code::ValueRange,
            Reason::RecordExists => Code::Exists,
            Reason::TooManyRecords => Code::Policy,
            Reason::NoSuchRecord => Code::DoesNotExist,
            Reason::ZoneHosted => Code::Exists,
            Reason::ZoneNotHosted => Code::DoesNotExist,
            Reason::UpdateProhibited => Code::StatusProhibits,
            Reason::NameserverCount => Code::ValueRange,
            Reason::InvalidRecordType => Code::ValueSyntax,
            Reason::InvalidRecord => Code::ValueSyntax,
            Reason::CnameConflict => Code::ValueSyntax,
            Reason::InvalidNameserver => Code::ValueSyntax,
            Reason::SameAccount => Code::Policy,
            Reason::InTrade => Code::StatusProhibits,
            Reason::UnknownTld => Code::ValueSyntax,
            Reason::NoSuchDomain => Code::DoesNotExist,
            Reason::NoSuchProfile => Code::DoesNotExist,
            Reason::RegistrarExists => Code::Exists,
            Reason::TooManyRegistrars => Code::Policy,
            Reason::UserExists => Code::Exists,
            Reason::AccessKeyExists => Code::Exists,
            Reason::InvalidAccessKey => Code::ValueSyntax,
            Reason::ProfileExists => Code::Exists,
            Reason::CreatedInFuture => Code::Policy,
            Reason::AlreadyRegistered => Code::Exists,
            Reason::NotOwner => Code::Authorization,
            Reason::NoSuchRegistrar => Code::DoesNotExist,
            Reason::ExpiresBeforeCreated => Code::Policy,
            Reason::DeletedOutOfOrder => Code::Policy,
            Reason::AlreadyReleased => Code::Policy,
            Reason::InvalidRegistrarId => Code::ValueSyntax,
            Reason::InvalidUserName => Code::ValueSyntax,
            Reason::InvalidProfileId => Code::ValueSyntax,
            Reason::TimeInPast => Code::ValueRange,
            Reason::InvalidSpan => Code::ValueSyntax,
            Reason::InvalidTime => Code::ValueSyntax,
            Reason::InvalidName => Code::ValueSyntax,
            Reason::InvalidEmail => Code::ValueSyntax,
            Reason::InvalidPhone => Code::ValueSyntax,
            Reason::InvalidCountry => Code::ValueSyntax,
            Reason::InvalidDocument => Code::ValueSyntax,
            Reason::NoSuchAccount => Code::DoesNotExist,
            Reason::NoSuchUser => Code::DoesNotExist,
            Reason::PermissionDenied => Code::Authorization,
            Reason::ReviewPending => Code::StatusProhibits,
            Reason::ProfileInUse => Code::StatusProhibits,
            Reason::AlreadyVerified => Code::StatusProhibits,
            Reason::DocumentMissing => Code::Policy,
            Reason::InvalidAccountId => Code::ValueSyntax,
            Reason::AmountNotPositive => Code::ValueRange,
            Reason::AmountTooLarge => Code::ValueRange,
            Reason::AccountExists => Code::Exists,
            Reason::NoSuchTld => Code::DoesNotExist,
            Reason::InvalidPriceKind => Code::ValueSyntax,
            Reason::UnknownPolicyKey => Code::ValueSyntax,
            Reason::InvalidActor => Code::ValueSyntax,
            Reason::UnknownPermission => Code::ValueSyntax,
            Reason::NotAnAgent => Code::Policy,
            Reason::ConsoleDisabledPermanently => Code::Policy,
            Reason::ConsoleNotEnabled => Code::StatusProhibits,
            Reason::NoRegistrant => Code::Policy,
            Reason::RealNameUnverified => Code::Policy,
            Reason::YearsOutOfRange => Code::ValueRange,
            Reason::BeyondClockEnd => Code::ValueRange,
            Reason::TermExceedsMax => Code::Policy,
            Reason::InsufficientFunds => Code::Billing,
            Reason::PendingDelete => Code::StatusProhibits,
            Reason::NotAllowedInPhase => Code::StatusProhibits,
            Reason::NotSponsoringRegistrar => Code::Authorization,
            Reason::PendingTransfer => Code::StatusProhibits,
            Reason::NotRenewableInPhase => Code::NotRenewable,
            Reason::NotInRedemption => Code::StatusProhibits,
            Reason::DeleteProhibited => Code::StatusProhibits,
            Reason::InvalidLock => Code::ValueSyntax,
            Reason::InvalidIcpKind => Code::ValueSyntax,
            Reason::IcpOrderExists => Code::Exists,
            Reason::AlreadyApproved => Code::Exists,
            Reason::NoSmsPending => Code::StatusProhibits,
            Reason::InvalidRegion => Code::ValueSyntax,
            Reason::SiteExists => Code::Exists,
            Reason::NoSite => Code::StatusProhibits,
            Reason::PsbFiled => Code::Exists,
            Reason::TldNotFileable => Code::Policy,
            Reason::RegistrantMismatch => Code::Policy,
            Reason::PsbNotRequired => Code::Policy,
            Reason::OwnDomain => Code::Policy,
            Reason::AlreadyWatching => Code::Exists,
            Reason::NotWatching => Code::DoesNotExist,
            Reason::PolicyValueOutOfRange => Code::ValueRange,
            Reason::InvalidPolicyValue => Code::ValueSyntax,
            Reason::SameRegistrant => Code::Policy,
            Reason::TransferProhibited => Code::StatusProhibits,
            Reason::OnHold => Code::StatusProhibits,
            Reason::TransferLocked60Days => Code::NotTransferable,
            Reason::TooCloseToExpiry => Code::NotTransferable,
            Reason::BadAuthCode => Code::BadAuthInfo,
            Reason::AlreadyAtHome => Code::Policy,
            Reason::NotAtHome => Code::Policy,
            Reason::NoPendingTransfer => Code::DoesNotExist,
            Reason::GenerateOutOfRange => Code::ValueRange,
            Reason::InvalidDecision => Code::ValueSyntax,
            Reason::OfferTooLow => Code::ValueRange,
            Reason::NotAnOfferListing => Code::Policy,
            Reason::NotYourTurn => Code::Authorization,
            Reason::OfferClosed => Code::StatusProhibits,
            Reason::ListingNotOpen => Code::StatusProhibits,
            Reason::NotAwaitingDelivery => Code::StatusProhibits,
            Reason::NotAwaitingPayment => Code::StatusProhibits,
            Reason::TradingFrozen => Code::Policy,
            Reason::OwnListing => Code::Policy,
            Reason::NotAnAuction => Code::Policy,
            Reason::AuctionClosed => Code::StatusProhibits,
            Reason::NotInvited => Code::Authorization,
            Reason::BidTooLow => Code::ValueRange,
            Reason::NotDropping => Code::Policy,
            Reason::AlreadyBackordered => Code::Exists,
            Reason::InvalidOption => Code::ValueSyntax,
            Reason::ListingTooCloseToExpiry => Code::Policy,
            Reason::ListingTooNew => Code::Policy,
            Reason::AlreadyListed => Code::Exists,
            Reason::DurationOutOfRange => Code::ValueRange,
            Reason::InvalidListingKind => Code::ValueSyntax,
            Reason::HasBids => Code::StatusProhibits,
            Reason::NotFixedPrice => Code::Policy,
            Reason::NotAPush => Code::Policy,
            Reason::NotTheBuyer => Code::Authorization,
            Reason::UnknownOption => Code::ValueSyntax,
            Reason::UnknownEventKind => Code::ValueSyntax,
            Reason::InvalidSnapshot => Code::ValueSyntax,
            Reason::ForkBusy => Code::ValueSyntax,
            Reason::NoSuchListing => Code::DoesNotExist,
            Reason::NoSuchOrder => Code::DoesNotExist,
            Reason::NoSuchOffer => Code::DoesNotExist,
            Reason::NoSuchBackorder => Code::DoesNotExist,
        }
    }

    /// The stable snake_case slug scripts see.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::InvalidDomainName => "invalid_domain_name",
            Reason::TtlOutOfRange => "ttl_out_of_range",
            Reason::PriorityOutOfRange => "priority_out_of_range",
            Reason::RecordExists => "record_exists",
            Reason::TooManyRecords => "too_many_records",
            Reason::NoSuchRecord => "no_such_record",
            Reason::ZoneHosted => "zone_hosted",
            Reason::ZoneNotHosted => "zone_not_hosted",
            Reason::UpdateProhibited => "update_prohibited",
            Reason::NameserverCount => "nameserver_count",
            Reason::InvalidRecordType => "invalid_record_type",
            Reason::InvalidRecord => "invalid_record",
            Reason::CnameConflict => "cname_conflict",
            Reason::InvalidNameserver => "invalid_nameserver",
            Reason::SameAccount => "same_account",
            Reason::InTrade => "in_trade",
            Reason::UnknownTld => "unknown_tld",
            Reason::NoSuchDomain => "no_such_domain",
            Reason::NoSuchProfile => "no_such_profile",
            Reason::RegistrarExists => "registrar_exists",
            Reason::TooManyRegistrars => "too_many_registrars",
            Reason::UserExists => "user_exists",
            Reason::AccessKeyExists => "access_key_exists",
            Reason::InvalidAccessKey => "invalid_access_key",
            Reason::ProfileExists => "profile_exists",
            Reason::CreatedInFuture => "created_in_future",
            Reason::AlreadyRegistered => "already_registered",
            Reason::NotOwner => "not_owner",
            Reason::NoSuchRegistrar => "no_such_registrar",
            Reason::ExpiresBeforeCreated => "expires_before_created",
            Reason::DeletedOutOfOrder => "deleted_out_of_order",
            Reason::AlreadyReleased => "already_released",
            Reason::InvalidRegistrarId => "invalid_registrar_id",
            Reason::InvalidUserName => "invalid_user_name",
            Reason::InvalidProfileId => "invalid_profile_id",
            Reason::TimeInPast => "time_in_past",
            Reason::InvalidSpan => "invalid_span",
            Reason::InvalidTime => "invalid_time",
            Reason::InvalidName => "invalid_name",
            Reason::InvalidEmail => "invalid_email",
            Reason::InvalidPhone => "invalid_phone",
            Reason::InvalidCountry => "invalid_country",
            Reason::InvalidDocument => "invalid_document",
            Reason::NoSuchAccount => "no_such_account",
            Reason::NoSuchUser => "no_such_user",
            Reason::PermissionDenied => "permission_denied",
            Reason::ReviewPending => "review_pending",
            Reason::ProfileInUse => "profile_in_use",
            Reason::AlreadyVerified => "already_verified",
            Reason::DocumentMissing => "document_missing",
            Reason::InvalidAccountId => "invalid_account_id",
            Reason::AmountNotPositive => "amount_not_positive",
            Reason::AmountTooLarge => "amount_too_large",
            Reason::AccountExists => "account_exists",
            Reason::NoSuchTld => "unknown_tld",
            Reason::InvalidPriceKind => "invalid_price_kind",
            Reason::UnknownPolicyKey => "unknown_policy_key",
            Reason::InvalidActor => "invalid_actor",
            Reason::UnknownPermission => "unknown_permission",
            Reason::NotAnAgent => "not_an_agent",
            Reason::ConsoleDisabledPermanently => "console_disabled_permanently",
            Reason::ConsoleNotEnabled => "console_not_enabled",
            Reason::NoRegistrant => "no_registrant",
            Reason::RealNameUnverified => "real_name_unverified",
            Reason::YearsOutOfRange => "years_out_of_range",
            Reason::BeyondClockEnd => "beyond_clock_end",
            Reason::TermExceedsMax => "term_exceeds_max",
            Reason::InsufficientFunds => "insufficient_funds",
            Reason::PendingDelete => "pending_delete",
            Reason::NotAllowedInPhase => "not_allowed_in_phase",
            Reason::NotSponsoringRegistrar => "not_sponsoring_registrar",
            Reason::PendingTransfer => "pending_transfer",
            Reason::NotRenewableInPhase => "not_renewable_in_phase",
            Reason::NotInRedemption => "not_in_redemption",
            Reason::DeleteProhibited => "delete_prohibited",
            Reason::InvalidLock => "invalid_lock",
            Reason::InvalidIcpKind => "invalid_icp_kind",
            Reason::IcpOrderExists => "icp_order_exists",
            Reason::AlreadyApproved => "already_approved",
            Reason::NoSmsPending => "no_sms_pending",
            Reason::InvalidRegion => "invalid_region",
            Reason::SiteExists => "site_exists",
            Reason::NoSite => "no_site",
            Reason::PsbFiled => "psb_filed",
            Reason::TldNotFileable => "tld_not_fileable",
            Reason::RegistrantMismatch => "registrant_mismatch",
            Reason::PsbNotRequired => "psb_not_required",
            Reason::OwnDomain => "own_domain",
            Reason::AlreadyWatching => "already_watching",
            Reason::NotWatching => "not_watching",
            Reason::PolicyValueOutOfRange => "policy_value_out_of_range",
            Reason::InvalidPolicyValue => "invalid_policy_value",
            Reason::SameRegistrant => "same_registrant",
            Reason::TransferProhibited => "transfer_prohibited",
            Reason::OnHold => "on_hold",
            Reason::TransferLocked60Days => "transfer_locked_60_days",
            Reason::TooCloseToExpiry => "too_close_to_expiry",
            Reason::BadAuthCode => "bad_auth_code",
            Reason::AlreadyAtHome => "already_at_home",
            Reason::NotAtHome => "not_at_home",
            Reason::NoPendingTransfer => "no_pending_transfer",
            Reason::GenerateOutOfRange => "generate_out_of_range",
            Reason::InvalidDecision => "invalid_decision",
            Reason::OfferTooLow => "offer_too_low",
            Reason::NotAnOfferListing => "not_an_offer_listing",
            Reason::NotYourTurn => "not_your_turn",
            Reason::OfferClosed => "offer_closed",
            Reason::ListingNotOpen => "listing_not_open",
            Reason::NotAwaitingDelivery => "not_awaiting_delivery",
            Reason::NotAwaitingPayment => "not_awaiting_payment",
            Reason::TradingFrozen => "trading_frozen",
            Reason::OwnListing => "own_listing",
            Reason::NotAnAuction => "not_an_auction",
            Reason::AuctionClosed => "auction_closed",
            Reason::NotInvited => "not_invited",
            Reason::BidTooLow => "bid_too_low",
            Reason::NotDropping => "not_dropping",
            Reason::AlreadyBackordered => "already_backordered",
            Reason::InvalidOption => "invalid_option",
            Reason::ListingTooCloseToExpiry => "listing_too_close_to_expiry",
            Reason::ListingTooNew => "listing_too_new",
            Reason::AlreadyListed => "already_listed",
            Reason::DurationOutOfRange => "duration_out_of_range",
            Reason::InvalidListingKind => "invalid_listing_kind",
            Reason::HasBids => "has_bids",
            Reason::NotFixedPrice => "not_fixed_price",
            Reason::NotAPush => "not_a_push",
            Reason::NotTheBuyer => "not_the_buyer",
            Reason::UnknownOption => "unknown_option",
            Reason::UnknownEventKind => "unknown_event_kind",
            Reason::InvalidSnapshot => "invalid_snapshot",
            Reason::ForkBusy => "fork_busy",
            Reason::NoSuchListing => "no_such_listing",
            Reason::NoSuchOrder => "no_such_order",
            Reason::NoSuchOffer => "no_such_offer",
            Reason::NoSuchBackorder => "no_such_backorder",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Reason {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Reason {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.code.number(),
            self.reason,
            self.message
        )
    }
}

impl std::error::Error for Refusal {}

/// Shorthand for operation results.
pub(crate) type Outcome<T> = Result<T, Refusal>;

/// Which reasons this process has refused with, so that a test can show every reason
/// is reachable (one relaxed atomic OR per refusal).
pub mod produced {
    use super::Reason;
    use std::sync::atomic::{AtomicU64, Ordering};

    const WORDS: usize = Reason::ALL.len().div_ceil(64);
    static SEEN: [AtomicU64; WORDS] = [const { AtomicU64::new(0) }; WORDS];

    pub(super) fn note(reason: Reason) {
        let i = reason as usize;
        SEEN[i / 64].fetch_or(1 << (i % 64), Ordering::Relaxed);
    }

    /// The reasons refused with so far in this process, in declaration order.
    pub fn reasons() -> Vec<Reason> {
        Reason::ALL
            .into_iter()
            .filter(|r| {
                let i = *r as usize;
                SEEN[i / 64].load(Ordering::Relaxed) & (1 << (i % 64)) != 0
            })
            .collect()
    }
}
