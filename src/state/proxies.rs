//! Which peers may name the client in `X-Forwarded-For`, and the address arithmetic limits use.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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

    pub fn contains(&self, ip: IpAddr) -> bool {
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
pub fn masked(ip: IpAddr, bits: u8) -> IpAddr {
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
