//! The documents read back as a person's software would (R09): their words, their
//! structure tags and their PDF/UA-1 metadata. One test binary for all of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod evidence;
mod fixtures;
mod injection;
mod letter;
mod passport;
mod plan;
mod records;
mod review;
mod topup;
