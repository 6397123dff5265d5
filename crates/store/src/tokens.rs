//! Random tokens and their SHA-256, for session ids and one-time reset links (only the
//! hash of either is stored).

use sha2::{Digest, Sha256};

use crate::audit::hex;

/// The SHA-256 of a token, hex-encoded: what is stored in its place.
pub(crate) fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

/// A random token of 256 bits, hex-encoded.
pub(crate) fn random_token() -> String {
    hex(&rand::random::<[u8; 32]>())
}
