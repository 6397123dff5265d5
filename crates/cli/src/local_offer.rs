//! `senplan local-offer import`: an Open Referral UK feed, from a file or its address,
//! into a school's Local Offer directory (R18), as the command line's system actor. It
//! prints what was added, changed and left alone, and every service not taken with its
//! id and reason; a feed that cannot be read changes nothing.

use std::path::PathBuf;

use senplan_app::local_offer::{FeedImport, MAX_FEED_BYTES, import_feed, import_feed_from};
use senplan_core::actor::Actor;
use senplan_store::Store;

use crate::CliError;

#[derive(clap::Subcommand)]
pub(crate) enum LocalOfferAction {
    /// Import an Open Referral UK services feed (version 1 or 3): each service is added,
    /// or updated when it was imported from the same feed before.
    Import {
        /// The school, by URN.
        #[arg(long)]
        school: String,
        /// The feed saved as a JSON file.
        #[arg(long, conflicts_with = "url", required_unless_present = "url")]
        file: Option<PathBuf>,
        /// The feed's address (the authority's `/services` list).
        #[arg(long)]
        url: Option<String>,
    },
}

pub(crate) async fn run(store: &Store, action: LocalOfferAction) -> Result<(), CliError> {
    let LocalOfferAction::Import { school, file, url } = action;
    let found = store.school_by_urn(&school).await?.ok_or_else(|| CliError::Usage(format!("no school with URN {school}")))?;
    let actor = Actor::system(found.id, "senplan local-offer import", "command line", chrono::Utc::now());
    let done = match (file, url) {
        (Some(path), _) => {
            let size = std::fs::metadata(&path)?.len();
            if size > MAX_FEED_BYTES as u64 {
                return Err(CliError::Usage(format!("{} is larger than {} MB", path.display(), MAX_FEED_BYTES / 1024 / 1024)));
            }
            let bytes = std::fs::read(&path)?;
            let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            import_feed(store, &actor, found.id.0, &bytes, &name).await?
        }
        (None, Some(url)) => import_feed_from(store, &actor, found.id.0, &url).await?,
        (None, None) => return Err(CliError::Usage("give the feed with --file or --url".into())),
    };
    print(&done);
    Ok(())
}

fn print(d: &FeedImport) {
    let c = d.counts;
    println!("Services added: {}; changed: {}; unchanged: {}; not taken: {}", c.added, c.changed, c.unchanged, d.refused.len());
    for r in &d.refused {
        println!("  not taken: {}: {}", r.id, r.reason);
    }
    if !d.repeated.is_empty() {
        println!("Listed more than once (the later entry was used): {}", d.repeated.join(", "));
    }
    if let Some(p) = d.more_pages {
        println!("The feed says it has {p} pages; only the first was read.");
    }
}
