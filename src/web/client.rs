//! Who is asking: the peer's address, or the visitor a trusted proxy forwarded.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::state::AppState;
use crate::state::proxies::masked;

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
