//! Unique Pupil Numbers (UPNs): the validated [`Upn`] type, its check letter,
//! the census validation errors it mirrors ([`UpnError`]) and the reference list
//! of DfE local authority numbers that may appear in characters 2–4.
//!
//! A UPN is 13 characters: a check letter, a 3-digit LA number, a 4-digit
//! establishment number, the 2-digit year of allocation and a 3-character serial
//! (three digits, or for a temporary UPN two digits then a letter). Letters I, O
//! and S are never used. See `standards.md` §1.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Number of characters in a UPN.
const UPN_LEN: usize = 13;
/// Number of characters after the check letter.
const BODY_LEN: usize = UPN_LEN - 1;
/// Number of digits in the LA number (characters 2–4).
const LA_DIGITS: usize = 3;

/// Check letters by remainder (0 → A … 22 → Z); also the letters allowed as the
/// final character of a temporary UPN, each worth its index here.
const CHECK_ALPHABET: [char; 23] =
    ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z'];

/// A valid Unique Pupil Number, stored in upper case.
///
/// Serialises as a plain string; deserialising validates it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(
    feature = "openapi",
    schema(value_type = String, example = "A380200124417")
)]
pub struct Upn(String);

impl Upn {
    /// Parses and validates a UPN, ignoring surrounding whitespace and accepting
    /// lower case.
    ///
    /// Checks run in the census order: missing, length, LA number (characters
    /// 2–4), digits (characters 5–12), final character, then the check letter.
    pub fn parse(s: &str) -> Result<Self, UpnError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(UpnError::Missing);
        }
        let chars: Vec<char> = s.chars().map(|c| c.to_ascii_uppercase()).collect();
        let Ok([found, body @ ..]) = <[char; UPN_LEN]>::try_from(chars.as_slice()) else {
            return Err(UpnError::WrongLength { found: chars.len() });
        };
        let expected = body_check_letter(&body)?;
        if is_forbidden_letter(found) {
            return Err(UpnError::ForbiddenLetter { position: 1, letter: found });
        }
        if found != expected {
            return Err(UpnError::WrongCheckLetter { expected, found });
        }
        Ok(Self(chars.into_iter().collect()))
    }

    /// Builds a valid permanent UPN from its parts, for synthetic demo data:
    /// `la` (3 digits), `estab` (4 digits), `year` (0..=99), `serial` (0..=999).
    ///
    /// An unknown LA gives [`UpnError::UnknownLa`]; a part too large for its
    /// field gives [`UpnError::WrongLength`] with the length the UPN would have.
    pub fn from_parts(la: u16, estab: u16, year: u8, serial: u16) -> Result<Self, UpnError> {
        let body = format!("{la:03}{estab:04}{year:02}{serial:03}");
        let letter = check_letter(&body)?;
        Ok(Self(format!("{letter}{body}")))
    }

    /// The UPN as a 13-character upper-case string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a temporary UPN (final character a letter).
    pub fn is_temporary(&self) -> bool {
        self.0.chars().last().is_some_and(|c| c.is_ascii_alphabetic())
    }

    /// The LA number in characters 2–4 (a known code from [`all_las`]).
    pub fn la_code(&self) -> u16 {
        self.0.chars().skip(1).take(LA_DIGITS).filter_map(|c| c.to_digit(10)).fold(0, |code, digit| code * 10 + digit as u16)
    }
}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Upn {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Upn {
    type Err = UpnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Upn {
    type Error = UpnError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Upn> for String {
    fn from(upn: Upn) -> Self {
        upn.0
    }
}

/// Computes the check letter for `body`, the 12 characters after the check
/// letter (lower case accepted).
///
/// The body is validated as characters 2–13 of a UPN, so error positions refer
/// to the whole UPN and [`UpnError::WrongLength`] reports the body's length plus
/// one (the length the UPN would have).
pub fn check_letter(body: &str) -> Result<char, UpnError> {
    if body.is_empty() {
        return Err(UpnError::Missing);
    }
    let chars: Vec<char> = body.chars().map(|c| c.to_ascii_uppercase()).collect();
    let body = <[char; BODY_LEN]>::try_from(chars.as_slice()).map_err(|_| UpnError::WrongLength { found: chars.len() + 1 })?;
    body_check_letter(&body)
}

/// Validates characters 2–13 (upper case) and returns the check letter they need.
///
/// Each character in UPN position n (2..=13) is multiplied by n, a digit
/// counting as its value and a final letter as its index in [`CHECK_ALPHABET`];
/// the sum modulo 23 indexes the check letter.
fn body_check_letter(body: &[char; BODY_LEN]) -> Result<char, UpnError> {
    let position = |index: usize| index + 2;
    let digit = |index: usize| body[index].to_digit(10).ok_or(UpnError::NotNumeric { position: position(index) });

    let mut la = 0;
    for index in 0..LA_DIGITS {
        la = la * 10 + digit(index)?;
    }
    if !u16::try_from(la).is_ok_and(is_known_la) {
        return Err(UpnError::UnknownLa { code: body[..LA_DIGITS].iter().collect() });
    }

    let mut sum = 0;
    for index in 0..BODY_LEN - 1 {
        sum += digit(index)? as usize * position(index);
    }
    let last = BODY_LEN - 1;
    sum += final_character_value(body[last])? * position(last);

    Ok(CHECK_ALPHABET[sum % CHECK_ALPHABET.len()])
}

/// The weight-free value of character 13: a digit, or an allowed letter's index.
fn final_character_value(c: char) -> Result<usize, UpnError> {
    if let Some(digit) = c.to_digit(10) {
        return Ok(digit as usize);
    }
    CHECK_ALPHABET.iter().position(|&letter| letter == c).ok_or(UpnError::BadFinalCharacter { found: c })
}

fn is_forbidden_letter(c: char) -> bool {
    matches!(c, 'I' | 'O' | 'S')
}

/// Why a string is not a valid UPN. Each variant maps to the school census
/// validation error it mirrors, where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpnError {
    /// Nothing was given (census 1500).
    #[error("UPN is missing: expected 13 characters")]
    Missing,
    /// Not 13 characters (no census code of its own).
    #[error("UPN must be 13 characters, found {found}")]
    WrongLength { found: usize },
    /// The check letter does not match the other 12 characters (census 1510).
    #[error("UPN check letter is wrong: expected {expected}, found {found}")]
    WrongCheckLetter { expected: char, found: char },
    /// Characters 2–4 are digits but not a recognised LA number (census 1530).
    #[error("UPN characters 2-4 must be a recognised local authority number, found {code}")]
    UnknownLa { code: String },
    /// A character that must be a digit is not: positions 2–4 (census 1530) or
    /// 5–12 (census 1540). `position` is 1-based.
    #[error("UPN character {position} must be a digit (characters 2-12 are all digits)")]
    NotNumeric { position: usize },
    /// Character 13 is neither a digit nor an allowed letter (census 1550).
    #[error("UPN character 13 must be a digit or a letter other than I, O and S, found {found:?}")]
    BadFinalCharacter { found: char },
    /// I, O or S used as the check letter (census 1510). `position` is 1-based.
    #[error("UPN character {position} is {letter}, but I, O and S are never used in UPNs")]
    ForbiddenLetter { position: usize, letter: char },
}

impl UpnError {
    /// The school census validation error number this mirrors, if any.
    /// The message for people, naming the census rule where there is one.
    pub fn message(&self) -> String {
        match self.census_code() {
            Some(code) => format!("{self} (census error {code})"),
            None => self.to_string(),
        }
    }

    pub fn census_code(&self) -> Option<u16> {
        match self {
            Self::Missing => Some(1500),
            Self::WrongLength { .. } => None,
            Self::WrongCheckLetter { .. } | Self::ForbiddenLetter { .. } => Some(1510),
            Self::UnknownLa { .. } => Some(1530),
            Self::NotNumeric { position } if *position <= LA_DIGITS + 1 => Some(1530),
            Self::NotNumeric { .. } => Some(1540),
            Self::BadFinalCharacter { .. } => Some(1550),
        }
    }

    /// A stable snake_case identifier for APIs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing => "upn_missing",
            Self::WrongLength { .. } => "upn_wrong_length",
            Self::WrongCheckLetter { .. } => "upn_wrong_check_letter",
            Self::UnknownLa { .. } => "upn_unknown_la",
            Self::NotNumeric { .. } => "upn_not_numeric",
            Self::BadFinalCharacter { .. } => "upn_bad_final_character",
            Self::ForbiddenLetter { .. } => "upn_forbidden_letter",
        }
    }
}

pub use crate::la::{all_las, is_known_la, la_name};

#[cfg(test)]
#[path = "upn_tests.rs"]
mod tests;
