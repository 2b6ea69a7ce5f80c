//! The client's address as rate limits count it. Behind a reverse proxy the TCP peer is the
//! proxy; only when the peer is one of `TRUSTED_PROXIES` is `X-Forwarded-For` read, and
//! then its right-most entry that is not itself a trusted proxy (entries further left
//! were written by the client and prove nothing). IPv6 clients are counted per /64, the
//! block one subscriber gets, so that rotating addresses inside it does not reset a limit.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use raia_app::request::ClientAddress;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`: addresses or CIDRs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses a comma- or space-separated list; `Err` names the entry that is not an address.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut nets = Vec::new();
        for entry in text.split([',', ' ']).map(str::trim).filter(|e| !e.is_empty()) {
            let net = entry.parse::<IpNet>().or_else(|_| entry.parse::<IpAddr>().map(IpNet::from)).map_err(|_| entry.to_string())?;
            nets.push(net);
        }
        Ok(TrustedProxies(nets))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address for this peer and `X-Forwarded-For` header values (in order).
    pub fn client_of(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return canonical(peer);
        }
        let hops: Vec<&str> = forwarded_for.iter().flat_map(|value| value.split(',')).map(str::trim).collect();
        for hop in hops.iter().rev() {
            let Ok(address) = hop.parse::<IpAddr>() else {
                // Garbage from here on leftwards cannot be trusted: stop at the last good hop.
                break;
            };
            if !self.trusts(address) {
                return canonical(address);
            }
        }
        canonical(peer)
    }
}

/// An IPv4 address written as IPv6 (`::ffff:1.2.3.4`) is the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(address),
        v4 => v4,
    }
}

/// The key rate limits count under: the IPv4 address, or the IPv6 address's /64.
pub fn rate_limit_key(address: IpAddr) -> String {
    match canonical(address) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", segments[0], segments[1], segments[2], segments[3])
        }
    }
}

/// Middleware: puts the `ClientAddress` on every request, for the server functions.
pub async fn attach(State(proxies): State<Arc<TrustedProxies>>, mut request: Request, next: Next) -> Response {
    if let Some(peer) = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip()) {
        let forwarded: Vec<&str> = request.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        let key = rate_limit_key(proxies.client_of(peer, &forwarded));
        request.extensions_mut().insert(ClientAddress(key));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(none.client_of(ip("198.51.100.1"), &["203.0.113.9"]), ip("198.51.100.1"), "no proxy trusted: the header is ignored");

        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.0.2.1").unwrap();
        assert_eq!(proxies.client_of(ip("10.1.2.3"), &["203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(proxies.client_of(ip("192.0.2.1"), &["203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(proxies.client_of(ip("198.51.100.1"), &["203.0.113.9"]), ip("198.51.100.1"), "an untrusted peer cannot claim an address");
        // The client wrote the left entries; our proxy appended the right-most.
        assert_eq!(proxies.client_of(ip("10.1.2.3"), &["6.6.6.6, 203.0.113.9"]), ip("203.0.113.9"));
        // A chain of our proxies: the right-most untrusted entry is the client.
        assert_eq!(proxies.client_of(ip("10.1.2.3"), &["6.6.6.6, 203.0.113.9, 10.0.0.7"]), ip("203.0.113.9"));
        assert_eq!(proxies.client_of(ip("10.1.2.3"), &["6.6.6.6", "203.0.113.9"]), ip("203.0.113.9"), "several header lines read in order");
        // Garbage or nothing: the proxy itself is the best we know.
        assert_eq!(proxies.client_of(ip("10.1.2.3"), &["not-an-address"]), ip("10.1.2.3"));
        assert_eq!(proxies.client_of(ip("10.1.2.3"), &[]), ip("10.1.2.3"));
        assert!(TrustedProxies::parse("10.0.0.0/8, nonsense").is_err());
    }

    #[test]
    fn ipv6_clients_count_per_64_and_mapped_ipv4_is_ipv4() {
        assert_eq!(rate_limit_key(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), "2001:db8:1:2::/64");
        assert_eq!(rate_limit_key(ip("2001:db8:1:2::1")), rate_limit_key(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(rate_limit_key(ip("2001:db8:1:2::1")), rate_limit_key(ip("2001:db8:1:3::1")));
        assert_eq!(rate_limit_key(ip("::ffff:198.51.100.7")), "198.51.100.7");
        assert_eq!(rate_limit_key(ip("198.51.100.7")), "198.51.100.7");
    }
}
