//! The school's roll as senplan holds it, read at once for an import to compare a
//! MIS file against (R24): every pupil with their details, SEN status and ranked needs.

use std::collections::HashMap;

use senplan_core::ids::PupilId;
use senplan_core::need::NeedCode;
use senplan_core::roll_sync::Held;
use senplan_core::status::SenStatus;

use crate::access::Scope;
use crate::rows::json;
use crate::{Result, Store, StoreError};

/// One pupil of the roll: their id and version (for a change based on it), what
/// senplan holds, and the version of their needs (0 when none were recorded).
#[derive(Debug, Clone)]
pub struct HeldPupil {
    pub id: PupilId,
    pub version: i64,
    pub held: Held,
    pub needs_version: i64,
}

/// A pupil's id, UPN, version, details, open status and needs version.
type RollRow = (i64, String, i64, String, Option<String>, Option<i64>);

impl Store {
    /// Every pupil of the scope's school (left ones too) by UPN. The scope must be the
    /// whole school: a roll is compared against every pupil, never a person's own.
    pub async fn roll_held(&self, scope: &Scope) -> Result<HashMap<String, HeldPupil>> {
        if !scope.is_whole_school() {
            return Err(StoreError::NotFound { what: "roll" });
        }
        let school = scope.school();
        let rows: Vec<RollRow> = sqlx::query_as(self.backend.sql(
            "SELECT p.id, p.upn, p.version, p.body::text, \
             (SELECT s.status FROM status_periods s WHERE s.pupil_id = p.id AND s.end_date IS NULL), \
             (SELECT n.version FROM needs n WHERE n.pupil_id = p.id) \
             FROM pupils p WHERE p.school_id = $1",
        ))
        .bind(school.0)
        .fetch_all(self.pool())
        .await?;
        let needs: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT pupil_id, code, rank FROM pupil_needs WHERE school_id = $1").bind(school.0).fetch_all(self.pool()).await?;
        let mut by_pupil: HashMap<i64, Vec<(u32, NeedCode)>> = HashMap::new();
        for (pupil, code, rank) in needs {
            let code = NeedCode::parse(&code).ok_or_else(|| StoreError::corrupt("need", &code))?;
            by_pupil.entry(pupil).or_default().push((u32::try_from(rank).unwrap_or(0), code));
        }
        let mut out = HashMap::with_capacity(rows.len());
        for (id, upn, version, body, status, needs_version) in rows {
            let mut needs = by_pupil.remove(&id).unwrap_or_default();
            needs.sort();
            let held = Held {
                details: json("pupil", &body)?,
                status: status.as_deref().and_then(SenStatus::parse).unwrap_or(SenStatus::N),
                needs,
            };
            out.insert(upn, HeldPupil { id: PupilId(id), version, held, needs_version: needs_version.unwrap_or(0) });
        }
        Ok(out)
    }
}

/// SEN support or an EHC plan for a pupil just added from a file, who has no status,
/// cycle or needs yet.
#[derive(Debug, Clone)]
pub struct SenStart {
    pub pupil: PupilId,
    pub status: SenStatus,
    pub start: chrono::NaiveDate,
    pub reason: String,
    /// Checked needs, primary first (may be empty).
    pub needs: Vec<senplan_core::need::Need>,
}

/// A multi-row `VALUES` list of `rows` rows of `cols` placeholders each, with `casts[c]`
/// after column `c` (e.g. "::date").
fn values(rows: usize, casts: &[&str]) -> String {
    let cols = casts.len();
    let mut out = String::new();
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ", (" });
        for (c, cast) in casts.iter().enumerate() {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&format!("${}{cast}", r * cols + c + 1));
        }
        out.push(')');
    }
    out
}

impl crate::Work<'_> {
    /// Starts SEN support or an EHC plan for pupils a roll import has just added, many
    /// to a statement: each one's status period, a first cycle at the assess stage for
    /// a pupil on SEN support (a pupil on SEN support always has a current cycle), and
    /// their needs with the register's index, each with history and audit entries as
    /// the one-at-a-time operations write them.
    pub async fn start_sen_for_new_pupils(&mut self, scope: &Scope, starts: &[SenStart]) -> Result<()> {
        use crate::history::{Entity, append_many_of};
        use crate::rows::{to_json, ymd};
        use senplan_core::ids::CycleId;
        use senplan_core::record::{Cycle, NeedSet};
        const PER: usize = 150;
        let school = scope.school();
        let stamp = self.ctx.stamp();
        let backend = self.tx.backend;
        for chunk in starts.chunks(PER) {
            // Status periods, and their audit entries.
            let sql = format!(
                "INSERT INTO status_periods (school_id, pupil_id, status, start_date, end_date, reason, recorded_by, recorded_at) VALUES {}",
                values(chunk.len(), &["", "", "", "::date", "::date", "", "", "::timestamptz"])
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::translate(backend, &sql)));
            for s in chunk {
                q = q.bind(school.0).bind(s.pupil.0).bind(s.status.code()).bind(ymd(s.start)).bind(None::<String>).bind(s.reason.clone()).bind(self.ctx.by.clone()).bind(stamp.clone());
            }
            q.execute(&mut *self.tx).await?;
            let events: Vec<crate::audit::Event> = chunk
                .iter()
                .map(|s| crate::audit::Event { school: Some(school), action: "change_status", entity: "status", entity_id: Some(s.pupil.0), pupil: Some(s.pupil) })
                .collect();
            crate::audit::append_many(&mut self.tx, &events, &self.ctx).await?;

            // First cycles for pupils on SEN support.
            let support: Vec<&SenStart> = chunk.iter().filter(|s| s.status == SenStatus::K).collect();
            if !support.is_empty() {
                let carried = to_json("cycle", &senplan_core::plan::Carried::default())?;
                let sql = format!(
                    "INSERT INTO cycles (school_id, pupil_id, number, stage, opened_on, closed_on, carried, version, updated_at) VALUES {} RETURNING id, pupil_id",
                    values(support.len(), &["", "", "", "", "::date", "::date", "::jsonb", "", "::timestamptz"])
                );
                let mut q = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(crate::dialect::translate(backend, &sql)));
                for s in &support {
                    q = q.bind(school.0).bind(s.pupil.0).bind(1i64).bind("assess").bind(ymd(s.start)).bind(None::<String>).bind(carried.clone()).bind(1i64).bind(stamp.clone());
                }
                let ids: HashMap<i64, i64> = q.fetch_all(&mut *self.tx).await?.into_iter().map(|(id, p)| (p, id)).collect();
                let mut cycles = Vec::with_capacity(support.len());
                let mut owners = Vec::with_capacity(support.len());
                for s in &support {
                    let id = *ids.get(&s.pupil.0).ok_or(StoreError::NotFound { what: "cycle" })?;
                    let c = Cycle {
                        id: CycleId(id),
                        pupil_id: s.pupil,
                        number: 1,
                        stage: senplan_core::cycle::Stage::Assess,
                        opened_on: s.start,
                        closed_on: None,
                        carried: Default::default(),
                        version: 1,
                        updated_at: stamp.clone(),
                    };
                    cycles.push((id, 1, c));
                    owners.push(Some(s.pupil));
                }
                append_many_of(&mut self.tx, school, Entity::Cycle, &cycles, &owners, &self.ctx).await?;
            }

            // Needs, their history, and the register's index of them.
            let with_needs: Vec<&SenStart> = chunk.iter().filter(|s| !s.needs.is_empty()).collect();
            if !with_needs.is_empty() {
                let sql = format!(
                    "INSERT INTO needs (pupil_id, school_id, primary_code, body, version, updated_at) VALUES {}",
                    values(with_needs.len(), &["", "", "", "::jsonb", "", "::timestamptz"])
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::translate(backend, &sql)));
                for s in &with_needs {
                    q = q.bind(s.pupil.0).bind(school.0).bind(s.needs[0].code.code()).bind(to_json("needs", &s.needs)?).bind(1i64).bind(stamp.clone());
                }
                q.execute(&mut *self.tx).await?;
                let sets: Vec<(i64, i64, NeedSet)> =
                    with_needs.iter().map(|s| (s.pupil.0, 1, NeedSet { pupil_id: s.pupil, version: 1, needs: s.needs.clone() })).collect();
                let owners: Vec<Option<PupilId>> = with_needs.iter().map(|s| Some(s.pupil)).collect();
                append_many_of(&mut self.tx, school, Entity::Needs, &sets, &owners, &self.ctx).await?;
                let rows: Vec<(i64, &senplan_core::need::Need)> = with_needs.iter().flat_map(|s| s.needs.iter().map(|n| (s.pupil.0, n))).collect();
                let sql = format!("INSERT INTO pupil_needs (school_id, pupil_id, code, area, rank) VALUES {}", values(rows.len(), &["", "", "", "", ""]));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(crate::dialect::translate(backend, &sql)));
                for (pupil, n) in rows {
                    q = q.bind(school.0).bind(pupil).bind(n.code.code()).bind(n.area.as_str()).bind(i64::from(n.rank));
                }
                q.execute(&mut *self.tx).await?;
            }
        }
        Ok(())
    }
}
