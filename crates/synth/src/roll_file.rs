//! A synthetic school roll as a MIS exports it (R24), for benchmarks and demos of the
//! roll import: a SIMS-style CSV with a heading row, reproducible from a seed. Every
//! name, date and UPN is invented; UPNs carry valid check letters and are unique up to
//! a million pupils.

use std::io::{self, Write};

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use senplan_core::upn::Upn;

use crate::names;

/// The heading row.
pub const HEADER: &str = "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Year,Reg Group,Admission Date,SEN Status,Primary Need,Secondary Need\r\n";

/// Writes a roll of `pupils` pupils: about 13% on SEN support and 2% with an EHC plan,
/// each with a primary need (and sometimes a secondary one) whose code fixes its area.
pub fn write_roll(mut w: impl Write, pupils: u32, seed: u64) -> io::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    w.write_all(HEADER.as_bytes())?;
    let codes = ["SLCN", "ASD", "SEMH", "MLD", "SPLD", "HI", "VI", "PD", "SLD"];
    for i in 0..pupils.min(999_999) {
        let estab = 2000 + u16::try_from(i / 1000).unwrap_or(0) % 8000;
        let serial = u16::try_from(i % 1000).unwrap_or(0);
        let upn = Upn::from_parts(919, estab, 19, serial).map_err(|e| io::Error::other(e.to_string()))?;
        let year: u8 = rng.random_range(1..=11);
        let dob = NaiveDate::from_ymd_opt(2020 - i32::from(year), 9, 1).unwrap_or_default() + Days::new(rng.random_range(0..365));
        let given = names::GIVEN[rng.random_range(0..names::GIVEN.len())];
        let family = names::FAMILY[rng.random_range(0..names::FAMILY.len())];
        let sex = if rng.random_bool(0.5) { "F" } else { "M" };
        let roll: u32 = rng.random_range(0..100);
        let (status, primary, secondary) = match roll {
            0..=12 => ("K", codes[rng.random_range(0..codes.len())], if rng.random_bool(0.3) { "SEMH" } else { "" }),
            13..=14 => ("E", codes[rng.random_range(0..codes.len())], ""),
            _ => ("N", "", ""),
        };
        let secondary = if secondary == primary { "" } else { secondary };
        writeln!(
            w,
            "{upn},{family},{given},,{dob},{sex},{year},{year}{form},2024-09-0{day},{status},{primary},{secondary}\r",
            dob = dob.format("%d/%m/%Y"),
            form = ["A", "B", "C"][rng.random_range(0..3)],
            day = rng.random_range(2..9),
        )?;
    }
    Ok(())
}
