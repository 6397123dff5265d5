//! The Local Offer directory (R18) as staff use it: searched by those who refer
//! (staff who see pupils' records) and kept by the SENCO and administrators — services
//! typed in, changed, withdrawn, or imported from an Open Referral UK feed read from a
//! file or fetched from the address the local authority publishes. The rules of a
//! service and of a search are `senplan_core::local_offer`; reading a feed is
//! `senplan_interop::oruk`; storing is `senplan_store::local_offer`.

use std::time::Duration;

use senplan_core::Invalid;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::SchoolId;
use senplan_core::local_offer::{Search, Service, Source};
use senplan_interop::oruk;
use senplan_store::audit::Event;
use senplan_store::local_offer::{ImportCounts, ServiceRecord};
use senplan_store::{Ctx, Store};

use crate::access::{own_school, school_for};
use crate::error::{AppError, Result};

/// The largest feed taken, from a file or an address (an authority's whole directory
/// of a few thousand services is a few megabytes).
pub const MAX_FEED_BYTES: usize = 20 * 1024 * 1024;

/// How long fetching a feed may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(30);

/// The directory as searched.
#[derive(Debug, Clone)]
pub struct Directory {
    /// The services that match, not withdrawn, by name.
    pub found: Vec<ServiceRecord>,
    /// How many services are listed in all (not withdrawn).
    pub listed: usize,
    /// Withdrawn services, for those who keep the directory (to restore one).
    pub withdrawn: Vec<ServiceRecord>,
    /// Whether the actor keeps the directory.
    pub can_edit: bool,
}

/// Who may read the directory: staff who refer (they see pupils' records) and those
/// who keep it. Anyone else is told the page does not exist.
fn reader(actor: &Actor, school: i64) -> Result<SchoolId> {
    let id = own_school(actor, school)?;
    if actor.may(Permission::ViewRecord) || actor.may(Permission::EditDirectory) { Ok(id) } else { Err(AppError::NotFound("page")) }
}

/// Checks the actor keeps the directory (the SENCO, administrators), before a form or
/// an upload is read.
pub fn may_edit(actor: &Actor, school: i64) -> Result<SchoolId> {
    school_for(actor, school, Permission::EditDirectory)
}

/// The services matching `search`.
pub async fn directory(store: &Store, actor: &Actor, school: i64, search: &Search) -> Result<Directory> {
    let id = reader(actor, school)?;
    let can_edit = actor.may(Permission::EditDirectory);
    let (withdrawn, listed): (Vec<_>, Vec<_>) = store.local_offer(id).await?.into_iter().partition(|r| r.withdrawn);
    let total = listed.len();
    let found = listed.into_iter().filter(|r| search.matches(&r.service)).collect();
    Ok(Directory { found, listed: total, withdrawn: if can_edit { withdrawn } else { Vec::new() }, can_edit })
}

/// One service.
pub async fn service(store: &Store, actor: &Actor, school: i64, id: i64) -> Result<ServiceRecord> {
    let school = reader(actor, school)?;
    let r = store.local_offer_service(school, id).await?;
    if r.withdrawn && !actor.may(Permission::EditDirectory) {
        return Err(AppError::NotFound("service"));
    }
    Ok(r)
}

/// Adds a service typed in by hand.
pub async fn add_service(store: &Store, actor: &Actor, school: i64, service: Service) -> Result<ServiceRecord> {
    let school = school_for(actor, school, Permission::EditDirectory)?;
    let service = Service { source: Source::Manual, ..service }.validate()?;
    Ok(store.add_service(school, service, &Ctx::of(actor)).await?)
}

/// Changes a service, based on `version`; `withdrawn` takes it out of the directory
/// (kept, with its history) or puts it back. Where it came from stays as it was: a
/// service from a feed is updated again by the next import of that feed.
pub async fn save_service(store: &Store, actor: &Actor, school: i64, id: i64, version: i64, service: Service, withdrawn: bool) -> Result<ServiceRecord> {
    let school = school_for(actor, school, Permission::EditDirectory)?;
    let stored = store.local_offer_service(school, id).await?;
    let service = Service { source: stored.service.source, ..service }.validate()?;
    Ok(store.save_service(school, id, version, service, withdrawn, &Ctx::of(actor)).await?)
}

/// What importing a feed did, and what it could not take.
#[derive(Debug, Clone)]
pub struct FeedImport {
    pub counts: ImportCounts,
    pub refused: Vec<oruk::Refused>,
    pub repeated: Vec<String>,
    /// The feed says it has more pages than the one read.
    pub more_pages: Option<u64>,
}

/// Imports an Open Referral UK feed named `feed` (its file name or address): every
/// service it can map is added or updated in one transaction; a feed that cannot be
/// read at all changes nothing and says why.
pub async fn import_feed(store: &Store, actor: &Actor, school: i64, bytes: &[u8], feed: &str) -> Result<FeedImport> {
    let school = school_for(actor, school, Permission::EditDirectory)?;
    if bytes.len() > MAX_FEED_BYTES {
        return Err(Invalid::one("feed", "too_large", format!("The feed is larger than {} MB", MAX_FEED_BYTES / 1024 / 1024)).into());
    }
    let feed_name = feed.trim();
    if feed_name.is_empty() {
        return Err(Invalid::one("feed", "required", "Name the feed: its file name or its address").into());
    }
    let read = oruk::read(bytes, feed_name).map_err(|e| {
        let code = match e {
            oruk::FeedError::NotJson { .. } => "not_json",
            oruk::FeedError::NotAFeed => "not_a_feed",
        };
        Invalid::one("feed", code, e.to_string())
    })?;
    let ctx = Ctx::of(actor);
    let counts = store.import_services(school, read.services, &ctx).await?;
    let what = format!(
        "local offer feed imported: {} added, {} changed, {} unchanged, {} refused",
        counts.added,
        counts.changed,
        counts.unchanged,
        read.refused.len()
    );
    store.audit_event(&Event { school: Some(school), action: "import", entity: &what, entity_id: None, pupil: None }, &ctx).await?;
    Ok(FeedImport { counts, refused: read.refused, repeated: read.repeated, more_pages: read.total_pages.filter(|p| *p > 1) })
}

/// Fetches the feed at `url` (the address of the authority's `/services` list) and
/// imports it. A wrong address, a server that does not answer well, or a feed over
/// the size limit changes nothing and says which.
pub async fn import_feed_from(store: &Store, actor: &Actor, school: i64, url: &str) -> Result<FeedImport> {
    school_for(actor, school, Permission::EditDirectory)?;
    let bytes = fetch(url.trim()).await?;
    import_feed(store, actor, school, &bytes, url.trim()).await
}

async fn fetch(url: &str) -> Result<Vec<u8>> {
    let bad = |code: &str, message: String| AppError::Invalid(Invalid::one("url", code, message));
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(bad("invalid_url", "Enter the feed's address, starting https://".to_owned()));
    }
    let client = reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .user_agent(concat!("senplan/", env!("CARGO_PKG_VERSION"), " (Local Offer import)"))
        .build()
        .map_err(|_| bad("fetch_failed", "The feed could not be fetched".to_owned()))?;
    let mut res = client
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| bad("fetch_failed", format!("The feed could not be fetched: {}", if e.is_timeout() { "no answer within 30 seconds" } else { "the address did not answer" })))?;
    if !res.status().is_success() {
        return Err(bad("fetch_failed", format!("The feed's address answered {}, not the feed", res.status())));
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(|_| bad("fetch_failed", "The feed stopped part way".to_owned()))? {
        if bytes.len() + chunk.len() > MAX_FEED_BYTES {
            return Err(bad("too_large", format!("The feed is larger than {} MB", MAX_FEED_BYTES / 1024 / 1024)));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
