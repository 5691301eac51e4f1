//! A real SMTP server for tests: it speaks enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET,
//! NOOP, QUIT) over TCP for lettre, keeps what it receives, and can be told to answer 4xx
//! or 5xx for chosen recipients.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    pub to: Vec<String>,
    pub message_id: String,
    /// The raw message, unless the sink only counts.
    pub data: Vec<u8>,
}

/// A reply to give for a recipient, `times` times (forever when `None`).
struct Rule {
    reply: String,
    times: Option<usize>,
}

#[derive(Default)]
struct Inner {
    received: Mutex<Vec<Received>>,
    rules: Mutex<HashMap<String, Rule>>,
    arrived: Notify,
    keep_data: bool,
}

/// The running server; it stops with the test's runtime.
#[derive(Clone)]
pub struct SmtpSink {
    pub address: SocketAddr,
    inner: Arc<Inner>,
}

impl SmtpSink {
    /// Starts a sink on port 0 that keeps whole messages.
    pub async fn start() -> Self {
        Self::start_with(true).await
    }

    /// Starts a sink; with `keep_data` false it keeps only recipients and Message-IDs.
    pub async fn start_with(keep_data: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let address = listener.local_addr().expect("smtp addr");
        let inner = Arc::new(Inner {
            keep_data,
            ..Inner::default()
        });
        let accepting = inner.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, accepting.clone()));
            }
        });
        Self { address, inner }
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.address)
    }

    /// Answers RCPT for `recipient` with `reply` (like "451 4.3.0 busy"), `times` times.
    pub fn answer(&self, recipient: &str, reply: &str, times: Option<usize>) {
        self.inner.rules.lock().unwrap().insert(
            recipient.to_lowercase(),
            Rule {
                reply: reply.to_string(),
                times,
            },
        );
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.inner.received.lock().unwrap().clone()
    }

    /// How many messages arrived.
    pub fn count(&self) -> usize {
        self.inner.received.lock().unwrap().len()
    }

    /// Waits until at least `n` messages arrived (fails after a generous minute).
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let waiting = async {
            loop {
                let notified = self.inner.arrived.notified();
                if self.count() >= n {
                    return self.received();
                }
                notified.await;
            }
        };
        tokio::time::timeout(Duration::from_secs(120), waiting)
            .await
            .unwrap_or_else(|_| panic!("expected {n} mails, got {}", self.count()))
    }
}

/// The rule's reply for a recipient, if one still applies.
fn reply_for(inner: &Inner, recipient: &str) -> Option<String> {
    let mut rules = inner.rules.lock().unwrap();
    let rule = rules.get_mut(&recipient.to_lowercase())?;
    match &mut rule.times {
        Some(0) => None,
        Some(left) => {
            *left -= 1;
            Some(rule.reply.clone())
        }
        None => Some(rule.reply.clone()),
    }
}

fn address_in(line: &str) -> String {
    let start = line.find('<').map_or(0, |i| i + 1);
    let end = line.rfind('>').unwrap_or(line.len());
    line[start..end.max(start)].to_string()
}

fn message_id_of(data: &[u8]) -> String {
    // Only the header is decoded: the benchmark's sink must not spend its time on bodies.
    let end = data
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(data.len());
    let text = String::from_utf8_lossy(&data[..end]);
    text.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix("Message-ID:").map(|v| v.trim().to_string()))
        .unwrap_or_default()
}

async fn session(stream: TcpStream, inner: Arc<Inner>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 sink ESMTP ready\r\n").await?;
    let mut to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: String = if command.starts_with("EHLO") || command.starts_with("HELO") {
            "250 sink\r\n".into()
        } else if command.starts_with("MAIL FROM") || command.starts_with("RSET") {
            to.clear();
            "250 OK\r\n".into()
        } else if command.starts_with("RCPT TO") {
            let recipient = address_in(line.trim_end());
            match reply_for(&inner, &recipient) {
                Some(reply) => format!("{reply}\r\n"),
                None => {
                    to.push(recipient);
                    "250 OK\r\n".into()
                }
            }
        } else if command == "DATA" {
            if to.is_empty() {
                "503 no valid recipients\r\n".into()
            } else {
                write.write_all(b"354 go ahead\r\n").await?;
                let data = read_data(&mut lines).await?;
                let message_id = message_id_of(&data);
                let data = if inner.keep_data { data } else { Vec::new() };
                inner.received.lock().unwrap().push(Received {
                    to: std::mem::take(&mut to),
                    message_id,
                    data,
                });
                inner.arrived.notify_waiters();
                "250 OK queued\r\n".into()
            }
        } else if command == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else if command == "NOOP" {
            "250 OK\r\n".into()
        } else {
            "500 unknown command\r\n".into()
        };
        write.write_all(reply.as_bytes()).await?;
    }
}

/// Reads a DATA body up to the lone dot, undoing dot-stuffing.
async fn read_data<R: tokio::io::AsyncBufRead + Unpin>(lines: &mut R) -> std::io::Result<Vec<u8>> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(data);
        }
        let unstuffed = if line.starts_with(b"..") {
            &line[1..]
        } else {
            &line[..]
        };
        data.extend_from_slice(unstuffed);
    }
}
