//! The audit key: the secret that keys every entry's hash (HMAC-SHA256) and signs the
//! checkpoints. It is kept outside the database, so someone who can only write to the
//! database cannot recompute the chain after changing it.
//!
//! The key is written as hexadecimal, 64 digits or more (at least 32 bytes, the size of
//! SHA-256's output), in a key file or in the `SENPLAN_AUDIT_KEY` variable; spaces and
//! line breaks around it are ignored. The key never appears in `Debug` output or errors.

use std::fmt;
use std::path::Path;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// Bytes of a key made by [`AuditKey::generate`], and the fewest a key may have.
pub const KEY_BYTES: usize = 32;

/// The secret of the keyed audit chains.
#[derive(Clone)]
pub struct AuditKey(Vec<u8>);

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AuditKey(fingerprint {})", self.fingerprint())
    }
}

/// Why a key could not be read. Never holds the key itself.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("the audit key must be hexadecimal digits (0-9, a-f): found '{0}' at position {1}")]
    NotHex(char, usize),
    #[error("the audit key has an odd number of hexadecimal digits ({0}): each byte is two digits")]
    OddLength(usize),
    #[error("the audit key is too short: {0} bytes, it needs at least {KEY_BYTES} (64 hexadecimal digits)")]
    TooShort(usize),
    #[error("could not read the audit key file {path}: {reason}")]
    File { path: String, reason: String },
}

impl AuditKey {
    /// A key from raw bytes (at least [`KEY_BYTES`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<AuditKey, KeyError> {
        if bytes.len() < KEY_BYTES {
            return Err(KeyError::TooShort(bytes.len()));
        }
        Ok(AuditKey(bytes.to_vec()))
    }

    /// A key written in hexadecimal, surrounding whitespace ignored.
    pub fn from_hex(text: &str) -> Result<AuditKey, KeyError> {
        let text = text.trim();
        if let Some((i, c)) = text.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
            // Only the offending character is named, never the key around it.
            return Err(KeyError::NotHex(c, i + 1));
        }
        if text.len() % 2 == 1 {
            return Err(KeyError::OddLength(text.len()));
        }
        let bytes: Vec<u8> = (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16))
            .collect::<Result<_, _>>()
            .map_err(|_| KeyError::NotHex('?', 0))?;
        Self::from_bytes(&bytes)
    }

    /// Reads a key file (hexadecimal text).
    pub fn read_file(path: &Path) -> Result<AuditKey, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|e| KeyError::File { path: path.display().to_string(), reason: e.to_string() })?;
        Self::from_hex(&text).map_err(|e| KeyError::File { path: path.display().to_string(), reason: e.to_string() })
    }

    /// A new random key of [`KEY_BYTES`] bytes.
    pub fn generate() -> AuditKey {
        AuditKey(rand::random::<[u8; KEY_BYTES]>().to_vec())
    }

    /// The key as hexadecimal text, for writing a new key file.
    pub fn to_hex(&self) -> String {
        super::hex(&self.0)
    }

    /// Sixteen hex digits that name the key without revealing it (an HMAC of a fixed
    /// text), so a checkpoint and a person can tell which key is meant.
    pub fn fingerprint(&self) -> String {
        let mut h = self.mac();
        h.update(b"senplan audit key fingerprint");
        super::hex(&h.finalize().into_bytes()[..8])
    }

    /// HMAC-SHA256 of `message`, hex-encoded.
    pub fn sign(&self, message: &[u8]) -> String {
        let mut h = self.mac();
        h.update(message);
        super::hex(&h.finalize().into_bytes())
    }

    /// Whether `hash` (hex) is this key's HMAC-SHA256 of `message`, compared in constant time.
    pub fn verifies(&self, message: &[u8], hash: &str) -> bool {
        let Some(bytes) = super::unhex(hash) else { return false };
        let mut h = self.mac();
        h.update(message);
        h.verify_slice(&bytes).is_ok()
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length, and `from_bytes` guarantees one of 32 bytes or more.
        match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(h) => h,
            Err(_) => unreachable!("HMAC accepts keys of every length"),
        }
    }
}

/// Writes a new key file readable by its owner only; refuses to replace an existing file.
pub fn write_new_key_file(path: &Path, key: &AuditKey) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(format!("{}\n", key.to_hex()).as_bytes())?;
    file.sync_all()
}

/// Whether people other than the file's owner may read it (Unix permissions).
pub fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_hex_of_at_least_32_bytes() {
        let hex64 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        assert!(AuditKey::from_hex(hex64).is_ok());
        assert!(AuditKey::from_hex(&format!("  {}\n", hex64.to_uppercase())).is_ok(), "case and whitespace do not matter");
        assert_eq!(AuditKey::from_hex(&hex64[..62]).unwrap_err(), KeyError::TooShort(31));
        assert_eq!(AuditKey::from_hex(&hex64[..63]).unwrap_err(), KeyError::OddLength(63));
        assert_eq!(AuditKey::from_hex(&format!("{}zz", &hex64[..62])).unwrap_err(), KeyError::NotHex('z', 63));
    }

    #[test]
    fn errors_and_debug_never_show_the_key() {
        let key = AuditKey::from_hex(&"ab".repeat(32)).unwrap();
        assert!(!format!("{key:?}").contains("abab"));
        let err = AuditKey::from_hex(&format!("{}!", "cd".repeat(40))).unwrap_err().to_string();
        assert!(!err.contains("cdcd"), "{err}");
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231_case_6() {
        // Case 6 of RFC 4231: a 131-byte key (cases 1 to 5 use keys shorter than ours).
        let key = AuditKey::from_bytes(&[0xaa; 131]).unwrap();
        let message = b"Test Using Larger Than Block-Size Key - Hash Key First";
        assert_eq!(key.sign(message), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
        assert!(key.verifies(message, &key.sign(message)));
        assert!(!key.verifies(b"another message", &key.sign(message)));
        assert!(!key.verifies(message, "not hex"));
    }

    #[test]
    fn the_fingerprint_names_the_key() {
        let a = AuditKey::from_bytes(&[1; 32]).unwrap();
        let b = AuditKey::from_bytes(&[2; 32]).unwrap();
        assert_eq!(a.fingerprint().len(), 16);
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint(), AuditKey::from_hex(&a.to_hex()).unwrap().fingerprint());
    }
}
