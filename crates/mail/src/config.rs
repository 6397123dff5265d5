//! The mail settings an administrator types, checked once at start-up: the SMTP server
//! as one URL (`smtp://user:pass@host:587?tls=starttls`), the sender's address, and the
//! public address of senplan that links in e-mails point to.
//!
//! Every refusal is a field error naming the setting (`smtp_url`, `from`, `base_url`),
//! what was wrong and what was expected. The password never appears in an error, in
//! `Debug` or in `Display`: errors never echo the URL, and the password is kept in a
//! type that prints as `[hidden]`.

use std::fmt;
use std::str::FromStr;

use lettre::message::Mailbox;
use percent_encoding::percent_decode_str;
use senplan_core::Invalid;
use url::Url;

/// The setting holding the SMTP server URL, as named in errors.
pub const SMTP_URL: &str = "smtp_url";
/// The setting holding the sender's address, as named in errors.
pub const FROM: &str = "from";
/// The setting holding senplan's public address, as named in errors.
pub const BASE_URL: &str = "base_url";

const ENCODE_HINT: &str = "if the user name or password contains / ? # @ or :, write them as %2F %3F %23 %40 %3A";

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS before anything is sent; a server that
    /// does not offer STARTTLS is refused (no silent downgrade). `smtp://`, port 587.
    StartTls,
    /// TLS from the first byte (SMTPS). `smtps://`, port 465.
    Tls,
    /// No encryption: only for a local catcher or relay (`?tls=none`), and never
    /// with a password.
    None,
}

impl Security {
    fn default_port(self) -> u16 {
        match self {
            Security::StartTls => 587,
            Security::Tls => 465,
            Security::None => 25,
        }
    }

    fn query_value(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }
}

/// A password that prints as `[hidden]` and has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub(crate) fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[hidden]")
    }
}

/// The user name and password the server asks for (AUTH PLAIN or LOGIN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    pub user: String,
    pub password: Password,
}

/// Checked mail settings: where to hand e-mail over, how, and who it is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailConfig {
    host: String,
    port: u16,
    security: Security,
    login: Option<Login>,
    from: Mailbox,
}

impl MailConfig {
    /// Reads the SMTP URL and the sender's address, reporting everything wrong at once.
    ///
    /// - `smtp://host` uses STARTTLS on port 587 unless `?tls=none` (plain, port 25);
    ///   `smtps://host` uses TLS on port 465. A port in the URL replaces the default.
    /// - `?tls=` takes `starttls` or `none` with `smtp://`, and `tls` with `smtps://`.
    /// - `user:password@` is optional, needs both parts (percent-encoded), and is
    ///   refused with `tls=none`: a password is never sent unencrypted.
    /// - `from` is a mailbox: `senplan@school.sch.uk` or `Oak SEN <senplan@school.sch.uk>`.
    pub fn parse(smtp_url: &str, from: &str) -> Result<MailConfig, Invalid> {
        let mut errors = Invalid::default();
        let server = parse_server(smtp_url, &mut errors);
        let from = match Mailbox::from_str(from.trim()) {
            Ok(m) => Some(m),
            Err(_) if from.trim().is_empty() => {
                errors.push(FROM, "required", "Enter the address e-mails are sent from, e.g. senplan@school.sch.uk");
                None
            }
            Err(_) => {
                errors.push(
                    FROM,
                    "invalid_mailbox",
                    "Enter the address e-mails are sent from as an e-mail address, e.g. senplan@school.sch.uk or \"Oak School SEN <senplan@school.sch.uk>\"",
                );
                None
            }
        };
        match (server, from) {
            (Some((host, port, security, login)), Some(from)) if errors.is_empty() => Ok(MailConfig { host, port, security, login, from }),
            _ => Err(errors),
        }
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn security(&self) -> Security {
        self.security
    }

    pub fn login(&self) -> Option<&Login> {
        self.login.as_ref()
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }
}

/// The SMTP URL with the password replaced by `[hidden]`, for start-up logs.
impl fmt::Display for MailConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.security == Security::Tls { "smtps" } else { "smtp" };
        write!(f, "{scheme}://")?;
        if let Some(login) = &self.login {
            write!(f, "{}:[hidden]@", login.user)?;
        }
        let host = if self.host.contains(':') { format!("[{}]", self.host) } else { self.host.clone() };
        write!(f, "{host}:{}?tls={} from {}", self.port, self.security.query_value(), self.from)
    }
}

type Server = (String, u16, Security, Option<Login>);

fn parse_server(text: &str, errors: &mut Invalid) -> Option<Server> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(SMTP_URL, "required", "Enter the SMTP server as a URL, e.g. smtp://user:password@mail.example.org:587");
        return None;
    }
    let url = match Url::parse(text) {
        Ok(url) => url,
        // The URL is never echoed: it may hold the password.
        Err(url::ParseError::InvalidPort) => {
            errors.push(SMTP_URL, "invalid_port", format!("Enter the port as a number from 1 to 65535 after the host; {ENCODE_HINT}"));
            return None;
        }
        Err(url::ParseError::EmptyHost) => {
            errors.push(SMTP_URL, "missing_host", "Enter the server's host name after smtp://, e.g. smtp://mail.example.org");
            return None;
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            errors.push(
                SMTP_URL,
                "unknown_scheme",
                "Start the SMTP URL with smtp:// (STARTTLS, or plain with ?tls=none) or smtps:// (TLS)",
            );
            return None;
        }
        Err(_) => {
            errors.push(
                SMTP_URL,
                "invalid_url",
                format!("Enter the SMTP server as a URL, e.g. smtp://user:password@mail.example.org:587; {ENCODE_HINT}"),
            );
            return None;
        }
    };
    let before = errors.errors.len();

    let scheme_security = match url.scheme() {
        "smtp" => Some(Security::StartTls),
        "smtps" => Some(Security::Tls),
        other => {
            errors.push(
                SMTP_URL,
                "unknown_scheme",
                format!("Start the SMTP URL with smtp:// (STARTTLS, or plain with ?tls=none) or smtps:// (TLS), not {other}://"),
            );
            None
        }
    };

    let host = match url.host_str() {
        Some(h) if !h.is_empty() => Some(h.trim_start_matches('[').trim_end_matches(']').to_owned()),
        _ => {
            errors.push(SMTP_URL, "missing_host", "Enter the server's host name after smtp://, e.g. smtp://mail.example.org");
            None
        }
    };

    if url.port() == Some(0) {
        errors.push(SMTP_URL, "invalid_port", "Enter the port as a number from 1 to 65535, not 0");
    }

    if !(url.path().is_empty() || url.path() == "/") {
        errors.push(
            SMTP_URL,
            "unexpected_path",
            format!("Remove the path after the host: the SMTP URL ends at the port or ?tls=; {ENCODE_HINT}"),
        );
    }
    if url.fragment().is_some() {
        errors.push(SMTP_URL, "unexpected_fragment", format!("Remove the # and what follows it; {ENCODE_HINT}"));
    }

    let mut tls_option: Option<Security> = None;
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "tls" => match value.as_ref() {
                "starttls" => tls_option = Some(Security::StartTls),
                "tls" => tls_option = Some(Security::Tls),
                "none" => tls_option = Some(Security::None),
                other => errors.push(SMTP_URL, "unknown_tls", format!("Write tls=starttls, tls=tls or tls=none, not tls={other}")),
            },
            other => errors.push(
                SMTP_URL,
                "unknown_option",
                format!("Remove the option {other}: the only option is tls (starttls, tls or none)"),
            ),
        }
    }

    let security = match (scheme_security, tls_option) {
        (Some(s), None) => Some(s),
        (Some(Security::StartTls), Some(Security::StartTls | Security::None)) => tls_option,
        (Some(Security::StartTls), Some(Security::Tls)) => {
            errors.push(
                SMTP_URL,
                "tls_mismatch",
                "For TLS from the start write smtps://host (port 465); smtp:// takes tls=starttls or tls=none",
            );
            None
        }
        (Some(Security::Tls), Some(Security::Tls)) => Some(Security::Tls),
        (Some(Security::Tls), Some(_)) => {
            errors.push(
                SMTP_URL,
                "tls_mismatch",
                "smtps:// always uses TLS: remove ?tls=, or write smtp:// for STARTTLS or a plain connection",
            );
            None
        }
        _ => None,
    };

    let login = match (url.username(), url.password()) {
        ("", None) => None,
        ("", Some(_)) => {
            errors.push(SMTP_URL, "missing_user", "Enter the user name before the password: smtp://user:password@host");
            None
        }
        (_, None) => {
            errors.push(SMTP_URL, "missing_password", "Enter the password after the user name: smtp://user:password@host");
            None
        }
        (user, Some(password)) => match (decode(user), decode(password)) {
            (Some(user), Some(password)) => Some(Login { user, password: Password(password) }),
            _ => {
                errors.push(
                    SMTP_URL,
                    "invalid_login",
                    format!("Write the user name and password in UTF-8, percent-encoded; {ENCODE_HINT}"),
                );
                None
            }
        },
    };
    if login.is_some() && security == Some(Security::None) {
        errors.push(
            SMTP_URL,
            "password_unencrypted",
            "Remove the user name and password, or use tls=starttls or smtps://: a password is never sent unencrypted",
        );
    }

    if errors.errors.len() > before {
        return None;
    }
    let (host, security) = (host?, security?);
    let port = url.port().unwrap_or_else(|| security.default_port());
    Some((host, port, security, login))
}

/// The URL's user name or password, percent-decoded; `None` when it is not UTF-8.
fn decode(part: &str) -> Option<String> {
    percent_decode_str(part).decode_utf8().ok().map(|s| s.into_owned())
}

/// senplan's public address (`https://senplan.oak.sch.uk`, or under a path), that every
/// link in an e-mail starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// An `http://` or `https://` URL with a host and no query or fragment.
    pub fn parse(text: &str) -> Result<BaseUrl, Invalid> {
        let expected = "Enter senplan's public address, e.g. https://senplan.oak.sch.uk";
        let url = Url::parse(text.trim()).map_err(|_| Invalid::one(BASE_URL, "invalid_url", expected))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Invalid::one(
                BASE_URL,
                "unknown_scheme",
                format!("Start the address with https:// (or http://), not {}://", url.scheme()),
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(Invalid::one(BASE_URL, "missing_host", expected));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Invalid::one(BASE_URL, "unexpected_login", "Remove the user name and password from senplan's public address"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Invalid::one(BASE_URL, "unexpected_query", "Remove the ? or # and what follows it from senplan's public address"));
        }
        Ok(BaseUrl(url.as_str().trim_end_matches('/').to_owned()))
    }

    /// The absolute address of a page: `/pupils/12` under `https://senplan.oak.sch.uk`
    /// is `https://senplan.oak.sch.uk/pupils/12`. Paths come from senplan's own routes.
    pub fn link(&self, path: &str) -> String {
        format!("{}/{}", self.0, path.trim_start_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(url: &str, from: &str) -> Vec<(String, String)> {
        match MailConfig::parse(url, from) {
            Ok(c) => panic!("{url} was accepted as {c:?}"),
            Err(e) => e.errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn check(url: &str, host: &str, port: u16, security: Security, user: Option<&str>) {
        let c = MailConfig::parse(url, "senplan@oak.sch.uk").unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!((c.host(), c.port(), c.security(), c.login().map(|l| l.user.as_str())), (host, port, security, user), "{url}");
    }

    #[test]
    fn reads_each_kind_of_server_with_its_default_port() {
        check("smtp://user:pass@mail.example.org:587?tls=starttls", "mail.example.org", 587, Security::StartTls, Some("user"));
        check("smtp://mail.example.org", "mail.example.org", 587, Security::StartTls, None);
        check("smtps://mail.example.org:465", "mail.example.org", 465, Security::Tls, None);
        check("smtps://mail.example.org", "mail.example.org", 465, Security::Tls, None);
        check("smtps://mail.example.org?tls=tls", "mail.example.org", 465, Security::Tls, None);
        check("smtp://127.0.0.1:1025?tls=none", "127.0.0.1", 1025, Security::None, None);
        check("smtp://localhost?tls=none", "localhost", 25, Security::None, None);
        check("smtp://[::1]:2525?tls=none", "::1", 2525, Security::None, None);
        check("  smtp://mail.example.org:2587/  ", "mail.example.org", 2587, Security::StartTls, None);
    }

    #[test]
    fn decodes_a_percent_encoded_login() {
        let c = MailConfig::parse("smtp://senplan%40oak.sch.uk:p%2Fss%3Aw%40rd@mail.example.org", "senplan@oak.sch.uk")
            .unwrap_or_else(|e| panic!("{e}"));
        let login = c.login().unwrap_or_else(|| panic!("no login"));
        assert_eq!((login.user.as_str(), login.password.reveal()), ("senplan@oak.sch.uk", "p/ss:w@rd"));
    }

    #[test]
    fn errors_name_the_part_at_fault() {
        let f = |c: &str| vec![(SMTP_URL.to_owned(), c.to_owned())];
        assert_eq!(codes("", "a@b.org"), f("required"));
        assert_eq!(codes("mail.example.org", "a@b.org"), f("unknown_scheme"));
        assert_eq!(codes("http://mail.example.org", "a@b.org"), f("unknown_scheme"));
        assert_eq!(codes("smtp://", "a@b.org"), f("missing_host"));
        assert_eq!(codes("smtp://mail.example.org:99999", "a@b.org"), f("invalid_port"));
        assert_eq!(codes("smtp://mail.example.org:0", "a@b.org"), f("invalid_port"));
        assert_eq!(codes("smtp://mail.example.org?tls=yes", "a@b.org"), f("unknown_tls"));
        assert_eq!(codes("smtp://mail.example.org?timeout=5", "a@b.org"), f("unknown_option"));
        assert_eq!(codes("smtp://mail.example.org?tls=tls", "a@b.org"), f("tls_mismatch"));
        assert_eq!(codes("smtps://mail.example.org?tls=none", "a@b.org"), f("tls_mismatch"));
        assert_eq!(codes("smtp://mail.example.org/inbox", "a@b.org"), f("unexpected_path"));
        assert_eq!(codes("smtp://user@mail.example.org", "a@b.org"), f("missing_password"));
        assert_eq!(codes("smtp://:pw@mail.example.org", "a@b.org"), f("missing_user"));
        assert_eq!(codes("smtp://user:pw@127.0.0.1?tls=none", "a@b.org"), f("password_unencrypted"));
        assert_eq!(codes("smtp://mail.example.org", ""), vec![(FROM.to_owned(), "required".to_owned())]);
        assert_eq!(codes("smtp://mail.example.org", "not an address"), vec![(FROM.to_owned(), "invalid_mailbox".to_owned())]);
        assert_eq!(
            codes("smtp://mail.example.org?tls=yes&x=1", "nobody"),
            vec![
                (SMTP_URL.to_owned(), "unknown_tls".to_owned()),
                (SMTP_URL.to_owned(), "unknown_option".to_owned()),
                (FROM.to_owned(), "invalid_mailbox".to_owned())
            ],
            "every problem at once"
        );
    }

    #[test]
    fn error_messages_say_what_was_expected() {
        let e = MailConfig::parse("smtp://mail.example.org?tls=yes", "a@b.org").err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("smtp_url: Write tls=starttls, tls=tls or tls=none, not tls=yes"));
        let e = MailConfig::parse("imap://mail.example.org", "a@b.org").err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("smtp_url: Start the SMTP URL with smtp:// (STARTTLS, or plain with ?tls=none) or smtps:// (TLS), not imap://")
        );
    }

    #[test]
    fn the_password_never_shows() {
        let c = MailConfig::parse("smtp://user:s3cretPW@mail.example.org?tls=starttls", "Oak SEN <senplan@oak.sch.uk>")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!format!("{c:?}").contains("s3cretPW"), "{c:?}");
        assert_eq!(c.to_string(), "smtp://user:[hidden]@mail.example.org:587?tls=starttls from Oak SEN <senplan@oak.sch.uk>");
        for bad in [
            "smtp://user:s3cretPW@mail.example.org:99999",
            "smtp://user:s3cretPW@mail.example.org?tls=bogus",
            "smtp://user:s3cretPW@127.0.0.1?tls=none",
            "smtp://user:s3cret/PW@mail.example.org",
            "smtp://user:s3cretPW@mail.example.org/x#y",
            "ftp://user:s3cretPW@mail.example.org",
        ] {
            let e = MailConfig::parse(bad, "nobody").err().unwrap_or_default();
            assert!(!e.is_empty(), "{bad} was accepted");
            let shown = format!("{e} {e:?}");
            assert!(!shown.contains("s3cret"), "{bad}: {shown}");
        }
    }

    #[test]
    fn base_url_links_to_pages() {
        let b = |t: &str| BaseUrl::parse(t).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(b("https://senplan.oak.sch.uk").link("/pupils/12"), "https://senplan.oak.sch.uk/pupils/12");
        assert_eq!(b("https://senplan.oak.sch.uk/").link("pupils/12"), "https://senplan.oak.sch.uk/pupils/12");
        assert_eq!(b("https://oak.sch.uk/senplan/").link("/reviews"), "https://oak.sch.uk/senplan/reviews");
        assert_eq!(b("http://127.0.0.1:8080").link("/"), "http://127.0.0.1:8080/");
        let code = |t: &str| BaseUrl::parse(t).err().map(|e| e.errors[0].code.clone());
        assert_eq!(code("senplan.oak.sch.uk").as_deref(), Some("invalid_url"));
        assert_eq!(code("ftp://oak.sch.uk").as_deref(), Some("unknown_scheme"));
        assert_eq!(code("https://oak.sch.uk/?a=1").as_deref(), Some("unexpected_query"));
        assert_eq!(code("https://u:p@oak.sch.uk").as_deref(), Some("unexpected_login"));
    }
}
