//! Dates in query strings for the costing reports: `from`/`to` (a range, by default
//! the academic year containing today) and `on` (a day, by default today). A bad
//! date is a 400 naming the parameter, like every other field error.

use chrono::NaiveDate;
use senplan_core::Invalid;
use senplan_core::costing::academic_year;
use serde::Deserialize;

/// `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both optional.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First day, inclusive (default: 1 September of the current academic year).
    pub from: Option<String>,
    /// Last day, inclusive (default: 31 August of the current academic year).
    pub to: Option<String>,
    /// For exports: one pupil only.
    pub pupil: Option<i64>,
}

/// `?on=YYYY-MM-DD`, optional.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// The day the report is for (default: today).
    pub on: Option<String>,
}

/// Parses one date parameter; blank is `None`.
pub fn date(field: &str, value: Option<&str>) -> Result<Option<NaiveDate>, Invalid> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        // 26/11/2026 as typed in the UK, or 2026-11-26 as a link or the API writes it.
        Some(v) => match senplan_core::dates::parse_typed(v) {
            Some(Ok(d)) => Ok(Some(d)),
            Some(Err(why)) => Err(Invalid::one(field, "invalid_date", why)),
            None => Err(Invalid::one(field, "invalid_date", format!("'{v}' is not a date: use the form 26/11/2026 or 2026-11-26"))),
        },
    }
}

impl RangeQuery {
    /// The range asked for; either end defaults to the academic year containing `today`.
    pub fn range(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Invalid> {
        let (start, end) = academic_year(today);
        let from = date("from", self.from.as_deref());
        let to = date("to", self.to.as_deref());
        match (from, to) {
            (Ok(f), Ok(t)) => Ok((f.unwrap_or(start), t.unwrap_or(end))),
            (Err(mut a), Err(b)) => {
                a.errors.extend(b.errors);
                Err(a)
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}

impl OnQuery {
    pub fn day(&self, today: NaiveDate) -> Result<NaiveDate, Invalid> {
        Ok(date("on", self.on.as_deref())?.unwrap_or(today))
    }
}

/// Today, in UTC (the web layer owns the clock; core never reads it).
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
