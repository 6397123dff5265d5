//! The Local Offer directory (R18): one versioned row per service, the service as a
//! JSON document, every version kept in history. A service from an Open Referral UK
//! feed is found again by its feed and id, so importing the same feed twice changes
//! nothing and a changed service is updated in place. The rules of a service and of
//! searching are in `senplan_core::local_offer`; reading a feed is `senplan_interop`.

use senplan_core::ids::SchoolId;
use senplan_core::local_offer::{Service, Source};
use serde::Serialize;

use crate::history::{Entity, append};
use crate::rows::{json, to_json};
use crate::work::{Key, Value, Versioned, versioned_update};
use crate::{Ctx, Result, Store, StoreError};

/// A service as stored (and as each version is kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceRecord {
    pub id: i64,
    pub service: Service,
    /// Taken out of the directory (closed, or no longer in the feed): kept, not listed.
    pub withdrawn: bool,
    pub version: i64,
    pub updated_at: String,
}

/// What importing a feed did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

type Row = (i64, String, i64, i64, String);

fn record(row: Row) -> Result<ServiceRecord> {
    let (id, body, withdrawn, version, updated_at) = row;
    Ok(ServiceRecord { id, service: json("local offer service", &body)?, withdrawn: withdrawn != 0, version, updated_at })
}

macro_rules! select {
    ($where:literal) => {
        concat!("SELECT id, body::text, withdrawn, version, iso(updated_at) FROM local_offer_services ", $where)
    };
}

fn feed_key(s: &Service) -> (Option<&str>, Option<&str>) {
    match &s.source {
        Source::Feed { feed, id } => (Some(feed.as_str()), Some(id.as_str())),
        Source::Manual => (None, None),
    }
}

impl Store {
    /// Every service in the school's directory, withdrawn ones included, by name.
    pub async fn local_offer(&self, school: SchoolId) -> Result<Vec<ServiceRecord>> {
        let sql = self.backend.sql(select!("WHERE school_id = $1 ORDER BY name, id"));
        let rows: Vec<Row> = sqlx::query_as(sql).bind(school.0).fetch_all(self.pool()).await?;
        rows.into_iter().map(record).collect()
    }

    /// One service of the school's directory.
    pub async fn local_offer_service(&self, school: SchoolId, id: i64) -> Result<ServiceRecord> {
        let sql = self.backend.sql(select!("WHERE school_id = $1 AND id = $2"));
        let row: Option<Row> = sqlx::query_as(sql).bind(school.0).bind(id).fetch_optional(self.pool()).await?;
        row.map(record).transpose()?.ok_or(StoreError::NotFound { what: "service" })
    }

    /// Adds a service (already checked) to the directory.
    pub async fn add_service(&self, school: SchoolId, service: Service, ctx: &Ctx) -> Result<ServiceRecord> {
        let (_g, mut tx) = self.write().await?;
        let saved = insert(&mut tx, school, service, ctx).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Saves a service (already checked) as a new version, or withdraws or restores it;
    /// `expected` is the version read. A stale version is a conflict, changing nothing.
    pub async fn save_service(&self, school: SchoolId, id: i64, expected: i64, service: Service, withdrawn: bool, ctx: &Ctx) -> Result<ServiceRecord> {
        let (_g, mut tx) = self.write().await?;
        let saved = update(&mut tx, school, id, expected, service, withdrawn, ctx).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Imports services read from one feed, in one transaction: a service the
    /// directory does not have from that feed is added; one it has is updated when it
    /// differs (and restored if it had been withdrawn); one the same is left alone.
    pub async fn import_services(&self, school: SchoolId, services: Vec<Service>, ctx: &Ctx) -> Result<ImportCounts> {
        let (_g, mut tx) = self.write().await?;
        let mut counts = ImportCounts::default();
        for service in services {
            let (Some(feed), Some(feed_id)) = feed_key(&service) else {
                insert(&mut tx, school, service, ctx).await?;
                counts.added += 1;
                continue;
            };
            let sql = tx.backend.sql(select!("WHERE school_id = $1 AND feed = $2 AND feed_id = $3"));
            let found: Option<Row> =
                sqlx::query_as(sql).bind(school.0).bind(feed).bind(feed_id).fetch_optional(&mut *tx).await?;
            match found.map(record).transpose()? {
                None => {
                    insert(&mut tx, school, service, ctx).await?;
                    counts.added += 1;
                }
                Some(old) if old.service == service && !old.withdrawn => counts.unchanged += 1,
                Some(old) => {
                    update(&mut tx, school, old.id, old.version, service, false, ctx).await?;
                    counts.changed += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(counts)
    }
}

async fn insert(tx: &mut crate::Tx<'_>, school: SchoolId, service: Service, ctx: &Ctx) -> Result<ServiceRecord> {
    let body = to_json("local offer service", &service)?;
    let stamp = ctx.stamp();
    let (feed, feed_id) = feed_key(&service);
    let (id,): (i64,) = sqlx::query_as(tx.backend.sql(
        "INSERT INTO local_offer_services (school_id, name, body, feed, feed_id, withdrawn, version, updated_at) \
         VALUES ($1, $2, $3::jsonb, $4, $5, 0, 1, $6::timestamptz) RETURNING id",
    ))
    .bind(school.0)
    .bind(&service.name)
    .bind(&body)
    .bind(feed)
    .bind(feed_id)
    .bind(&stamp)
    .fetch_one(&mut **tx)
    .await?;
    let saved = ServiceRecord { id, service, withdrawn: false, version: 1, updated_at: stamp };
    append(tx, school, Entity::LocalOfferService, id, 1, &saved, ctx).await?;
    Ok(saved)
}

async fn update(
    tx: &mut crate::Tx<'_>,
    school: SchoolId,
    id: i64,
    expected: i64,
    service: Service,
    withdrawn: bool,
    ctx: &Ctx,
) -> Result<ServiceRecord> {
    let body = to_json("local offer service", &service)?;
    let change = Versioned {
        table: "local_offer_services",
        key: Key::Row(id),
        entity: Entity::LocalOfferService,
        what: "service",
        school,
        expected,
        set: vec![("name", Value::Text(service.name.clone())), ("body", Value::Json(body)), ("withdrawn", Value::Int(i64::from(withdrawn)))],
    };
    versioned_update(tx, change, ctx, |version, updated_at| ServiceRecord { id, service, withdrawn, version, updated_at }).await
}
