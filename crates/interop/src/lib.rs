//! Formats senplan reads from and writes for other systems. Raw input is parsed once,
//! here, into `senplan-core`'s checked types; whatever cannot be taken is reported with
//! where it is and why, never guessed at. No database, web or clock types: the caller
//! decides what to store.
//!
//! - [`oruk`]: an Open Referral UK service feed (the UK's open standard for local
//!   service directories, a profile of HSDS) read into Local Offer services (R18).

pub mod oruk;
