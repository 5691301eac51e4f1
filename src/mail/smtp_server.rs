//! Where an SMTP URL points and how to open one ready-to-send connection there.
//!
//! Connections are opened here rather than by lettre's transport so the socket can have
//! TCP_NODELAY: lettre writes a message and its closing `.` in two writes, and with Nagle's
//! algorithm the second waits for the server's delayed ACK (40 ms or more) on every mail.

use std::borrow::Cow;
use std::net::SocketAddr;

use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{SMTP_PORT, SUBMISSION_PORT, SUBMISSIONS_PORT};
use tokio::net::{TcpSocket, TcpStream, lookup_host};

use super::{SMTP_TIMEOUT, SendError};

/// How a connection is secured, as the URL's scheme and `tls=` ask.
enum Security {
    Plain,
    /// STARTTLS when the server offers it.
    Opportunistic(TlsParameters),
    /// STARTTLS or fail.
    Required(TlsParameters),
    /// TLS from the first byte (`smtps://`).
    Implicit(TlsParameters),
}

/// One SMTP server with its security, credentials and EHLO name.
pub struct Server {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
}

impl Server {
    /// Reads `smtp://host:25`, `smtp://host:587?tls=required|opportunistic`,
    /// `smtps://user:pass@host/ehlo-name` the way lettre's `from_url` does.
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        let url = url::Url::parse(url)?;
        let host = url
            .host_str()
            .ok_or_else(|| anyhow::anyhow!("no host"))?
            .to_string();
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let params = || TlsParameters::new(host.clone());
        let (default_port, security) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (SMTP_PORT, Security::Plain),
            ("smtp", Some("required")) => (SUBMISSION_PORT, Security::Required(params()?)),
            ("smtp", Some("opportunistic")) => {
                (SUBMISSION_PORT, Security::Opportunistic(params()?))
            }
            ("smtps", _) => (SUBMISSIONS_PORT, Security::Implicit(params()?)),
            (scheme, _) => anyhow::bail!("unknown scheme {scheme} or tls parameter"),
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        Ok(Self {
            port: url.port().unwrap_or(default_port),
            security,
            credentials: credentials(&url)?,
            hello,
            host,
        })
    }

    /// A new connection, greeted, secured and logged in.
    pub async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let mut conn = match &self.security {
            // lettre opens implicit-TLS sockets itself, so these keep Nagle's algorithm.
            Security::Implicit(params) => AsyncSmtpConnection::connect_tokio1(
                (self.host.as_str(), self.port),
                Some(SMTP_TIMEOUT),
                &self.hello,
                Some(params.clone()),
                None,
            )
            .await
            .map_err(classify)?,
            _ => self.connect_tcp().await?,
        };
        match &self.security {
            Security::Opportunistic(params) if conn.can_starttls() => {
                conn.starttls(params.clone(), &self.hello).await
            }
            Security::Required(params) => conn.starttls(params.clone(), &self.hello).await,
            _ => Ok(()),
        }
        .map_err(classify)?;
        if let Some(credentials) = &self.credentials {
            conn.auth(DEFAULT_MECHANISMS, credentials)
                .await
                .map_err(classify)?;
        }
        Ok(conn)
    }

    async fn connect_tcp(&self) -> Result<AsyncSmtpConnection, SendError> {
        let unreachable = |e: std::io::Error| SendError::Temporary(format!("connection: {e}"));
        let mut last_error = std::io::Error::other("the host has no address");
        for address in lookup_host((self.host.as_str(), self.port))
            .await
            .map_err(unreachable)?
        {
            match open_socket(address).await {
                Ok(tcp) => {
                    return AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
                        .await
                        .map_err(classify);
                }
                Err(error) => last_error = error,
            }
        }
        Err(unreachable(last_error))
    }
}

/// Room in the kernel for a whole digest, so writing its body never waits for the server to
/// read: body and end-of-data mark follow the handover record at once (see `digest::worker`).
/// Linux caps the request at `net.core.wmem_max`.
const SEND_BUFFER: u32 = 1 << 20;

async fn open_socket(address: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = match address {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    socket.set_send_buffer_size(SEND_BUFFER)?;
    socket.set_nodelay(true)?;
    socket.connect(address).await
}

/// The URL's user and password, percent-decoded, if it has a password.
fn credentials(url: &url::Url) -> anyhow::Result<Option<Credentials>> {
    let Some(password) = url.password() else {
        return Ok(None);
    };
    let decode = |s: &str| -> anyhow::Result<String> {
        Ok(percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(Cow::into_owned)?)
    };
    Ok(Some(Credentials::new(
        decode(url.username())?,
        decode(password)?,
    )))
}

/// 5xx replies are final; 4xx, timeouts and broken connections may pass later.
pub fn classify(error: lettre::transport::smtp::Error) -> SendError {
    if error.is_permanent() {
        SendError::Permanent(error.to_string())
    } else {
        SendError::Temporary(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_port_security_and_login_like_lettre() {
        let plain = Server::from_url("smtp://mail.example.com").unwrap();
        assert_eq!(plain.port, 25);
        assert!(matches!(plain.security, Security::Plain));
        let submission = Server::from_url("smtp://mail.example.com?tls=required").unwrap();
        assert_eq!(submission.port, 587);
        assert!(matches!(submission.security, Security::Required(_)));
        let smtps =
            Server::from_url("smtps://me%40x:p%2Fw@mail.example.com/relay.example").unwrap();
        assert_eq!(smtps.port, 465);
        assert!(matches!(smtps.security, Security::Implicit(_)));
        assert_eq!(smtps.hello, ClientId::Domain("relay.example".into()));
        assert_eq!(
            smtps.credentials,
            Some(Credentials::new("me@x".into(), "p/w".into()))
        );
    }

    #[test]
    fn unknown_schemes_and_tls_modes_are_refused() {
        assert!(Server::from_url("http://mail.example.com").is_err());
        assert!(Server::from_url("smtp://mail.example.com?tls=maybe").is_err());
    }
}
