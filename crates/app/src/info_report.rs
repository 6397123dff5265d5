//! The SEN information report (R23): the SENCO writes it section by section, saves
//! drafts and publishes; anyone may read the published report at the school's public
//! address, with the figures senplan adds (pupils with SEN by broad area of need, small
//! numbers suppressed). Every saved version is kept; publishing is audited.

use chrono::NaiveDate;
use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::disclosure::{suppressed, suppressed_table};
use senplan_core::info_report::{InfoReport, InfoReportInput, Intent, ReportSection, ReportStanding, Section, standing};
use senplan_core::record::{HistoryEntry, School};
use senplan_store::history::Entity;
use senplan_store::info_report::{InfoReportRecord, Published};
use senplan_store::{Ctx, Store};

use crate::access::school_for;
use crate::error::{AppError, Result};

/// The editing page: the report as last saved (or a first draft), what is published,
/// and the earlier versions.
#[derive(Debug, Clone)]
pub struct ReportEditor {
    pub school: School,
    pub report: InfoReport,
    /// The version the next save must name: 0 before the first save.
    pub version: i64,
    pub published: Option<Published>,
    pub standing: ReportStanding,
    /// Versions saved before the current one, latest first.
    pub history: Vec<HistoryEntry>,
}

/// A first draft: the SENCO's contact and the Local Offer address from the school's
/// contacts, every other section empty, reviewed today.
fn first_draft(school: &School, today: NaiveDate) -> InfoReport {
    let c = &school.contacts;
    let contact = [c.senco_name.as_str(), c.senco_email.as_str(), c.senco_phone.as_str()]
        .into_iter()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    InfoReport {
        sections: Section::ALL
            .into_iter()
            .map(|section| ReportSection { section, text: if section == Section::SencoContact { contact.clone() } else { String::new() } })
            .collect(),
        local_offer_url: c.local_offer_url.clone(),
        reviewed_on: today,
    }
}

/// The report to edit (the SENCO).
pub async fn editor(store: &Store, actor: &Actor, school: i64) -> Result<ReportEditor> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let s = store.school(id).await?;
    let saved = store.info_report(id).await?;
    let mut history = match &saved {
        Some(_) => store.history(&actor.scope(), Entity::InfoReport, id.0).await?,
        None => Vec::new(),
    };
    let version = saved.as_ref().map_or(0, |r| r.version);
    history.retain(|h| h.version != version);
    history.sort_by_key(|h| std::cmp::Reverse(h.version));
    let standing = standing(saved.as_ref().and_then(|r| r.published.as_ref()).map(|p| p.report.reviewed_on), actor.today());
    Ok(match saved {
        Some(InfoReportRecord { report, version, published, .. }) => ReportEditor { school: s, report, version, published, standing, history },
        None => ReportEditor { report: first_draft(&s, actor.today()), school: s, version: 0, published: None, standing, history },
    })
}

/// Saves the report as a draft or publishes it (the SENCO): refused, changing nothing,
/// when a section is too long, the Local Offer address is not a web address, the review
/// date is missing or in the future, (to publish) a section is empty, or someone else
/// saved since `expected` was read.
pub async fn save(store: &Store, actor: &Actor, school: i64, expected: i64, input: &InfoReportInput, intent: Intent) -> Result<InfoReportRecord> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let report = input.validate(intent, actor.today())?;
    let publish_on = (intent == Intent::Publish).then(|| actor.today());
    Ok(store.save_info_report(id, expected, report, publish_on, &Ctx::of(actor)).await?)
}

/// The published report as anyone reads it, with its figures.
#[derive(Debug, Clone)]
pub struct PublicReport {
    pub school_name: String,
    pub urn: String,
    pub published: Published,
    pub standing: ReportStanding,
    /// Each line a label and a count as shown ("12", "fewer than 5", "not shown").
    pub figures: Vec<(String, String)>,
}

/// The school's published report, by its URN: no sign-in, nothing about any pupil but
/// suppressed counts. Not found when the school has none published.
pub async fn public_report(store: &Store, urn: &str, today: NaiveDate) -> Result<PublicReport> {
    let school = store.school_by_urn(urn.trim()).await?.ok_or(AppError::NotFound("information report"))?;
    let published = store.info_report(school.id).await?.and_then(|r| r.published).ok_or(AppError::NotFound("information report"))?;
    let counts = store.sen_by_area(school.id).await?;
    let total_support: usize = counts.support.iter().map(|(_, n)| n).sum();
    let totals_hidden = [total_support, counts.ehc_plans].iter().any(|n| suppressed(*n) != n.to_string());
    let by_area: Vec<usize> = counts.support.iter().map(|(_, n)| *n).collect();
    let mut figures = vec![
        ("Pupils on roll".to_owned(), suppressed(counts.on_roll)),
        ("Pupils on SEN support".to_owned(), suppressed(total_support)),
        ("Pupils with an EHC plan".to_owned(), suppressed(counts.ehc_plans)),
    ];
    for ((area, _), shown) in counts.support.iter().zip(suppressed_table(&by_area, totals_hidden)) {
        let label = area.map_or("Need not yet recorded", |a| a.label());
        figures.push((format!("On SEN support: {label}"), shown));
    }
    Ok(PublicReport {
        standing: standing(Some(published.report.reviewed_on), today),
        school_name: school.details.name,
        urn: school.details.urn,
        published,
        figures,
    })
}

/// Where the school's report stands on `on`, for the compliance dashboard.
pub async fn report_standing(store: &Store, school: senplan_core::ids::SchoolId, on: NaiveDate) -> Result<ReportStanding> {
    Ok(standing(store.info_report_reviewed_on(school).await?, on))
}
