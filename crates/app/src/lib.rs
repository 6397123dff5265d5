//! senplan's use cases, shared by the pages, the JSON API, documents, imports, e-mail
//! and the command line. Each takes the [`Actor`](senplan_core::actor::Actor) behind
//! the request and does, in one place: the permission check ([`access`]), the store
//! calls within the actor's scope, the audit entry, and the read model the caller
//! renders. Handlers extract, call one use case and render; they never check a role
//! or write to the audit trail themselves.
//!
//! Table of contents: [`access`] (the permission rule), [`error`], [`records`]
//! (opening a pupil's record, refusals audited), [`costing`] (the costing reports and
//! their exports, audited), [`figures`] (school-wide counts, suppressed).

pub mod access;
pub mod costing;
pub mod error;
pub mod figures;
pub mod records;

pub use error::{AppError, Result};
