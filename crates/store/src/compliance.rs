//! The facts the compliance dashboard reads (R22), in five queries over the pupils
//! within a scope: each pupil with their status, cycle, plan and whether the parents
//! were told; their meetings that still matter (scheduled, in the last twelve months,
//! or with actions open); the sessions of the last thirteen weeks for plans being
//! delivered; open concerns; requests not done. The checks themselves are
//! `senplan_core::compliance`.

use std::collections::BTreeMap;

use chrono::{Days, Months, NaiveDate};
use senplan_core::compliance::PupilFacts;
use senplan_core::cycle::Stage;
use senplan_core::ids::PupilId;
use senplan_core::pupil::{ConsentGiver, PupilDetails, consent_giver};
use senplan_core::status::SenStatus;

use crate::access::{Scope, bind_scope};
use crate::rows::{date, json, opt_date, ymd};
use crate::{Result, Store, StoreError};

type PupilRow = (i64, String, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, i64);

const PUPILS: &str = concat!(
    "SELECT p.id, p.given_name, p.family_name, CASE WHEN s.status = 'K' THEN p.body::text END, s.status, s.start_date::text, c.stage, pl.body::text, \
     CASE WHEN t.pupil_id IS NULL THEN 0 ELSE 1 END \
     FROM pupils p \
     LEFT JOIN status_periods s ON s.pupil_id = p.id AND s.end_date IS NULL \
     LEFT JOIN cycles c ON c.pupil_id = p.id AND c.stage <> 'closed' \
     LEFT JOIN plans pl ON pl.cycle_id = c.id \
     LEFT JOIN parents_told t ON t.school_id = p.school_id AND t.pupil_id = p.id \
     WHERE ",
    crate::visible_pupil_sql!(),
    " AND p.left_on IS NULL ORDER BY p.family_name, p.given_name, p.id"
);

/// The meetings that still matter on `$5`'s day: scheduled, dated on or after `$5`
/// (twelve months before today), or with agreed actions open.
const MEETINGS: &str = concat!(
    "SELECT m.pupil_id, m.body::text FROM meetings m WHERE m.school_id = $1 \
     AND (m.state = 'scheduled' OR m.meeting_on >= $5::date OR m.open_actions > 0) \
     AND m.pupil_id IN (SELECT p.id FROM pupils p WHERE ",
    crate::visible_pupil_sql!(),
    ") ORDER BY m.meeting_on, m.id"
);

/// The sessions logged on or after `$5` for the plans of open cycles whose support is
/// being delivered.
const SESSIONS: &str = concat!(
    "SELECT pl.pupil_id, sl.provision_number, sl.body::text FROM session_logs sl \
     JOIN plans pl ON pl.id = sl.plan_id JOIN cycles c ON c.id = pl.cycle_id \
     WHERE sl.school_id = $1 AND c.stage = 'do' AND sl.session_date >= $5::date \
     AND pl.pupil_id IN (SELECT p.id FROM pupils p WHERE ",
    crate::visible_pupil_sql!(),
    ") ORDER BY sl.session_date, sl.id"
);

const CONCERNS: &str = concat!(
    "SELECT pupil_id, raised_on::text FROM concerns WHERE school_id = $1 AND status = 'open' \
     AND pupil_id IN (SELECT p.id FROM pupils p WHERE ",
    crate::visible_pupil_sql!(),
    ")"
);

const REQUESTS: &str = concat!(
    "SELECT pupil_id, iso(requested_at) FROM portal_requests WHERE school_id = $1 AND state <> 'done' \
     AND pupil_id IN (SELECT p.id FROM pupils p WHERE ",
    crate::visible_pupil_sql!(),
    ")"
);

impl Store {
    /// The dashboard's facts for every pupil within the scope who has SEN (K or E), a
    /// cycle open, a meeting that still matters, an open concern or a request not
    /// done, by family name, as of `today`.
    pub async fn compliance_facts(&self, scope: &Scope, today: NaiveDate) -> Result<Vec<PupilFacts>> {
        let rows: Vec<PupilRow> = bind_scope(sqlx::query_as(self.backend.sql(PUPILS)), scope).fetch_all(self.pool()).await?;
        let mut facts: BTreeMap<PupilId, PupilFacts> = BTreeMap::new();
        let mut order = Vec::with_capacity(rows.len());
        for (id, given, family, body, status, since, stage, plan, told) in rows {
            let status = status.as_deref().and_then(SenStatus::parse).unwrap_or(SenStatus::N);
            let young_person = match body {
                Some(b) => {
                    let d: PupilDetails = json("pupil", &b)?;
                    consent_giver(d.date_of_birth, today) == ConsentGiver::YoungPerson
                }
                None => false,
            };
            let stage = stage.as_deref().map(|s| Stage::parse(s).ok_or_else(|| StoreError::corrupt("cycle", s))).transpose()?;
            let f = PupilFacts {
                pupil: PupilId(id),
                name: format!("{given} {family}"),
                status,
                support_since: if status == SenStatus::K { opt_date("status", since.as_deref())? } else { None },
                young_person,
                stage,
                plan: plan.as_deref().map(|p| json("plan", p)).transpose()?,
                parents_told: told == 1,
                meetings: Vec::new(),
                concerns_waiting: Vec::new(),
                requests_waiting: Vec::new(),
                referrals_waiting: Vec::new(),
                adjustments: None,
                undecided_flags: 0,
                sessions: Vec::new(),
            };
            order.push(f.pupil);
            facts.insert(f.pupil, f);
        }
        let year_ago = today.checked_sub_months(Months::new(12)).unwrap_or(NaiveDate::MIN);
        let meetings: Vec<(i64, String)> =
            bind_scope(sqlx::query_as(self.backend.sql(MEETINGS)), scope).bind(ymd(year_ago)).fetch_all(self.pool()).await?;
        for (pupil, body) in meetings {
            if let Some(f) = facts.get_mut(&PupilId(pupil)) {
                f.meetings.push(json("meeting", &body)?);
            }
        }
        // The longest alert the school can set is twelve weeks: read thirteen.
        let since = today.checked_sub_days(Days::new(13 * 7)).unwrap_or(NaiveDate::MIN);
        let sessions: Vec<(i64, i64, String)> =
            bind_scope(sqlx::query_as(self.backend.sql(SESSIONS)), scope).bind(ymd(since)).fetch_all(self.pool()).await?;
        for (pupil, number, body) in sessions {
            if let Some(f) = facts.get_mut(&PupilId(pupil)) {
                let number = u32::try_from(number).map_err(|e| StoreError::corrupt("session log", e))?;
                f.sessions.push((number, json("session log", &body)?));
            }
        }
        let concerns: Vec<(i64, String)> = bind_scope(sqlx::query_as(self.backend.sql(CONCERNS)), scope).fetch_all(self.pool()).await?;
        for (pupil, raised) in concerns {
            if let Some(f) = facts.get_mut(&PupilId(pupil)) {
                f.concerns_waiting.push(date("concern", &raised)?);
            }
        }
        let requests: Vec<(i64, String)> = bind_scope(sqlx::query_as(self.backend.sql(REQUESTS)), scope).fetch_all(self.pool()).await?;
        for (pupil, at) in requests {
            if let Some(f) = facts.get_mut(&PupilId(pupil)) {
                f.requests_waiting.push(date("request", at.get(..10).unwrap_or_default())?);
            }
        }
        Ok(order
            .into_iter()
            .filter_map(|id| facts.remove(&id))
            .filter(|f| {
                matches!(f.status, SenStatus::K | SenStatus::E)
                    || f.stage.is_some()
                    || !f.meetings.is_empty()
                    || !f.concerns_waiting.is_empty()
                    || !f.requests_waiting.is_empty()
            })
            .collect())
    }
}
