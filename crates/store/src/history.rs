//! Versions (R20). Every save of a versioned record writes the whole record to
//! `history`, so every earlier version stays retrievable with who saved it and when.
//! Updates are conditional on the version the writer saw: a stale write is a conflict.

use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::record::HistoryEntry;
use serde::Serialize;

use crate::access::{Scope, check_pupil};
use crate::{Ctx, Result, Store, StoreError, Tx};

/// The kinds of record that keep versions, as named in the API's history route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    School,
    Pupil,
    Needs,
    Cycle,
    Plan,
    Review,
    Concern,
    /// A school's costing settings (the id is the school's).
    CostingSettings,
    /// Entry and exit measures of one plan provision.
    Impact,
    /// A family's request (a meeting, a copy of the records) as it is worked.
    Request,
    /// A meeting with the parents (R14).
    Meeting,
    /// That the parents were told about SEN support (R08); the id is the pupil's.
    ParentsTold,
    /// The pupil passport (R30); the id is the pupil's.
    Passport,
    /// A request for an EHC needs assessment (R19).
    EhcRequest,
    /// A school's wording of one kind of letter (R04, R08); the id is its row's.
    LetterTemplate,
    /// A service in the school's Local Offer directory (R18).
    LocalOfferService,
    /// A referral to a service (R18, R35).
    Referral,
    /// A pupil's reasonable adjustments and medical conditions (R35); the id is the pupil's.
    Adjustments,
    /// What a college student shares with their parents (R26); the id is the pupil's.
    Sharing,
    /// The school's SEN information report (R23); the id is the school's.
    InfoReport,
}

impl Entity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::School => "school",
            Self::Pupil => "pupil",
            Self::Needs => "needs",
            Self::Cycle => "cycle",
            Self::Plan => "plan",
            Self::Review => "review",
            Self::Concern => "concern",
            Self::CostingSettings => "costing_settings",
            Self::Impact => "impact",
            Self::Request => "request",
            Self::Meeting => "meeting",
            Self::ParentsTold => "parents_told",
            Self::Passport => "passport",
            Self::EhcRequest => "ehc_request",
            Self::LetterTemplate => "letter_template",
            Self::LocalOfferService => "local_offer_service",
            Self::Referral => "referral",
            Self::Adjustments => "adjustments",
            Self::Sharing => "sharing",
            Self::InfoReport => "info_report",
        }
    }

    /// The kinds whose history the history route shows (a referral's is not: who may
    /// see it depends on its kind, `app::referrals`).
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::School,
            Self::Pupil,
            Self::Needs,
            Self::Cycle,
            Self::Plan,
            Self::Review,
            Self::Concern,
            Self::CostingSettings,
            Self::Impact,
            Self::Request,
            Self::Meeting,
            Self::ParentsTold,
            Self::Passport,
            Self::EhcRequest,
            Self::Adjustments,
        ]
        .into_iter()
        .find(|e| e.as_str() == s)
    }
}

/// Appends one version of a record to its history, and the change to the audit trail.
pub(crate) async fn append(
    tx: &mut Tx<'_>,
    school: SchoolId,
    entity: Entity,
    id: i64,
    version: i64,
    record: &impl Serialize,
    ctx: &Ctx,
) -> Result<()> {
    let pupil = pupil_in_tx(tx, school, entity, id).await?;
    let action = if version == 1 { "create" } else { "change" };
    crate::audit::append(
        tx,
        &crate::audit::Event { school: Some(school), action, entity: entity.as_str(), entity_id: Some(id), pupil },
        ctx,
    )
    .await?;
    let body = serde_json::to_string(record).map_err(|e| StoreError::corrupt("history", e))?;
    sqlx::query(tx.backend.sql(
        "INSERT INTO history (school_id, entity, entity_id, version, body, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::timestamptz)",
    ))
    .bind(school.0)
    .bind(entity.as_str())
    .bind(id)
    .bind(version)
    .bind(body)
    .bind(&ctx.by)
    .bind(ctx.stamp())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends many versions at once (`(id, version, record)`, all of one kind and school),
/// their history rows many to a statement and their audit entries in order.
pub(crate) async fn append_many<R: Serialize>(tx: &mut Tx<'_>, school: SchoolId, entity: Entity, records: &[(i64, i64, R)], ctx: &Ctx) -> Result<()> {
    let mut pupils = Vec::with_capacity(records.len());
    for (id, _, _) in records {
        pupils.push(pupil_in_tx(tx, school, entity, *id).await?);
    }
    append_many_of(tx, school, entity, records, &pupils, ctx).await
}

/// [`append_many`] when the caller knows each record's pupil (`pupils[i]` for
/// `records[i]`), so none is looked up.
pub(crate) async fn append_many_of<R: Serialize>(
    tx: &mut Tx<'_>,
    school: SchoolId,
    entity: Entity,
    records: &[(i64, i64, R)],
    pupils: &[Option<PupilId>],
    ctx: &Ctx,
) -> Result<()> {
    const PER_INSERT: usize = 200;
    let mut events = Vec::with_capacity(records.len());
    for ((id, version, _), pupil) in records.iter().zip(pupils) {
        let action = if *version == 1 { "create" } else { "change" };
        events.push(crate::audit::Event { school: Some(school), action, entity: entity.as_str(), entity_id: Some(*id), pupil: *pupil });
    }
    crate::audit::append_many(tx, &events, ctx).await?;
    let stamp = ctx.stamp();
    for chunk in records.chunks(PER_INSERT) {
        let mut sql = String::from("INSERT INTO history (school_id, entity, entity_id, version, body, changed_by, changed_at) VALUES ");
        for i in 0..chunk.len() {
            let n = i * 7;
            sql.push_str(&format!(
                "{}(${}, ${}, ${}, ${}, ${}::jsonb, ${}, ${}::timestamptz)",
                if i > 0 { ", " } else { "" },
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5,
                n + 6,
                n + 7
            ));
        }
        let sql = crate::dialect::translate(tx.backend, &sql);
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, version, record) in chunk {
            let body = serde_json::to_string(record).map_err(|e| StoreError::corrupt("history", e))?;
            q = q.bind(school.0).bind(entity.as_str()).bind(*id).bind(*version).bind(body).bind(ctx.by.clone()).bind(stamp.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Whose a record is: the school's, the pupil's own (the id is the pupil's), or the
/// pupil a query (`$1` school, `$2` id) finds.
enum Owner {
    School,
    Itself,
    Query(&'static str),
}

fn pupil_sql(entity: Entity) -> Owner {
    match entity {
        Entity::School | Entity::CostingSettings | Entity::LetterTemplate | Entity::LocalOfferService | Entity::InfoReport => {
            Owner::School
        },
        Entity::Pupil | Entity::Needs | Entity::ParentsTold | Entity::Passport | Entity::Adjustments | Entity::Sharing => Owner::Itself,
        Entity::Impact => Owner::Query("SELECT pupil_id FROM impact_measures WHERE school_id = $1 AND id = $2"),
        Entity::Cycle => Owner::Query("SELECT pupil_id FROM cycles WHERE school_id = $1 AND id = $2"),
        Entity::Plan => Owner::Query("SELECT pupil_id FROM plans WHERE school_id = $1 AND id = $2"),
        Entity::EhcRequest => Owner::Query("SELECT pupil_id FROM ehc_requests WHERE school_id = $1 AND id = $2"),
        Entity::Review => Owner::Query("SELECT pupil_id FROM reviews WHERE school_id = $1 AND id = $2"),
        Entity::Concern => Owner::Query("SELECT pupil_id FROM concerns WHERE school_id = $1 AND id = $2"),
        Entity::Request => Owner::Query("SELECT pupil_id FROM portal_requests WHERE school_id = $1 AND id = $2"),
        Entity::Meeting => Owner::Query("SELECT pupil_id FROM meetings WHERE school_id = $1 AND id = $2"),
        Entity::Referral => Owner::Query("SELECT pupil_id FROM referrals WHERE school_id = $1 AND id = $2"),
    }
}

/// The pupil a record belongs to, read inside a write transaction.
async fn pupil_in_tx(tx: &mut Tx<'_>, school: SchoolId, entity: Entity, id: i64) -> Result<Option<PupilId>> {
    let sql = match pupil_sql(entity) {
        Owner::School => return Ok(None),
        Owner::Itself => return Ok(Some(PupilId(id))),
        Owner::Query(sql) => sql,
    };
    let row: Option<(i64,)> = sqlx::query_as(sql).bind(school.0).bind(id).fetch_optional(&mut **tx).await?;
    Ok(row.map(|r| PupilId(r.0)))
}

/// A refused write's error: a conflict carrying the record as stored now (its latest
/// version in history), or not found when there is no current version.
pub(crate) async fn conflict(
    tx: &mut Tx<'_>,
    school: SchoolId,
    entity: Entity,
    id: i64,
    what: &'static str,
    expected: i64,
    current: Option<i64>,
) -> StoreError {
    let Some(current) = current else {
        return StoreError::NotFound { what };
    };
    let latest: Result<Option<(i64, String, String, String)>, sqlx::Error> = sqlx::query_as(tx.backend.sql(
        "SELECT version, changed_by, iso(changed_at), body::text FROM history WHERE school_id = $1 AND entity = $2 AND entity_id = $3 \
         ORDER BY version DESC LIMIT 1",
    ))
    .bind(school.0)
    .bind(entity.as_str())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await;
    let stored = match latest {
        Ok(row) => row.and_then(|(version, changed_by, changed_at, body)| {
            let body = serde_json::from_str(&body).ok()?;
            Some(Box::new(HistoryEntry { version, changed_by, changed_at, body }))
        }),
        Err(e) => return e.into(),
    };
    StoreError::Conflict { what, expected, current, stored }
}

/// The version a writer says they read: 0 (nothing yet) or more.
pub(crate) fn check_version(expected: i64) -> Result<()> {
    if expected < 0 {
        return Err(senplan_core::Invalid::one("version", "version_negative", "Send the version you read: 0 or more").into());
    }
    Ok(())
}

impl Store {
    /// Every version of a record, oldest first. Empty for another school's record.
    pub async fn history(&self, scope: &Scope, entity: Entity, id: i64) -> Result<Vec<HistoryEntry>> {
        let school = scope.school();
        if let Some(pupil) = self.pupil_of(school, entity, id).await? {
            check_pupil(self.backend, self.pool(), scope, pupil, "record").await?;
        } else if !scope.is_whole_school() {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(self.backend.sql(
            "SELECT version, changed_by, iso(changed_at), body::text FROM history WHERE school_id = $1 AND entity = $2 AND entity_id = $3 ORDER BY version",
        ))
        .bind(school.0)
        .bind(entity.as_str())
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(version, changed_by, changed_at, body)| {
                let body = serde_json::from_str(&body).map_err(|e| StoreError::corrupt("history", e))?;
                Ok(HistoryEntry { version, changed_by, changed_at, body })
            })
            .collect()
    }

    /// The pupil a versioned record belongs to, for the audit trail: `None` for a
    /// school's own record or a missing one; not found for a pupil outside the scope.
    pub async fn pupil_of_record(&self, scope: &Scope, entity: Entity, id: i64) -> Result<Option<PupilId>> {
        let pupil = self.pupil_of(scope.school(), entity, id).await?.filter(|p| p.0 != 0);
        if let Some(p) = pupil {
            check_pupil(self.backend, self.pool(), scope, p, "record").await?;
        }
        Ok(pupil)
    }

    async fn pupil_of(&self, school: SchoolId, entity: Entity, id: i64) -> Result<Option<PupilId>> {
        let sql = match pupil_sql(entity) {
            Owner::School => return Ok(None),
            Owner::Itself => return Ok(Some(PupilId(id))),
            Owner::Query(sql) => sql,
        };
        let row: Option<(i64,)> = sqlx::query_as(sql).bind(school.0).bind(id).fetch_optional(self.pool()).await?;
        Ok(Some(PupilId(row.map_or(0, |r| r.0))))
    }
}

impl Store {
    /// Records a refusal of a record that belongs to a pupil (a cycle, plan, review…)
    /// in that pupil's audit trail, when the record exists in the school; a missing
    /// record leaves nothing to audit. Returns whether an entry was written.
    pub async fn audit_refused_record(&self, school: SchoolId, entity: Entity, id: i64, what: &str, ctx: &Ctx) -> Result<bool> {
        match self.pupil_of(school, entity, id).await?.filter(|p| p.0 != 0) {
            Some(pupil) => self.audit_refusal(school, pupil, what, ctx).await,
            None => Ok(false),
        }
    }
}
