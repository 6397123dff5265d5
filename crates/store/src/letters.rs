//! The school's own wording of its letters (R04, R08): one versioned row per school and
//! kind of letter, the template as a JSON document, every version kept in history. The
//! rules (which placeholders each kind fills) are in `senplan_core::letters`; the use
//! cases in `app::letters`.

use senplan_core::ids::SchoolId;
use senplan_core::letters::{LetterKind, LetterTemplate};
use serde::{Deserialize, Serialize};

use crate::history::{Entity, append, conflict};
use crate::rows::{json, to_json};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Ctx, Result, Store};

/// A school's wording of one kind of letter, as stored (and as each version is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterTemplateRecord {
    /// The row's id: the id its versions are kept under in history.
    pub id: i64,
    pub kind: LetterKind,
    pub template: LetterTemplate,
    pub version: i64,
    pub updated_at: String,
}

type Row = (i64, String, String, i64, String);

fn record(row: Row) -> Result<Option<LetterTemplateRecord>> {
    let (id, kind, body, version, updated_at) = row;
    // A kind this build does not know (written by a newer senplan) is skipped.
    let Some(kind) = LetterKind::parse(&kind) else { return Ok(None) };
    Ok(Some(LetterTemplateRecord { id, kind, template: json("letter template", &body)?, version, updated_at }))
}

impl Store {
    /// The letters the school has reworded; a kind not listed uses senplan's wording.
    pub async fn letter_templates(&self, school: SchoolId) -> Result<Vec<LetterTemplateRecord>> {
        let rows: Vec<Row> = sqlx::query_as(
            self.backend.sql("SELECT id, kind, body::text, version, iso(updated_at) FROM letter_templates WHERE school_id = $1 ORDER BY kind"),
        )
        .bind(school.0)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(record).collect::<Result<Vec<_>>>()?.into_iter().flatten().collect())
    }

    /// The school's wording of `kind`, if it has saved one.
    pub async fn letter_template(&self, school: SchoolId, kind: LetterKind) -> Result<Option<LetterTemplateRecord>> {
        let row: Option<Row> = sqlx::query_as(self.backend.sql(
            "SELECT id, kind, body::text, version, iso(updated_at) FROM letter_templates WHERE school_id = $1 AND kind = $2",
        ))
        .bind(school.0)
        .bind(kind.as_str())
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(record).transpose()?.flatten())
    }

    /// Saves the school's wording of `kind` (already checked) as a new version;
    /// `expected` is the version read, 0 for the first. A stale version is refused as a
    /// conflict carrying the wording stored now, changing nothing.
    pub async fn save_letter_template(
        &self,
        school: SchoolId,
        kind: LetterKind,
        expected: i64,
        template: LetterTemplate,
        ctx: &Ctx,
    ) -> Result<LetterTemplateRecord> {
        let body = to_json("letter template", &template)?;
        let (_g, mut tx) = self.write().await?;
        let existing: Option<(i64, i64)> = sqlx::query_as("SELECT id, version FROM letter_templates WHERE school_id = $1 AND kind = $2")
            .bind(school.0)
            .bind(kind.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        let saved = match existing {
            None if expected == 0 => {
                let stamp = ctx.stamp();
                let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
                    "INSERT INTO letter_templates (school_id, kind, body, version, updated_at) \
                     VALUES ($1, $2, $3::jsonb, 1, $4::timestamptz) RETURNING id",
                ))
                .bind(school.0)
                .bind(kind.as_str())
                .bind(&body)
                .bind(&stamp)
                .fetch_one(&mut *tx)
                .await?;
                let saved = LetterTemplateRecord { id, kind, template, version: 1, updated_at: stamp };
                append(&mut tx, school, Entity::LetterTemplate, id, 1, &saved, ctx).await?;
                saved
            }
            Some((id, current)) if expected == 0 => {
                return Err(conflict(&mut tx, school, Entity::LetterTemplate, id, "letter", expected, Some(current)).await);
            }
            None => return Err(crate::StoreError::NotFound { what: "letter" }),
            Some((id, _)) => {
                let change = Versioned {
                    table: "letter_templates",
                    key: Key::Row(id),
                    entity: Entity::LetterTemplate,
                    what: "letter",
                    school,
                    expected,
                    set: vec![("body", Value::Json(body))],
                };
                versioned_update(&mut tx, change, ctx, |version, updated_at| LetterTemplateRecord { id, kind, template, version, updated_at })
                    .await?
            }
        };
        tx.commit().await?;
        Ok(saved)
    }
}
