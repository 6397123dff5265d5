//! The web crate's integration tests, in one binary: a real server on port 0, a real
//! SQLite file or PostgreSQL database per test, real HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic: that is a failed test

mod access;
mod adjustments;
mod answers;
mod api;
mod audit;
mod cycle_rules;
mod figures;
mod find_pupils;
mod matrix;
mod documents;
mod ehc;
mod info_report;
mod letters;
mod local_offer;
mod meetings;
mod matrix_rules;
mod my_sessions;
mod offered;
mod passport;
mod portal_letter;
mod portal_referrals;
mod progress;
mod referrals;
mod requests;
mod roll_import;
mod security;
mod sharing;
mod sign_in;
mod support;
mod topup;
mod transfers;
