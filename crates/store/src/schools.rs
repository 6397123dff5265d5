//! Schools: the tenants. Every other row belongs to one.

use senplan_core::duties::Senco;
use senplan_core::ids::SchoolId;
use senplan_core::record::School;
use senplan_core::school::{FamilyContacts, SchoolDetails, SettingType};

use crate::history::{Entity, append};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Ctx, Result, Store, StoreError};

type Row = (i64, String, String, String, String, i64, String, String, String, String, String);

/// A school's columns, as [`school`] reads them.
macro_rules! school_select {
    () => {
        "SELECT id, name, urn, laestab, setting, version, iso(updated_at), contacts::text, senco::text, progress::text, referrals::text FROM schools "
    };
}

fn school(row: Row) -> Result<School> {
    let (id, name, urn, laestab, setting, version, updated_at, contacts, senco, progress, referrals) = row;
    let setting = SettingType::parse(&setting).ok_or_else(|| StoreError::corrupt("school", setting))?;
    let contacts = crate::rows::json("school", &contacts)?;
    let senco = crate::rows::json("school", &senco)?;
    let progress = crate::rows::json("school", &progress)?;
    let referrals = crate::rows::json("school", &referrals)?;
    Ok(School { id: SchoolId(id), version, updated_at, details: SchoolDetails { name, urn, laestab, setting }, contacts, senco, progress, referrals })
}

impl Store {
    pub async fn create_school(&self, details: &SchoolDetails, ctx: &Ctx) -> Result<School> {
        let (_g, mut tx) = self.write().await?;
        let taken: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM schools WHERE urn = $1").bind(&details.urn).fetch_optional(&mut *tx).await?;
        if taken.is_some() {
            return Err(
                senplan_core::Invalid::one("urn", "duplicate_urn", format!("A school with URN {} already exists", details.urn)).into()
            );
        }
        let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
            "INSERT INTO schools (name, urn, laestab, setting, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5::timestamptz) RETURNING id",
        ))
        .bind(&details.name)
        .bind(&details.urn)
        .bind(&details.laestab)
        .bind(details.setting.as_str())
        .bind(ctx.stamp())
        .fetch_one(&mut *tx)
        .await?;
        let s = School { id: SchoolId(id), version: 1, updated_at: ctx.stamp(), details: details.clone(), contacts: Default::default(), senco: None, progress: None, referrals: None };
        append(&mut tx, s.id, Entity::School, id, 1, &s, ctx).await?;
        tx.commit().await?;
        Ok(s)
    }

    pub async fn school(&self, id: SchoolId) -> Result<School> {
        let row: Option<Row> =
            sqlx::query_as(self.backend.sql(concat!(school_select!(), "WHERE id = $1"))).bind(id.0).fetch_optional(self.pool()).await?;
        school(row.ok_or(StoreError::NotFound { what: "school" })?)
    }

    pub async fn school_by_urn(&self, urn: &str) -> Result<Option<School>> {
        let row: Option<Row> =
            sqlx::query_as(self.backend.sql(concat!(school_select!(), "WHERE urn = $1"))).bind(urn).fetch_optional(self.pool()).await?;
        row.map(school).transpose()
    }

    pub async fn schools(&self) -> Result<Vec<School>> {
        let rows: Vec<Row> = sqlx::query_as(self.backend.sql(concat!(school_select!(), "ORDER BY name"))).fetch_all(self.pool()).await?;
        rows.into_iter().map(school).collect()
    }

    pub async fn update_school(&self, id: SchoolId, expected: i64, details: &SchoolDetails, ctx: &Ctx) -> Result<School> {
        let (_g, mut tx) = self.write().await?;
        let School { details: SchoolDetails { urn, .. }, contacts, senco, progress, referrals, .. } = self.school(id).await?;
        let change = Versioned {
            table: "schools",
            key: Key::School,
            entity: Entity::School,
            what: "school",
            school: id,
            expected,
            set: vec![
                ("name", Value::Text(details.name.clone())),
                ("laestab", Value::Text(details.laestab.clone())),
                ("setting", Value::Text(details.setting.as_str().to_owned())),
            ],
        };
        let details = SchoolDetails { urn, ..details.clone() };
        let s = versioned_update(&mut tx, change, ctx, |version, updated_at| School { id, version, updated_at, details, contacts, senco, progress, referrals }).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Saves how families reach help (already checked: `FamilyContacts::validate`) as a
    /// new version of the school, based on `expected`.
    pub async fn save_family_contacts(&self, id: SchoolId, expected: i64, contacts: FamilyContacts, ctx: &Ctx) -> Result<School> {
        let json = crate::rows::to_json("school", &contacts)?;
        self.save_school_part(id, expected, "contacts", json, |s| School { contacts, ..s }, ctx).await
    }

    /// Saves the designated SENCO (already checked: `Senco::validate`) as a new version
    /// of the school, based on `expected`.
    pub async fn save_senco(&self, id: SchoolId, expected: i64, senco: Senco, ctx: &Ctx) -> Result<School> {
        let json = crate::rows::to_json("school", &Some(&senco))?;
        self.save_school_part(id, expected, "senco", json, |s| School { senco: Some(senco), ..s }, ctx).await
    }

    /// Saves the referral settings (already checked) as a new version of the school,
    /// based on `expected`.
    pub async fn save_referral_settings(&self, id: SchoolId, expected: i64, settings: senplan_core::referral::ReferralSettings, ctx: &Ctx) -> Result<School> {
        let json = crate::rows::to_json("school", &Some(settings))?;
        self.save_school_part(id, expected, "referrals", json, |s| School { referrals: Some(settings), ..s }, ctx).await
    }

    /// Writes one JSON column of a school (`contacts`, `senco`, `progress`, `referrals`) as a new
    /// version based on `expected`; `apply` puts the new part into the school read now.
    pub(crate) async fn save_school_part(
        &self,
        id: SchoolId,
        expected: i64,
        column: &'static str,
        json: String,
        apply: impl FnOnce(School) -> School,
        ctx: &Ctx,
    ) -> Result<School> {
        let current = apply(self.school(id).await?);
        let (_g, mut tx) = self.write().await?;
        let change = Versioned {
            table: "schools",
            key: Key::School,
            entity: Entity::School,
            what: "school",
            school: id,
            expected,
            set: vec![(column, Value::Json(json))],
        };
        let s = versioned_update(&mut tx, change, ctx, |version, updated_at| School { version, updated_at, ..current }).await?;
        tx.commit().await?;
        Ok(s)
    }
}
