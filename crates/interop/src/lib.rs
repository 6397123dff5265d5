//! Formats senplan reads from and writes for other systems. Raw input is parsed once,
//! here, into `senplan-core`'s checked types; whatever cannot be taken is reported with
//! where it is and why, never guessed at. No database, web or clock types: the caller
//! decides what to store, and a function that needs "today" is given it.
//!
//! - [`oruk`]: an Open Referral UK service feed (the UK's open standard for local
//!   service directories, a profile of HSDS) read into Local Offer services (R18).
//! - [`roll`]: a school roll exported as CSV from a management information system
//!   (Arbor, SIMS, Bromcom, Scholarpack), read row by row with every problem reported
//!   by line and column.
//! - [`ctf`]: the SEN parts of the DfE Common Transfer File, read one pupil at a time
//!   and written, so SEN history follows a pupil between schools (R24).
//! - [`census`]: SEN provision and types of need for the school census: census days,
//!   the census software's checks, and the CSV and XML a return carries.

pub mod census;
pub mod ctf;
mod needs;
pub mod oruk;
pub mod roll;

use senplan_core::need::NeedCode;

/// A census type of need with its rank: 1 is the primary need, 2 the secondary, and so
/// on. The roll ([`roll::RolledNeed`]), the CTF ([`ctf::CtfNeed`]) and the census share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RankedNeed {
    pub rank: u8,
    pub code: NeedCode,
}
