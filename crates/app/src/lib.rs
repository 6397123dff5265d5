//! senplan's use cases, shared by the pages, the JSON API, documents, imports, e-mail
//! and the command line. Each takes the [`Actor`](senplan_core::actor::Actor) behind
//! the request and does, in one place: the permission check ([`access`]), the store
//! calls within the actor's scope, the audit entry, and the read model the caller
//! renders. Handlers extract, call one use case and render; they never check a role
//! or write to the audit trail themselves.
//!
//! Table of contents: [`access`] (the permission rule, the menu), [`error`],
//! [`records`] (opening a pupil's record, refusals audited), [`pupils`] (details,
//! status, needs, the roll), [`cycles`] (the cycle, contributions, moving it on),
//! [`plans`], [`reviews`], [`history`] (versions), [`register`] (the SEN register,
//! filtered and counted in SQL), [`costing`] (reports and their exports, audited;
//! settings), [`delivery`] (sessions and impact measures), [`my_sessions`] (the week's sessions a person delivers, logged in one go), [`figures`] (school-wide
//! counts, suppressed), [`oversight`] (concerns, the access page, grants), [`portal`]
//! (families), [`people`] (accounts), [`schools`], [`audit`] (reading the trail), [`strategies`] (a class's strategies on one page), [`meetings`] (meetings with parents, parents told: R14, R08), [`dashboard`] (the compliance dashboard: R22), [`progress`] (assessments, flags and decisions: R03), [`reminders`] (the outbox planned and sent: R32), [`documents`] (plan and review copies as accessible PDFs: R09), [`passports`] (the pupil passport: R30), [`ehc`] (requests for an EHC needs assessment and the evidence pack: R19), [`records_copy`] (the copy of the records as PDF and JSON, and its deadline: R20), [`class_copies`] (a class's plan copies in one zip: R09), [`topup`] (the application for top-up funding, PDF and CSV: R16), [`letters`] (the school's wording of its letters, checked and versioned, and the letters as PDFs: R04, R08, R14), [`local_offer`] (the Local Offer directory searched, kept by hand and imported from an Open Referral UK feed: R18), [`referrals`] (referrals to its services, consent before sending, steps, advice: R18, R35).
//! `guard` (private) turns a store's "not found" into an audited refusal.

pub mod access;
pub mod adjustments;
pub mod audit;
pub mod census;
pub mod class_copies;
pub mod costing;
pub mod cycles;
pub mod dashboard;
pub mod documents;
pub mod ehc;
pub mod delivery;
pub mod error;
pub mod figures;
mod guard;
pub mod history;
pub mod info_report;
pub mod letters;
pub mod local_offer;
pub mod meetings;
pub mod my_sessions;
pub mod oversight;
pub mod passports;
pub mod people;
pub mod plans;
pub mod portal;
pub mod progress;
pub mod pupils;
pub mod records;
pub mod records_copy;
pub mod referrals;
pub mod register;
pub mod reminders;
pub mod reviews;
pub mod roll_import;
pub mod schools;
pub mod sharing;
pub mod strategies;
pub mod topup;
pub mod transfer;
pub mod transfer_bundle;

pub use error::{AppError, Result};
