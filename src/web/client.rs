//! Who is asking: the peer's address, or the visitor a trusted proxy forwarded.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use super::AppState;

/// Proxies whose `X-Forwarded-For` is believed (`SHOWNOTES_TRUSTED_PROXIES`): none by default,
/// because anyone can send the header.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses a comma-separated list of addresses and CIDR blocks (`10.0.0.0/8, ::1`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let blocks = list
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                block(item).ok_or_else(|| format!("`{item}` is not an IP address or CIDR block"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self(blocks))
    }

    fn contains(&self, ip: IpAddr) -> bool {
        self.0
            .iter()
            .any(|(net, bits)| masked(*net, *bits) == masked(ip, *bits))
    }
}

fn block(item: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = match item.split_once('/') {
        Some((ip, bits)) => (ip.parse::<IpAddr>().ok()?, bits.parse().ok()?),
        None => {
            let ip: IpAddr = item.parse().ok()?;
            (ip, if ip.is_ipv4() { 32 } else { 128 })
        }
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((ip.to_canonical(), bits))
}

/// `ip` with all but its first `bits` bits zeroed.
fn masked(ip: IpAddr, bits: u8) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            let mask = u32::MAX
                .checked_shl(32 - u32::from(bits.min(32)))
                .unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(u32::from(v4) & mask))
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX
                .checked_shl(128 - u32::from(bits.min(128)))
                .unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(u128::from(v6) & mask))
        }
    }
}

/// The visitor's address: the peer, or, while the peer is a trusted proxy, the hop it says
/// it got the request from (`X-Forwarded-For`, read from the right).
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The key limits count under: an IPv4 address, or an IPv6 client's /64, since one
    /// subscriber line gets a whole /64 to pick addresses from.
    pub fn limit_key(&self) -> String {
        match masked(self.0, 64) {
            IpAddr::V6(net) => format!("{net}/64"),
            IpAddr::V4(ip) => ip.to_string(),
        }
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| {
                c.0.ip().to_canonical()
            });
        let hops = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .collect::<Vec<_>>();
        let mut client = peer;
        for hop in hops.iter().rev() {
            if !state.trusted_proxies.contains(client) {
                break;
            }
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => client = ip.to_canonical(),
                Err(_) => break,
            }
        }
        Ok(Self(client))
    }
}
