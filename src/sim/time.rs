//! Virtual time: UTC instants at second resolution, calendar-year terms, day and
//! business-day arithmetic, and the textual forms scripts and fixtures use.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Seconds in a simulated day (a day is exactly 24 hours).
pub const DAY: i64 = 86_400;

/// An instant of virtual time: seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Time(pub i64);

/// An instant in 5 bytes instead of 8 (a domain record carries four): every [`Time`]
/// lies between [`MIN_TIME`] and [`MAX_TIME`] (1970 to 9999, under 2^38 seconds), so 40
/// bits hold it. Encoded as the [`Time`] it holds, so the encoding is that of a `Time`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time40([u8; 5]);

impl Time40 {
    /// The instant.
    #[inline]
    pub fn get(self) -> Time {
        let [a, b, c, d, e] = self.0;
        Time(i64::from_le_bytes([a, b, c, d, e, 0, 0, 0]))
    }
}

impl From<Time> for Time40 {
    /// Packs an instant (times outside the clock's range, which no operation makes, are
    /// clamped to it).
    #[inline]
    fn from(t: Time) -> Time40 {
        debug_assert!((MIN_TIME..=MAX_TIME).contains(&t), "{t:?} is off the clock");
        let [a, b, c, d, e, ..] = t.0.clamp(MIN_TIME.0, MAX_TIME.0).to_le_bytes();
        Time40([a, b, c, d, e])
    }
}

impl Serialize for Time40 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Time40 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Time40, D::Error> {
        let t = Time::deserialize(d)?;
        if !(MIN_TIME..=MAX_TIME).contains(&t) {
            return Err(serde::de::Error::custom("an instant off the clock"));
        }
        Ok(Time40::from(t))
    }
}

impl std::fmt::Debug for Time40 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// An optional instant in 5 bytes ([`Time40`]; all bits set, past [`MAX_TIME`], stands
/// for none). Encoded as an `Option<Time>` (one byte when none).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OptTime([u8; 5]);

impl OptTime {
    /// No instant.
    pub(crate) const NONE: OptTime = OptTime([0xff; 5]);

    /// The instant, if any.
    #[inline]
    pub fn get(self) -> Option<Time> {
        (self != OptTime::NONE).then(|| Time40(self.0).get())
    }
}

impl From<Option<Time>> for OptTime {
    #[inline]
    fn from(t: Option<Time>) -> OptTime {
        t.map_or(OptTime::NONE, |t| OptTime(Time40::from(t).0))
    }
}

impl Serialize for OptTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

impl<'de> Deserialize<'de> for OptTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<OptTime, D::Error> {
        Option::<Time40>::deserialize(d).map(|t| t.map(Time40::get).into())
    }
}

impl std::fmt::Debug for OptTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// Whether `year` is a Gregorian leap year.
fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// (year, month, day) of a day number since 1970-01-01 (H. Hinnant's algorithm). Day
/// numbers of the supported range are never negative, so the arithmetic is unsigned
/// 32-bit: every division by a constant is a multiplication.
fn civil_from_days(z: u32) -> (u32, u32, u32) {
    let z = z + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + u32::from(m <= 2), m, d)
}

/// The day number since 1970-01-01 of a civil date from 1970 on (inverse of
/// [`civil_from_days`]).
fn days_from_civil(y: u32, m: u32, d: u32) -> u32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The earliest instant regsim accepts (years before 1970 are not modelled).
pub(crate) const MIN_TIME: Time = Time(0);
/// The latest instant regsim accepts: 9999-12-31T23:59:59Z.
pub(crate) const MAX_TIME: Time = Time(253_402_300_799);

impl Time {
    /// `2026-01-01T00:00:00Z`, the default start of a world.
    pub const DEFAULT_START: Time = Time(1_767_225_600);

    /// Parses `2027-01-01T00:00:00Z` (exactly this RFC 3339 form) or a date `2027-01-01`
    /// (midnight UTC).
    pub fn parse(text: &str) -> Result<Time, String> {
        let t = text.trim();
        let parsed = if t.len() == 10 {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        } else if t.len() == 20 && t.ends_with('Z') {
            NaiveDateTime::parse_from_str(&t[..19], "%Y-%m-%dT%H:%M:%S").ok()
        } else {
            None
        };
        match parsed {
            Some(dt) => Time::checked(dt.and_utc().timestamp()).ok_or_else(|| {
                format!("time `{t}` is outside the supported range 1970-01-01 .. 9999-12-31")
            }),
            None => Err(format!(
                "`{t}` is not a time of the form 2027-01-01T00:00:00Z or a date 2027-01-01"
            )),
        }
    }

    fn checked(secs: i64) -> Option<Time> {
        (MIN_TIME.0..=MAX_TIME.0)
            .contains(&secs)
            .then_some(Time(secs))
    }

    fn datetime(self) -> DateTime<Utc> {
        Utc.timestamp_opt(self.0, 0)
            .single()
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// Formats with a chrono format string, e.g. `%Y-%m-%d %H:%M:%S`.
    pub fn format(self, format: &str) -> String {
        self.datetime().format(format).to_string()
    }

    /// The date part, `2027-01-01`.
    pub(crate) fn date_string(self) -> String {
        self.datetime().format("%Y-%m-%d").to_string()
    }

    /// This instant plus `days` days of 24 hours; saturates at the supported range.
    pub fn add_days(self, days: i64) -> Time {
        self.add_secs(days.saturating_mul(DAY))
    }

    /// This instant plus a number of seconds; saturates at the supported range.
    pub fn add_secs(self, secs: i64) -> Time {
        Time(self.0.saturating_add(secs).clamp(MIN_TIME.0, MAX_TIME.0))
    }

    /// Calendar-month arithmetic: the same day and time of day `months` later (negative
    /// goes back); a day the month lacks clamps to its last (January 31 + 1 month is
    /// February 28 or 29). Saturates at the supported range.
    pub(crate) fn add_months(self, months: i64) -> Time {
        let t = self.0.clamp(MIN_TIME.0, MAX_TIME.0) as u64;
        let (days, secs) = ((t / DAY as u64) as u32, (t % DAY as u64) as i64);
        let (y, m, d) = civil_from_days(days);
        let index = (i64::from(y) * 12 + i64::from(m) - 1).saturating_add(months);
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
        if year > 9999 {
            return MAX_TIME;
        }
        if year < 1970 {
            return MIN_TIME;
        }
        let last = match month {
            2 if is_leap(year) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let days = days_from_civil(year as u32, month as u32, d.min(last));
        Time::checked(i64::from(days) * DAY + secs).unwrap_or(MAX_TIME)
    }

    /// The first instant (00:00:00 UTC on the 1st) of the month after this instant's;
    /// `None` past the supported range.
    pub(crate) fn first_of_next_month(self) -> Option<Time> {
        let t = self.0.clamp(MIN_TIME.0, MAX_TIME.0) as u64;
        let (y, m, _) = civil_from_days((t / DAY as u64) as u32);
        let (year, month) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        if year > 9999 {
            return None;
        }
        Time::checked(i64::from(days_from_civil(year, month, 1)) * DAY).filter(|next| *next > self)
    }

    /// Calendar-year arithmetic: the same month, day and time of day `years` later
    /// (negative goes back). February 29 clamps to February 28 in a non-leap year.
    /// Saturates at the supported range.
    pub fn add_years(self, years: i64) -> Time {
        // Plain civil-calendar arithmetic (it runs for every renewal and decision, so it
        // avoids building a chrono date), on the instant clamped to the supported range.
        let t = self.0.clamp(MIN_TIME.0, MAX_TIME.0) as u64;
        let (days, secs) = ((t / DAY as u64) as u32, (t % DAY as u64) as i64);
        let (y, m, d) = civil_from_days(days);
        let year = i64::from(y).saturating_add(years);
        if year > 9999 {
            return MAX_TIME;
        }
        if year < 1970 {
            return MIN_TIME;
        }
        let d = if m == 2 && d == 29 && !is_leap(year) {
            28
        } else {
            d
        };
        let days = days_from_civil(year as u32, m, d);
        Time::checked(i64::from(days) * DAY + secs).unwrap_or(MAX_TIME)
    }

    /// Whether this instant is at or before `from.add_years(years)`, mostly without the
    /// calendar arithmetic: a calendar year is 365 or 366 days (Feb 29 clamps to Feb 28;
    /// saturation lowers the bound only to the clock's end, which no instant passes), so
    /// only an instant between `years` × 365 and `years` × 366 days after `from` needs it.
    pub(crate) fn within_years(self, from: Time, years: u32) -> bool {
        let span = self.0.saturating_sub(from.0);
        let years = i64::from(years);
        if span <= years * 365 * DAY {
            true
        } else if span > years * 366 * DAY {
            false
        } else {
            self <= from.add_years(years)
        }
    }

    /// Adds `days` business days (Saturdays and Sundays do not count), keeping the time
    /// of day. Starting on a weekend counts from the next Monday.
    pub(crate) fn add_business_days(self, days: u32) -> Time {
        let mut t = self;
        let mut left = days;
        while left > 0 {
            t = t.add_days(1);
            if !t.is_weekend() {
                left -= 1;
            }
        }
        t
    }

    /// True on Saturday and Sunday (UTC).
    pub(crate) fn is_weekend(self) -> bool {
        matches!(self.datetime().weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Whole days since the Unix epoch (floor).
    pub(crate) fn day_index(self) -> i64 {
        self.0.div_euclid(DAY)
    }
}

impl fmt::Display for Time {
    /// Formats as `2027-01-01T00:00:00Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.datetime().format("%Y-%m-%dT%H:%M:%SZ"))
    }
}

/// Parses a span such as `30d`, `12h`, `45m`, `2w`, `90s`, `6mo` or `1y` (`m` is minutes,
/// `mo` calendar months). Returns `Err` with a message naming the accepted forms.
pub fn parse_span(text: &str) -> Result<Span, String> {
    let t = text.trim();
    let bad = || {
        format!(
            "`{t}` is not a span: write a positive whole number and a unit, as 30d, 12h, 45m, 90s, 2w, 6mo or 1y"
        )
    };
    if let Some(num) = t.strip_suffix("mo") {
        let n: i64 = num.parse().map_err(|_| bad())?;
        return if n < 0 {
            Err(bad())
        } else {
            Ok(Span::Months(n))
        };
    }
    let Some(unit) = t.chars().last() else {
        return Err(bad());
    };
    let num = &t[..t.len() - unit.len_utf8()];
    let n: i64 = num.parse().map_err(|_| bad())?;
    if n < 0 {
        return Err(bad());
    }
    let per = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => DAY,
        'w' => 7 * DAY,
        'y' => return Ok(Span::Years(n)),
        _ => return Err(bad()),
    };
    n.checked_mul(per).map(Span::Seconds).ok_or_else(bad)
}

/// A span of virtual time: fixed seconds, or calendar years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    /// A fixed number of seconds.
    Seconds(i64),
    /// Calendar months (a day the month lacks clamps to its last).
    Months(i64),
    /// Calendar years (Feb 29 clamps to Feb 28).
    Years(i64),
}

impl Span {
    /// The instant this span after `t`.
    pub fn after(self, t: Time) -> Time {
        match self {
            Span::Seconds(s) => t.add_secs(s),
            Span::Months(m) => t.add_months(m),
            Span::Years(y) => t.add_years(y),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;

    #[test]
    fn the_first_of_the_next_month() {
        let t = |s: &str| Time::parse(s).unwrap();
        assert_eq!(
            t("2026-01-15T10:00:00Z").first_of_next_month(),
            Some(t("2026-02-01"))
        );
        assert_eq!(
            t("2026-12-31T23:59:59Z").first_of_next_month(),
            Some(t("2027-01-01"))
        );
        assert_eq!(t("2028-02-01").first_of_next_month(), Some(t("2028-03-01")));
        assert_eq!(t("9999-12-05").first_of_next_month(), None);
    }

    #[test]
    fn five_byte_instants_hold_the_whole_clock_and_encode_as_times() {
        assert_eq!(std::mem::size_of::<Time40>(), 5);
        assert_eq!(std::mem::size_of::<OptTime>(), 5);
        for t in [MIN_TIME, Time::DEFAULT_START, Time(1 << 32), MAX_TIME] {
            assert_eq!(Time40::from(t).get(), t);
            assert_eq!(OptTime::from(Some(t)).get(), Some(t));
            // The encoding is the `Time`'s (and the `Option<Time>`'s) own.
            let packed = postcard::to_allocvec(&Time40::from(t)).unwrap();
            assert_eq!(packed, postcard::to_allocvec(&t).unwrap());
            assert_eq!(postcard::from_bytes::<Time40>(&packed).unwrap().get(), t);
            let some = postcard::to_allocvec(&OptTime::from(Some(t))).unwrap();
            assert_eq!(some, postcard::to_allocvec(&Some(t)).unwrap());
        }
        assert_eq!(OptTime::NONE.get(), None);
        assert_eq!(OptTime::from(None).get(), None);
        let none = postcard::to_allocvec(&OptTime::NONE).unwrap();
        assert_eq!(none, postcard::to_allocvec(&None::<Time>).unwrap());
        assert_eq!(
            postcard::from_bytes::<OptTime>(&none).unwrap(),
            OptTime::NONE
        );
        // A damaged encoding of an instant off the clock is refused, not wrapped.
        for off in [Time(-1), Time(MAX_TIME.0 + 1), Time(1 << 40)] {
            let bytes = postcard::to_allocvec(&off).unwrap();
            assert!(postcard::from_bytes::<Time40>(&bytes).is_err(), "{off:?}");
            let bytes = postcard::to_allocvec(&Some(off)).unwrap();
            assert!(postcard::from_bytes::<OptTime>(&bytes).is_err(), "{off:?}");
        }
    }

    /// The reference: chrono's calendar.
    fn add_years_chrono(t: Time, years: i64) -> Time {
        let dt = t.datetime();
        let year = dt.year() as i64 + years;
        if year > 9999 {
            return MAX_TIME;
        }
        if year < 1970 {
            return MIN_TIME;
        }
        let date = NaiveDate::from_ymd_opt(year as i32, dt.month(), dt.day())
            .or_else(|| NaiveDate::from_ymd_opt(year as i32, dt.month(), 28))
            .unwrap();
        let naive = date
            .and_hms_opt(dt.hour(), dt.minute(), dt.second())
            .unwrap();
        Time::checked(naive.and_utc().timestamp()).unwrap_or(MAX_TIME)
    }

    #[test]
    fn within_years_agrees_with_add_years() {
        for day in (0..2_932_896).step_by(97) {
            let from = Time(day * DAY + (day * 7_919) % DAY);
            for years in [0u32, 1, 2, 4, 10] {
                let bound = from.add_years(years.into());
                for t in [
                    bound.0 - DAY,
                    bound.0 - 1,
                    bound.0,
                    bound.0 + 1,
                    bound.0 + DAY,
                    from.0,
                    MAX_TIME.0,
                ] {
                    let t = Time(t.clamp(MIN_TIME.0, MAX_TIME.0));
                    assert_eq!(
                        t.within_years(from, years),
                        t <= bound,
                        "{from} {years} {t}"
                    );
                }
            }
        }
    }

    #[test]
    fn add_years_agrees_with_the_chrono_calendar() {
        for day in (0..2_932_896).step_by(7).chain(19_000..21_000) {
            let t = Time(day * DAY + (day * 7_919) % DAY);
            for years in [-60, -1, 1, 2, 4, 10, 100, 8_000] {
                assert_eq!(
                    t.add_years(years),
                    add_years_chrono(t, years),
                    "{t} {years}"
                );
            }
        }
    }

    fn t(s: &str) -> Time {
        Time::parse(s).unwrap()
    }

    #[test]
    fn parses_and_formats_round_trip() {
        assert_eq!(Time::DEFAULT_START.to_string(), "2026-01-01T00:00:00Z");
        assert_eq!(t("2026-01-01"), Time::DEFAULT_START);
        assert_eq!(
            t("2027-03-15T10:00:00Z").to_string(),
            "2027-03-15T10:00:00Z"
        );
        assert!(Time::parse("2027-03-15T10:00:00+01:00").is_err());
        assert!(Time::parse("2027-02-30").is_err());
        assert!(Time::parse("garbage").is_err());
        assert!(Time::parse("1969-12-31").is_err());
    }

    #[test]
    fn calendar_years_keep_month_day_and_time() {
        assert_eq!(
            t("2026-03-15T10:00:00Z").add_years(1),
            t("2027-03-15T10:00:00Z")
        );
        assert_eq!(
            t("2028-02-29T08:30:00Z").add_years(1),
            t("2029-02-28T08:30:00Z")
        );
        assert_eq!(t("2028-02-29").add_years(4), t("2032-02-29"));
        assert_eq!(
            t("2027-12-31T23:59:59Z").add_years(10),
            t("2037-12-31T23:59:59Z")
        );
        assert_eq!(t("2030-01-01").add_years(-2), t("2028-01-01"));
        assert_eq!(t("9990-01-01").add_years(100), MAX_TIME);
    }

    #[test]
    fn days_are_24_hours_and_business_days_skip_weekends() {
        assert_eq!(t("2026-03-07").add_days(1), t("2026-03-08"));
        // Friday 2026-01-02 plus one business day is Monday 2026-01-05.
        assert_eq!(
            t("2026-01-02T09:00:00Z").add_business_days(1),
            t("2026-01-05T09:00:00Z")
        );
        assert_eq!(t("2026-01-03").add_business_days(1), t("2026-01-05"));
        assert_eq!(t("2026-01-05").add_business_days(5), t("2026-01-12"));
    }

    #[test]
    fn calendar_months_clamp_to_the_last_day() {
        let t = |s: &str| Time::parse(s).unwrap();
        assert_eq!(
            t("2026-01-31T10:00:00Z").add_months(1),
            t("2026-02-28T10:00:00Z")
        );
        assert_eq!(t("2028-01-31").add_months(1), t("2028-02-29"));
        assert_eq!(t("2026-11-15").add_months(3), t("2027-02-15"));
        assert_eq!(t("2026-03-31").add_months(-1), t("2026-02-28"));
        assert_eq!(t("2026-01-01").add_months(12), t("2026-01-01").add_years(1));
        assert_eq!(t("9999-12-01").add_months(1), MAX_TIME);
    }

    #[test]
    fn spans() {
        assert_eq!(parse_span("30d"), Ok(Span::Seconds(30 * DAY)));
        assert_eq!(parse_span("2w"), Ok(Span::Seconds(14 * DAY)));
        assert_eq!(parse_span("45m"), Ok(Span::Seconds(2700)));
        assert_eq!(parse_span("1y"), Ok(Span::Years(1)));
        assert_eq!(parse_span("6mo"), Ok(Span::Months(6)));
        assert!(parse_span("-1mo").is_err() && parse_span("mo").is_err());
        assert!(parse_span("-3d").is_err());
        assert!(parse_span("3 days").is_err());
        assert!(parse_span("99999999999999999d").is_err());
        assert!(parse_span("").is_err());
        assert!(parse_span("d").is_err());
        assert!(parse_span("3日").is_err());
        assert!(parse_span("𑶑").is_err());
    }
}
