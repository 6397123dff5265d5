//! Shared by the costing API and pages: date ranges from query strings (with errors
//! that name the field), and CSV exports of the costing reports.

pub mod csv_export;
pub mod query;
