//! senplan's domain: the SEN support rules of the SEND Code of Practice as plain
//! types and pure functions. No I/O, no async, no clock: "today" is always passed in.
//!
//! Table of contents:
//! - [`access`]: roles, relationships and permissions (R10, R21, R31).
//! - [`actor`]: who is acting, and the [`actor::Scope`] only an actor can build.
//! - [`ids`]: typed identifiers.
//! - [`dates`]: dates as people type them, and why a date cannot exist.
//! - [`disclosure`]: small-number suppression in shared figures (R25).
//! - [`error`]: validation errors that name the field at fault.
//! - [`upn`]: Unique Pupil Number and its check letter (standards.md §1), LA codes.
//! - [`school`]: schools, URN, LAESTAB, setting type.
//! - [`plan_checks`]: the golden thread (R27) and vague wording (R28) in a plan.
//! - [`pupil`]: pupils, names, date of birth, year group, age and young-person rules.
//! - [`status`]: SEN status (N, K, E; historic S, A, P) with dated history (R01).
//! - [`la`]: local authority numbers, reference data.
//! - [`need`]: census type-of-need codes, broad areas, ranking (R02).
//! - [`cycle`]: the assess–plan–do–review state machine (R05).
//! - [`assessment`]: contributions from parent, child, staff, specialists (R06, R21).
//! - [`plan`]: the SEN support plan: outcomes, provision, strategies (R07).
//! - [`meeting`]: meetings with parents, three a year, agreed actions (R14).
//! - [`informing`]: telling parents about SEN support, the letter (R08).
//! - [`duties`]: the designated SENCO and the NPQ due date (R22, R26).
//! - [`help_given`]: the help given week by week against the plan, for families (R37).
//! - [`compliance`]: the dashboard's checks as of a day (R22).
//! - [`progress`]: spotting need early from assessments (R03); the check at age two (R26).
//! - [`reminders`]: which reminders are due, and who chose to receive them (R32).
//! - [`request`]: a family's request worked: received, in hand, done (R04, R20).
//! - [`record`]: stored records with id, version and history entries (R20).
//! - [`review`]: outcome ratings, checklist, progress, decision, next cycle (R12, R13).
//! - [`referral`]: a referral to a service, agreed with the family first, step by step (R18, R35).
//! - [`local_offer`]: the Local Offer directory of services and how to search it (R18).
//! - [`costing`]: money, shares, threshold, budget, delivery and impact (R11, R15–R17, R29).

pub mod access;
pub mod adjustments;
pub mod actor;
pub mod assessment;
pub mod compliance;
pub mod concern;
pub mod costing;
pub mod cycle;
pub mod dates;
pub mod disclosure;
pub mod duties;
pub mod ehc;
pub mod error;
pub mod help_given;
pub mod ids;
pub mod info_report;
pub mod informing;
pub mod la;
pub mod letters;
pub mod local_offer;
pub mod meeting;
pub mod need;
pub mod plan;
pub mod plan_checks;
pub mod parent_letter;
pub mod passport;
pub mod progress;
pub mod pupil;
pub mod record;
pub mod referral;
pub mod report_file;
pub mod reminders;
pub mod roll_sync;
pub mod request;
pub mod review;
pub mod school;
pub mod sharing;
pub mod status;
pub mod transfer;
pub mod upn;

pub use error::{FieldError, Invalid};
