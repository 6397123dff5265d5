//! The address a request comes from: the connecting peer, or, when the peer is one of
//! the reverse proxies named at start-up (`--trusted-proxy`), the address those
//! proxies recorded in `X-Forwarded-For`.
//!
//! Sign-in failures are limited per address and the audit trail records where each
//! change came from. Behind a TLS proxy every connection comes from the proxy, so
//! without this one address's limit would be every school's limit, and one person
//! could stop everyone signing in. The header is believed only as far as trusted
//! proxies wrote it: read from the right, each hop is taken while the address it came
//! from is a trusted proxy, so a client cannot choose its address by sending the
//! header itself.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::AppState;

/// The client's address, as [`client_address`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    pub fn of(parts: &Parts, state: &AppState) -> ClientAddr {
        // Served without connection info (never by `serve`): all such requests share one address.
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        let forwarded: Vec<&str> = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        ClientAddr(client_address(peer, &forwarded, &state.config.trusted_proxies))
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr::of(parts, state))
    }
}

/// The client's address: `peer`, or while the address in hand is a trusted proxy, the
/// hop before it in `forwarded_for` (the `X-Forwarded-For` headers, in order). A hop
/// that is not an address stops the walk at the proxy that wrote it.
pub fn client_address(peer: IpAddr, forwarded_for: &[&str], trusted: &[IpAddr]) -> IpAddr {
    let trusted_hop = |ip: IpAddr| trusted.iter().any(|t| t.to_canonical() == ip.to_canonical());
    let mut hops = forwarded_for.iter().flat_map(|h| h.split(',')).map(str::trim).rev();
    let mut client = peer.to_canonical();
    while trusted_hop(client) {
        match hops.next().and_then(|h| h.parse::<IpAddr>().ok()) {
            Some(ip) => client = ip.to_canonical(),
            None => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_forwarded_address_is_believed_only_from_trusted_proxies() {
        let proxy = ip("127.0.0.1");
        let balancer = ip("10.0.0.5");
        let trusted = [proxy, balancer];
        // (peer, X-Forwarded-For headers, trusted proxies, client)
        let cases: &[(&str, &[&str], &[IpAddr], &str)] = &[
            // No proxies configured: the peer, whatever the header says.
            ("203.0.113.7", &[], &[], "203.0.113.7"),
            ("203.0.113.7", &["198.51.100.1"], &[], "203.0.113.7"),
            // Through the proxy: the address it recorded.
            ("127.0.0.1", &["203.0.113.7"], &trusted, "203.0.113.7"),
            // A client sending its own header cannot choose its address: the proxy appends the real one.
            ("127.0.0.1", &["198.51.100.1, 203.0.113.7"], &trusted, "203.0.113.7"),
            // Through two trusted proxies, one header or two.
            ("127.0.0.1", &["198.51.100.1, 203.0.113.7, 10.0.0.5"], &trusted, "203.0.113.7"),
            ("127.0.0.1", &["198.51.100.1, 203.0.113.7", "10.0.0.5"], &trusted, "203.0.113.7"),
            // Not from a trusted proxy: the header is ignored.
            ("203.0.113.9", &["198.51.100.1"], &trusted, "203.0.113.9"),
            // The proxy sent no header, or garbage: the proxy itself.
            ("127.0.0.1", &[], &trusted, "127.0.0.1"),
            ("127.0.0.1", &["not an address"], &trusted, "127.0.0.1"),
            ("127.0.0.1", &["198.51.100.1, unknown"], &trusted, "127.0.0.1"),
            // IPv6, and an IPv4 peer seen as an IPv4-mapped IPv6 address.
            ("127.0.0.1", &["2001:db8::7"], &trusted, "2001:db8::7"),
            ("::ffff:127.0.0.1", &["203.0.113.7"], &trusted, "203.0.113.7"),
        ];
        for (peer, headers, trusted, want) in cases {
            assert_eq!(client_address(ip(peer), headers, trusted), ip(want), "{peer} {headers:?} {trusted:?}");
        }
    }
}
