//! What the school's transfer files and census returns carry (R24), read and written
//! for `app::transfer` and `app::census`: each pupil's SEN status periods and ranked
//! needs, as of a day or whole; the periods a Common Transfer File brings in; and the
//! serial number of each CTF the school sends to a destination.

use std::collections::HashMap;

use chrono::NaiveDate;
use senplan_core::ids::PupilId;
use senplan_core::need::Need;
use senplan_core::pupil::PupilDetails;
use senplan_core::record::NeedSet;
use senplan_core::status::{SenStatus, StatusPeriod};

use crate::access::{Scope, check_pupil};
use crate::rows::{date, json, opt_date, ymd};
use crate::{Result, Store, StoreError, Work};

/// A pupil's SEN record as a transfer carries it: details, every status period
/// (oldest first) and the current needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenRecord {
    pub pupil: PupilId,
    pub details: PupilDetails,
    pub periods: Vec<StatusPeriod>,
    pub needs: Vec<Need>,
}

/// A pupil on roll on a census day: their details, status that day, and their needs
/// as recorded that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CensusFacts {
    pub details: PupilDetails,
    pub status: SenStatus,
    pub needs: Vec<Need>,
}

/// Every status period of the school's pupils, oldest first, by pupil.
async fn periods_by_pupil(store: &Store, scope: &Scope) -> Result<HashMap<i64, Vec<StatusPeriod>>> {
    let rows: Vec<(i64, String, String, Option<String>, String)> = sqlx::query_as(store.backend.sql(
        "SELECT pupil_id, status, start_date::text, end_date::text, reason FROM status_periods WHERE school_id = $1 ORDER BY pupil_id, start_date, id",
    ))
    .bind(scope.school().0)
    .fetch_all(store.pool())
    .await?;
    let mut out: HashMap<i64, Vec<StatusPeriod>> = HashMap::new();
    for (pupil, status, start, end, reason) in rows {
        out.entry(pupil).or_default().push(StatusPeriod {
            status: SenStatus::parse(&status).ok_or_else(|| StoreError::corrupt("status", &status))?,
            start: date("status", &start)?,
            end: opt_date("status", end.as_deref())?,
            reason,
        });
    }
    Ok(out)
}

impl Store {
    /// Every pupil of the school on roll on `day` (not yet left, and joined by then when
    /// the roll says when), with the status open that day and the needs as recorded
    /// that day (the latest version of their needs saved on or before it, or the first
    /// saved after it when none was saved by then).
    pub async fn census_facts(&self, scope: &Scope, day: NaiveDate) -> Result<Vec<CensusFacts>> {
        if !scope.is_whole_school() {
            return Err(StoreError::NotFound { what: "census" });
        }
        let school = scope.school();
        let pupils: Vec<(i64, String)> = sqlx::query_as(self.backend.sql(
            "SELECT id, body::text FROM pupils WHERE school_id = $1 AND (left_on IS NULL OR left_on > $2::date) ORDER BY family_name, given_name, id",
        ))
        .bind(school.0)
        .bind(ymd(day))
        .fetch_all(self.pool())
        .await?;
        let periods = periods_by_pupil(self, scope).await?;
        let versions: Vec<(i64, i64, String, String)> = sqlx::query_as(self.backend.sql(
            "SELECT entity_id, version, iso(changed_at), body::text FROM history WHERE school_id = $1 AND entity = 'needs' ORDER BY entity_id, version",
        ))
        .bind(school.0)
        .fetch_all(self.pool())
        .await?;
        // Needs carry no dates of their own: the version recorded by the day counts, or,
        // when the school first recorded them after it, that first recording.
        let mut needs: HashMap<i64, Vec<Need>> = HashMap::new();
        for (pupil, _, at, body) in versions {
            let on = at.get(..10).map(|d| date("history", d)).transpose()?;
            if on.is_some_and(|on| on <= day) || !needs.contains_key(&pupil) {
                let set: NeedSet = json("needs", &body)?;
                needs.insert(pupil, set.needs);
            }
        }
        let mut out = Vec::with_capacity(pupils.len());
        for (id, body) in pupils {
            let details: PupilDetails = json("pupil", &body)?;
            if details.roll.entry_date.is_some_and(|e| e > day) {
                continue;
            }
            let status = periods
                .get(&id)
                .and_then(|ps| ps.iter().rev().find(|p| p.start <= day && p.end.is_none_or(|e| e > day)))
                .map_or(SenStatus::N, |p| p.status);
            out.push(CensusFacts { details, status, needs: needs.remove(&id).unwrap_or_default() });
        }
        Ok(out)
    }

    /// The SEN records of `pupils` (the whole school's scope), in the order asked.
    pub async fn sen_records(&self, scope: &Scope, pupils: &[PupilId]) -> Result<Vec<SenRecord>> {
        let mut periods = periods_by_pupil(self, scope).await?;
        let mut out = Vec::with_capacity(pupils.len());
        for &id in pupils {
            let p = self.pupil(scope, id).await?;
            let needs = self.needs(scope, id).await?.needs;
            out.push(SenRecord { pupil: id, details: p.details, periods: periods.remove(&id.0).unwrap_or_default(), needs });
        }
        Ok(out)
    }
}

impl Work<'_> {
    /// Adds status periods a transfer file brings (already checked not to overlap the
    /// school's own), each with `reason`, and audits the import on the pupil.
    pub async fn import_status_periods(&mut self, scope: &Scope, pupil: PupilId, periods: &[StatusPeriod]) -> Result<()> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        for p in periods {
            sqlx::query(self.tx.backend.sql(
                "INSERT INTO status_periods (school_id, pupil_id, status, start_date, end_date, reason, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8::timestamptz)",
            ))
            .bind(scope.school().0)
            .bind(pupil.0)
            .bind(p.status.code())
            .bind(ymd(p.start))
            .bind(p.end.map(ymd))
            .bind(&p.reason)
            .bind(&self.ctx.by)
            .bind(self.ctx.stamp())
            .execute(&mut *self.tx)
            .await?;
        }
        let ev = crate::audit::Event { school: Some(scope.school()), action: "import", entity: "status", entity_id: Some(pupil.0), pupil: Some(pupil) };
        crate::audit::append(&mut self.tx, &ev, &self.ctx).await
    }

    /// Adds a cycle as another senplan recorded it (a transfer bundle): its number,
    /// stage and dates as they were, with its history entry. The pupil must have
    /// been added in this unit of work.
    pub async fn import_cycle(
        &mut self,
        scope: &Scope,
        pupil: PupilId,
        number: u32,
        stage: senplan_core::cycle::Stage,
        (opened_on, closed_on): (NaiveDate, Option<NaiveDate>),
        carried: senplan_core::plan::Carried,
    ) -> Result<senplan_core::record::Cycle> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        let school = scope.school();
        let stamp = self.ctx.stamp();
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO cycles (school_id, pupil_id, number, stage, opened_on, closed_on, carried, version, updated_at) \
             VALUES ($1, $2, $3, $4, $5::date, $6::date, $7::jsonb, 1, $8::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .bind(i64::from(number))
        .bind(stage.as_str())
        .bind(ymd(opened_on))
        .bind(closed_on.map(ymd))
        .bind(crate::rows::to_json("cycle", &carried)?)
        .bind(&stamp)
        .fetch_one(&mut *self.tx)
        .await?;
        let c = senplan_core::record::Cycle {
            id: senplan_core::ids::CycleId(id),
            pupil_id: pupil,
            number,
            stage,
            opened_on,
            closed_on,
            carried,
            version: 1,
            updated_at: stamp,
        };
        crate::history::append(&mut self.tx, school, crate::history::Entity::Cycle, id, 1, &c, &self.ctx).await?;
        Ok(c)
    }

    /// Records a Common Transfer File sent to `dest` with `pupils` pupils, and returns
    /// its serial number for that destination (1, 2, ...).
    pub async fn record_ctf_export(&mut self, scope: &Scope, dest: &str, file_name: impl Fn(u16) -> String, pupils: usize) -> Result<(u16, String)> {
        let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(serial) FROM ctf_exports WHERE school_id = $1 AND dest_laestab = $2")
            .bind(scope.school().0)
            .bind(dest)
            .fetch_one(&mut *self.tx)
            .await?;
        let stored = last.unwrap_or(0) + 1;
        // The file name has three digits: after 999 files to one destination it starts again.
        let serial = u16::try_from((stored - 1) % 999 + 1).unwrap_or(1);
        let name = file_name(serial);
        sqlx::query(self.tx.backend.sql(
            "INSERT INTO ctf_exports (school_id, dest_laestab, serial, file_name, pupils, created_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz)",
        ))
        .bind(scope.school().0)
        .bind(dest)
        .bind(stored)
        .bind(&name)
        .bind(i64::try_from(pupils).unwrap_or(i64::MAX))
        .bind(self.ctx.stamp())
        .execute(&mut *self.tx)
        .await?;
        let ev = crate::audit::Event { school: Some(scope.school()), action: "export", entity: "common transfer file", entity_id: None, pupil: None };
        crate::audit::append(&mut self.tx, &ev, &self.ctx).await?;
        Ok((serial, name))
    }
}
