//! Where signing in may send a person on to: a path on this site, never another site.
//!
//! The sign-in page carries the page someone asked for (`?next=/schools/1`), and the
//! form posts it back. Left unchecked, `next=//evil.example` would make senplan's own
//! sign-in page forward a freshly signed-in person to a look-alike site (an open
//! redirect). [`safe_next`] is the one rule, used by the form and the redirect alike.
//!
//! It lives in `web`, not `core`: it is a rule about URLs and HTTP redirects, which
//! only `web` knows about; `core` holds the rules of SEN support.

use std::fmt;

/// A path on this site, safe to redirect to: made only by [`safe_next`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LocalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Longer than any path senplan has; a longer `next` is not one of ours.
const MAX_LEN: usize = 2048;
/// Percent-encoding nested deeper than this is not a path senplan made.
const MAX_DECODINGS: usize = 3;

/// `next` as a path on this site, or `None` (the caller goes to the home page).
///
/// A path on this site starts with a single `/` and never `//` (another host, to a
/// browser) or `/\` (the same, to some browsers); has no backslash anywhere, no
/// whitespace, no control character, nothing but visible ASCII (so it is always a
/// valid `Location` header and carries no header injection); and holds to all of that
/// after percent-decoding too, as many times as it is encoded (`/%2f%2fevil.example`,
/// `/%5cevil.example`, `/%252f...`), in case something between here and the browser
/// decodes it. Malformed percent-encoding is refused. Starting with `/` rules out a
/// scheme (`https:`, `javascript:`) and a bare host.
pub fn safe_next(next: &str) -> Option<LocalPath> {
    if next.len() > MAX_LEN {
        return None;
    }
    let mut form = next.as_bytes().to_vec();
    for _ in 0..=MAX_DECODINGS {
        if !stays_on_this_site(&form) {
            return None;
        }
        let decoded = percent_decode(&form)?;
        if decoded == form {
            return Some(LocalPath(next.to_owned()));
        }
        form = decoded;
    }
    None
}

fn stays_on_this_site(path: &[u8]) -> bool {
    path.first() == Some(&b'/')
        && path.iter().all(|b| b.is_ascii_graphic())
        && !path.contains(&b'\\')
        && !path.windows(2).any(|w| w == b"//")
}

/// One round of percent-decoding; `None` for a `%` not followed by two hex digits.
fn percent_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while let Some(&b) = s.get(i) {
        if b == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_only_ever_a_path_on_this_site() {
        // (next, kept?)
        let cases: &[(&str, bool)] = &[
            ("/", true),
            ("/schools/1", true),
            ("/schools/1/pupils/2?tab=plan#outcomes", true),
            ("/portal", true),
            ("/schools/1/pupils/%31", true),
            // Another site, however it is written.
            ("//evil.example", false),
            ("///evil.example", false),
            ("https://evil.example", false),
            ("http:/evil.example", false),
            ("javascript:alert(1)", false),
            ("evil.example", false),
            ("schools/1", false),
            ("", false),
            ("/\\evil.example", false),
            ("\\\\evil.example", false),
            ("/schools\\1", false),
            ("/a//b", false),
            // Percent-decoding tricks, once and twice encoded.
            ("/%2f%2fevil.example", false),
            ("/%2F%2Fevil.example", false),
            ("%2f%2fevil.example", false),
            ("/%5cevil.example", false),
            ("/%5Cevil.example", false),
            ("/%252f%252fevil.example", false),
            ("/%25252f%25252fevil.example", false),
            ("/%2525252f%2525252fevil.example", false),
            ("/%zz", false),
            ("/%2", false),
            // Whitespace and control characters, raw and encoded (header injection).
            ("/ schools", false),
            ("/schools\t1", false),
            ("/\r\nSet-Cookie: x=1", false),
            ("/%0d%0aSet-Cookie:%20x=1", false),
            ("/%09/evil.example", false),
            ("/%00", false),
            ("/\u{7f}", false),
            ("/%7f", false),
            // Not ASCII.
            ("/schools/é", false),
            ("/%c3%a9", false),
            ("/\u{2215}\u{2215}evil.example", false),
        ];
        let wrong: Vec<_> = cases.iter().filter(|(next, kept)| safe_next(next).is_some() != *kept).collect();
        assert!(wrong.is_empty(), "wrongly judged: {wrong:?}");
        assert_eq!(safe_next("/schools/1").map(|p| p.to_string()).as_deref(), Some("/schools/1"), "kept as given");
        assert!(safe_next(&format!("/{}", "a".repeat(MAX_LEN))).is_none(), "too long");
    }
}
