//! Cycles of the graduated approach (R05) and the assessment contributions recorded in
//! them (R06). Every stage change goes through [`Stage::apply`], the one state machine.

use chrono::NaiveDate;
use senplan_core::assessment::Contribution;
use senplan_core::cycle::{Action, Stage};
use senplan_core::ids::{ContributionId, CycleId, PupilId, SchoolId};
use senplan_core::plan::{Carried, Outcome};
use senplan_core::record::{ContributionRecord, Cycle};

use crate::access::{Scope, check_pupil};
use crate::history::{Entity, append};
use crate::rows::{date, json, opt_date, to_json, ymd};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Backend, Ctx, Result, Store, StoreError, Tx, Work};

type CycleRow = (i64, i64, i64, String, String, Option<String>, String, i64, String);

fn cycle(row: CycleRow) -> Result<Cycle> {
    let (id, pupil_id, number, stage, opened_on, closed_on, carried, version, updated_at) = row;
    Ok(Cycle {
        id: CycleId(id),
        pupil_id: PupilId(pupil_id),
        number: u32::try_from(number).map_err(|e| StoreError::corrupt("cycle", e))?,
        stage: Stage::parse(&stage).ok_or_else(|| StoreError::corrupt("cycle", &stage))?,
        opened_on: date("cycle", &opened_on)?,
        closed_on: opt_date("cycle", closed_on.as_deref())?,
        carried: carried_from(&carried)?,
        version,
        updated_at,
    })
}

/// What a cycle carries, as stored: an object since cycles carry provision, strategies
/// and the person responsible; a list of outcomes in cycles opened before then.
fn carried_from(stored: &str) -> Result<Carried> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Outcomes(Vec<Outcome>),
        Carried(Carried),
    }
    Ok(match json("cycle", stored)? {
        Stored::Outcomes(outcomes) => Carried { outcomes, ..Carried::default() },
        Stored::Carried(c) => c,
    })
}

pub(crate) async fn load_cycle(tx: &mut Tx<'_>, school: SchoolId, id: CycleId) -> Result<Cycle> {
    let row: Option<CycleRow> = sqlx::query_as(tx.backend.sql(
        "SELECT id, pupil_id, number, stage, opened_on::text, closed_on::text, carried::text, version, iso(updated_at) FROM cycles WHERE school_id = $1 AND id = $2",
    ))
    .bind(school.0)
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    cycle(row.ok_or(StoreError::NotFound { what: "cycle" })?)
}

async fn save(tx: &mut Tx<'_>, school: SchoolId, c: &mut Cycle, ctx: &Ctx) -> Result<()> {
    let change = Versioned {
        table: "cycles",
        entity: Entity::Cycle,
        what: "cycle",
        school,
        key: Key::Row(c.id.0),
        expected: c.version,
        set: vec![("stage", Value::Text(c.stage.as_str().to_owned())), ("closed_on", Value::OptDate(c.closed_on))],
    };
    let before = c.clone();
    *c = versioned_update(tx, change, ctx, |version, updated_at| Cycle { version, updated_at, ..before }).await?;
    Ok(())
}

const SELECT_OPEN: &str = "SELECT id, pupil_id, number, stage, opened_on::text, closed_on::text, carried::text, version, iso(updated_at) FROM cycles \
     WHERE school_id = $1 AND pupil_id = $2 AND stage <> 'closed'";

impl Work<'_> {
    /// A cycle to change, within the scope (another school's, or a pupil's outside
    /// the scope, is not found).
    pub async fn cycle(&mut self, scope: &Scope, id: CycleId) -> Result<Cycle> {
        let c = load_cycle(&mut self.tx, scope.school(), id).await?;
        check_pupil(self.tx.backend, &mut *self.tx, scope, c.pupil_id, "cycle").await?;
        Ok(c)
    }

    /// The pupil's open cycle, if there is one.
    pub async fn open_cycle_of(&mut self, scope: &Scope, pupil: PupilId) -> Result<Option<Cycle>> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        let row: Option<CycleRow> =
            sqlx::query_as(self.tx.backend.sql(SELECT_OPEN)).bind(scope.school().0).bind(pupil.0).fetch_optional(&mut *self.tx).await?;
        row.map(cycle).transpose()
    }

    /// Opens the pupil's next cycle on `opened_on`, at the assess stage, with the
    /// plan carried from the last; if a cycle is open already, returns that one.
    pub async fn open_next_cycle(&mut self, scope: &Scope, pupil: PupilId, opened_on: NaiveDate, carried: Carried) -> Result<Cycle> {
        if let Some(open) = self.open_cycle_of(scope, pupil).await? {
            return Ok(open);
        }
        let school = scope.school();
        let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(number) FROM cycles WHERE school_id = $1 AND pupil_id = $2")
            .bind(school.0)
            .bind(pupil.0)
            .fetch_one(&mut *self.tx)
            .await?;
        let number = last.unwrap_or(0) + 1;
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO cycles (school_id, pupil_id, number, stage, opened_on, closed_on, carried, version, updated_at) \
             VALUES ($1, $2, $3, 'assess', $4::date, NULL, $5::jsonb, 1, $6::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .bind(number)
        .bind(ymd(opened_on))
        .bind(to_json("cycle", &carried)?)
        .bind(self.ctx.stamp())
        .fetch_one(&mut *self.tx)
        .await?;
        let c = Cycle {
            id: CycleId(id),
            pupil_id: pupil,
            number: u32::try_from(number).map_err(|e| StoreError::corrupt("cycle", e))?,
            stage: Stage::Assess,
            opened_on,
            closed_on: None,
            carried,
            version: 1,
            updated_at: self.ctx.stamp(),
        };
        append(&mut self.tx, school, Entity::Cycle, id, 1, &c, &self.ctx).await?;
        Ok(c)
    }

    /// Applies `action` to the cycle, checking the version the caller saw if given,
    /// and saves the new stage with a history entry (the state machine decides whether
    /// it may; nothing through here closes a cycle: see [`Work::close_cycle`]).
    pub async fn advance_cycle(&mut self, scope: &Scope, id: CycleId, expected: Option<i64>, action: Action) -> Result<Cycle> {
        let school = scope.school();
        let mut c = self.cycle(scope, id).await?;
        if let Some(expected) = expected.filter(|e| *e != c.version) {
            crate::history::check_version(expected)?;
            return Err(crate::history::conflict(&mut self.tx, school, Entity::Cycle, id.0, "cycle", expected, Some(c.version)).await);
        }
        let next = c.stage.apply(action)?;
        if next == c.stage {
            return Ok(c);
        }
        c.stage = next;
        save(&mut self.tx, school, &mut c, &self.ctx).await?;
        Ok(c)
    }

    /// The contributions recorded in a cycle, oldest first.
    pub async fn contributions(&mut self, scope: &Scope, cycle: &Cycle) -> Result<Vec<ContributionRecord>> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, cycle.pupil_id, "cycle").await?;
        contributions(self.tx.backend, &mut *self.tx, scope.school(), cycle.id).await
    }

    /// Stores a contribution already checked against the cycle's others
    /// ([`senplan_core::assessment::validate_contribution`]), with its audit entry.
    pub async fn add_contribution(&mut self, scope: &Scope, cycle: &Cycle, contribution: Contribution) -> Result<ContributionRecord> {
        let school = scope.school();
        check_pupil(self.tx.backend, &mut *self.tx, scope, cycle.pupil_id, "cycle").await?;
        let (id,): (i64,) = sqlx::query_as(self.tx.backend.sql(
            "INSERT INTO contributions (school_id, cycle_id, body, recorded_by, recorded_at) VALUES ($1, $2, $3::jsonb, $4, $5::timestamptz) RETURNING id",
        ))
        .bind(school.0)
        .bind(cycle.id.0)
        .bind(to_json("contribution", &contribution)?)
        .bind(&self.ctx.by)
        .bind(self.ctx.stamp())
        .fetch_one(&mut *self.tx)
        .await?;
        let ev = crate::audit::Event {
            school: Some(school),
            action: "create",
            entity: "contribution",
            entity_id: Some(id),
            pupil: Some(cycle.pupil_id),
        };
        crate::audit::append(&mut self.tx, &ev, &self.ctx).await?;
        Ok(ContributionRecord {
            id: ContributionId(id),
            cycle_id: cycle.id,
            recorded_by: self.ctx.by.clone(),
            recorded_at: self.ctx.stamp(),
            contribution,
        })
    }

    /// The pupil's date of birth, for the rules that depend on age.
    pub async fn date_of_birth(&mut self, scope: &Scope, pupil: PupilId) -> Result<NaiveDate> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, pupil, "pupil").await?;
        crate::reads::date_of_birth(&mut self.tx, scope.school(), pupil).await
    }

    /// Closes a cycle on `on` by `action`: the day its review was held
    /// (`RecordReview`), or the day SEN support ended (`EndSupport`); the state machine
    /// decides whether it may.
    pub async fn close_cycle(&mut self, scope: &Scope, mut c: Cycle, on: NaiveDate, action: Action) -> Result<Cycle> {
        check_pupil(self.tx.backend, &mut *self.tx, scope, c.pupil_id, "cycle").await?;
        c.stage = c.stage.apply(action)?;
        c.closed_on = Some(on);
        save(&mut self.tx, scope.school(), &mut c, &self.ctx).await?;
        Ok(c)
    }
}

impl Store {
    pub async fn cycle(&self, scope: &Scope, id: CycleId) -> Result<Cycle> {
        let school = scope.school();
        let mut tx = self.read().await?;
        let c = load_cycle(&mut tx, school, id).await?;
        check_pupil(tx.backend, &mut *tx, scope, c.pupil_id, "cycle").await?;
        tx.commit().await?;
        Ok(c)
    }

    /// All of a pupil's cycles, newest first.
    pub async fn cycles(&self, scope: &Scope, pupil: PupilId) -> Result<Vec<Cycle>> {
        let school = scope.school();
        self.pupil(scope, pupil).await?;
        let rows: Vec<CycleRow> = sqlx::query_as(self.backend.sql(
            "SELECT id, pupil_id, number, stage, opened_on::text, closed_on::text, carried::text, version, iso(updated_at) FROM cycles \
             WHERE school_id = $1 AND pupil_id = $2 ORDER BY number DESC",
        ))
        .bind(school.0)
        .bind(pupil.0)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(cycle).collect()
    }

    pub async fn contributions(&self, scope: &Scope, cycle_id: CycleId) -> Result<Vec<ContributionRecord>> {
        let school = scope.school();
        self.cycle(scope, cycle_id).await?;
        contributions(self.backend, self.pool(), school, cycle_id).await
    }
}

async fn contributions<'e>(
    backend: Backend,
    exec: impl sqlx::Executor<'e, Database = sqlx::Any>,
    school: SchoolId,
    cycle_id: CycleId,
) -> Result<Vec<ContributionRecord>> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as(backend.sql(
            "SELECT id, body::text, recorded_by, iso(recorded_at) FROM contributions WHERE school_id = $1 AND cycle_id = $2 ORDER BY id",
        ))
        .bind(school.0)
        .bind(cycle_id.0)
        .fetch_all(exec)
        .await?;
    rows.into_iter()
        .map(|(id, body, recorded_by, recorded_at)| {
            Ok(ContributionRecord {
                id: ContributionId(id),
                cycle_id,
                recorded_by,
                recorded_at,
                contribution: json("contribution", &body)?,
            })
        })
        .collect()
}
