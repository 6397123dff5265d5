//! Letters to families (R04, R08, R14): the school's wording of each kind of letter —
//! senplan's own until the SENCO saves the school's, checked for placeholders when
//! saved and kept with every version — and the letters produced from it: telling the
//! parents their child is on SEN support, the invitation to a meeting and the notes
//! of a meeting held, each a PDF audited in the pupil's trail.

use std::collections::BTreeMap;

use senplan_core::access::Permission;
use senplan_core::actor::Actor;
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::letters::{Common, LetterKind, LetterTemplate, Placeholder, common_values, meeting_values};
use senplan_core::record::{HistoryEntry, Pupil, School};
use senplan_docs::Pdf;
use senplan_store::Store;
use senplan_store::history::Entity;
use senplan_store::letters::LetterTemplateRecord;

use crate::access::school_for;
use crate::documents::{produced, typeset};
use crate::error::{AppError, Result};
use crate::guard::{Target, seen};

/// One kind of letter as the school words it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolLetter {
    pub kind: LetterKind,
    /// The school's wording, or senplan's when `saved` is `None`.
    pub template: LetterTemplate,
    pub saved: Option<LetterTemplateRecord>,
}

impl SchoolLetter {
    /// The version the next save must name: 0 while senplan's wording is used.
    pub fn version(&self) -> i64 {
        self.saved.as_ref().map_or(0, |s| s.version)
    }
}

/// A letter's editing page: the wording now, what it can fill in, senplan's own
/// wording to go back to, and every earlier version.
#[derive(Debug, Clone)]
pub struct LetterEditor {
    pub letter: SchoolLetter,
    pub placeholders: Vec<Placeholder>,
    pub default: LetterTemplate,
    /// The versions saved before the one in use, the latest first.
    pub history: Vec<HistoryEntry>,
}

async fn school_letter(store: &Store, school: SchoolId, kind: LetterKind) -> Result<SchoolLetter> {
    let saved = store.letter_template(school, kind).await?;
    Ok(SchoolLetter { kind, template: saved.as_ref().map_or_else(|| kind.default_template(), |s| s.template.clone()), saved })
}

/// Every kind of letter as the school words it (the SENCO).
pub async fn letters(store: &Store, actor: &Actor, school: i64) -> Result<Vec<SchoolLetter>> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let saved = store.letter_templates(id).await?;
    Ok(LetterKind::ALL
        .into_iter()
        .map(|kind| {
            let saved = saved.iter().find(|s| s.kind == kind).cloned();
            SchoolLetter { kind, template: saved.as_ref().map_or_else(|| kind.default_template(), |s| s.template.clone()), saved }
        })
        .collect())
}

/// One kind of letter to reword (the SENCO).
pub async fn letter_editor(store: &Store, actor: &Actor, school: i64, kind: LetterKind) -> Result<LetterEditor> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let letter = school_letter(store, id, kind).await?;
    let mut history = match &letter.saved {
        Some(s) => store.history(&actor.scope(), Entity::LetterTemplate, s.id).await?,
        None => Vec::new(),
    };
    history.retain(|h| h.version != letter.version());
    history.sort_by_key(|h| std::cmp::Reverse(h.version));
    Ok(LetterEditor { letter, placeholders: kind.placeholders(), default: kind.default_template(), history })
}

/// Saves the school's wording of `kind` (the SENCO): refused, changing nothing, when
/// it names a placeholder the letter cannot fill, leaves a brace open, or was changed
/// by someone else since `expected` was read.
pub async fn save_letter(
    store: &Store,
    actor: &Actor,
    school: i64,
    kind: LetterKind,
    expected: i64,
    template: LetterTemplate,
) -> Result<LetterTemplateRecord> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let template = template.validate(kind)?;
    Ok(store.save_letter_template(id, kind, expected, template, &senplan_store::Ctx::of(actor)).await?)
}

/// The values every letter about `p` fills: signed by the school's SENCO (or the
/// actor when none is named), dated today.
fn values(s: &School, actor: &Actor, p: &Pupil) -> BTreeMap<&'static str, String> {
    let senco = if s.contacts.senco_name.trim().is_empty() { actor.name().to_owned() } else { s.contacts.senco_name.clone() };
    let contact = [s.contacts.senco_email.as_str(), s.contacts.senco_phone.as_str()]
        .into_iter()
        .filter(|c| !c.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" or ");
    let d = &p.details;
    let child = d.preferred_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| d.given_name.clone());
    common_values(&Common {
        today: actor.today(),
        child: &child,
        child_full_name: &format!("{child} {}", d.family_name),
        school: &s.details.name,
        senco: &senco,
        senco_title: s.details.setting.coordinator_title(),
        contact: &contact,
    })
}

/// A letter written out: its subject and text, for the page that shows it and the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub subject: String,
    pub text: String,
}

/// The letter telling the parents that `p` is on SEN support, in the school's wording
/// (the caller has checked access to the pupil).
pub(crate) async fn sen_support_text(store: &Store, actor: &Actor, s: &School, p: &Pupil) -> Result<Written> {
    let template = school_letter(store, s.id, LetterKind::SenSupport).await?.template;
    let (subject, text) = template.fill(&values(s, actor, p));
    Ok(Written { subject, text })
}

async fn pdf(store: &Store, actor: &Actor, s: &School, p: &Pupil, written: Written, what: &str) -> Result<Pdf> {
    let d = &p.details;
    let first = d.preferred_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| d.given_name.clone());
    let letter = senplan_docs::Letter {
        school_name: s.details.name.clone(),
        pupil_full_name: format!("{first} {}", d.family_name),
        subject: written.subject,
        dated: actor.today(),
        text: written.text,
    };
    let pdf = typeset(move || senplan_docs::letter(&letter)).await?;
    produced(store, actor, p.id, what).await?;
    Ok(pdf)
}

/// The letter telling the parents that their child is on SEN support (R08), as a PDF
/// to print or send (the SENCO): the wording the meetings page shows.
pub async fn sen_support_letter(store: &Store, actor: &Actor, school: i64, pupil: PupilId) -> Result<Pdf> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let p = seen(store, actor, Target::Pupil(pupil), "letter", store.pupil(&actor.scope(), pupil).await).await?;
    let s = store.school(id).await?;
    let written = sen_support_text(store, actor, &s, &p).await?;
    pdf(store, actor, &s, &p, written, "letter telling the parents about SEN support").await
}

/// The invitation to a meeting, or the notes of a meeting held, as a PDF (the SENCO,
/// R14). Notes of a meeting not yet written up are refused with the reason.
pub async fn meeting_letter(store: &Store, actor: &Actor, school: i64, meeting: i64, kind: LetterKind) -> Result<Pdf> {
    let id = school_for(actor, school, Permission::EditRecord)?;
    let scope = actor.scope();
    let m = seen(store, actor, Target::Record(Entity::Meeting, meeting), "meeting letter", store.meeting(&scope, meeting).await).await?;
    let p = store.pupil(&scope, m.pupil_id).await?;
    let what = match kind {
        LetterKind::MeetingInvitation => "invitation to a meeting",
        LetterKind::MeetingNotes if m.meeting.held().is_none() => {
            return Err(AppError::Invalid(senplan_core::Invalid::one(
                "meeting",
                "not_held",
                "The notes can be sent once the meeting is recorded as held, with who came and what was agreed",
            )));
        }
        LetterKind::MeetingNotes => "notes of a meeting",
        LetterKind::SenSupport => return Err(AppError::NotFound("letter")),
    };
    let s = store.school(id).await?;
    let mut v = values(&s, actor, &p);
    meeting_values(&m.meeting, &mut v);
    let (subject, text) = school_letter(store, id, kind).await?.template.fill(&v);
    pdf(store, actor, &s, &p, Written { subject, text }, what).await
}
