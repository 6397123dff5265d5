//! senplan's documents as accessible PDFs (R09): a copy of a plan or a review, for
//! staff or for the family, typeset with [typst](https://typst.app) used as a library.
//!
//! This crate knows no database and no web types. The application assembles a plain
//! input ([`PlanCopy`], [`ReviewCopy`]) from its read models and gets back a [`Pdf`].
//! Every PDF is tagged and conforms to PDF/UA-1 — a title, British English, headings
//! in order, real tables with header cells, lists as lists — or the render fails with
//! [`DocError::NotAccessible`]; it is never quietly written without the standard.
//!
//! User text never becomes markup: the Rust side turns each input into a view of plain
//! strings (dates in words, need codes explained, pounds, sentences in the audience's
//! voice) and hands it to the template as `data.json`, which the template reads with
//! `json(..)`. Nothing is fetched: the fonts are typst's embedded ones and no typst
//! package is used.
//!
//! Table of contents:
//! - [`plan_copy`](mod@plan_copy): a plan's copy ([`PlanCopy`], [`ProvisionCost`] for a staff copy).
//! - [`review_copy`](mod@review_copy): a review's copy ([`ReviewCopy`]).
//! - [`letter`](mod@letter): a letter to the family ([`Letter`]; R08).
//! - [`passport`](mod@passport): the pupil passport on one page ([`PassportCopy`]; R30),
//!   and [`check_picture`] for its photo or drawing.
//! - [`evidence_pack`](mod@evidence_pack): the EHC needs assessment evidence pack
//!   ([`EvidencePack`]; R19).
//! - [`records_copy`](mod@records_copy): a copy of everything held on a pupil
//!   ([`RecordsCopy`]; R20), costs shown as hours.
//! - [`topup`](mod@topup): the application for top-up funding with the threshold
//!   calculation line by line ([`TopUpApplication`]; R16), sharing the evidence
//!   pack's supporting evidence ([`Evidence`]).
//! - [`context`]: what every document says about itself ([`DocContext`],
//!   [`Audience`], [`ProducedBy`]) and the finished [`Pdf`].
//! - [`error`]: why a document could not be produced ([`DocError`]).
//! - `words`: plain-language wording shared by the documents.
//! - `render` and `world`: the one render path (template + data + images → PDF/UA-1)
//!   and the closed typst world it runs in; [`warm_up`] builds its fonts and library.
//! - [`testing`] (feature `testing`): reading a PDF back — its text, structure tags and
//!   accessibility metadata — for this crate's tests and its callers'.

pub mod context;
pub mod error;
pub mod evidence_pack;
pub mod letter;
pub mod passport;
pub mod plan_copy;
pub mod records_copy;
mod render;
pub mod review_copy;
pub mod topup;
#[cfg(feature = "testing")]
pub mod testing;
mod words;
mod world;

pub use context::{Audience, DocContext, Pdf, ProducedBy};
pub use error::DocError;
pub use evidence_pack::{Evidence, EvidencePack, ImpactLine, ReviewedCycle, ViewsGiven, evidence_pack};
pub use letter::{Letter, letter};
pub use passport::{PassportCopy, check_picture, passport_copy};
pub use records_copy::{CycleRecord, RecordsCopy, records_copy};
pub use plan_copy::{PlanCopy, ProvisionCost, plan_copy};
pub use review_copy::{ReviewCopy, review_copy};
pub use topup::{TopUpApplication, topup_application};
pub use words::file_name;
pub use world::warm_up;
