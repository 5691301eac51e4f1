//! What every request may need, cloned cheaply into each: the pools, the settings, the mailer,
//! the caches and the limits. A leaf: the domains read it, it reads none of their logic.

pub mod content_version;
pub mod page_cache;
pub mod proxies;

use std::sync::Arc;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

use sqlx::SqlitePool;

pub use page_cache::{DEFAULT_BUDGET as DEFAULT_CACHE_BYTES, PageCache};
pub use proxies::TrustedProxies;

use crate::accounts::rate_limit::RateLimiter;
use crate::feeds::items::ItemCache;
use crate::keys::SiteKey;
use crate::links::ranking::LinkRanking;
use crate::mail::{Mailer, OutboxMailer};
use crate::settings::{self, Settings};
use crate::subscribers::limit::SignupLimiter;

/// Sign-in attempts are counted over this window.
pub const LOGIN_PAUSE_MINUTES: u64 = 15;
const LOGIN_WINDOW: std::time::Duration = std::time::Duration::from_secs(LOGIN_PAUSE_MINUTES * 60);
/// Mails the subscribe form sends one address are counted over this window.
const MAIL_WINDOW: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Everything a handler may need, cloned cheaply into each request: one pointer, so a clone
/// is one count moved, not one per field (each middleware and extractor clones it, on every
/// request, from every core).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What an [`AppState`] shares.
#[derive(Clone)]
pub struct Shared {
    /// The SQLite pool.
    pub db: SqlitePool,
    /// Search's own connections to the same database.
    pub search_db: SqlitePool,
    settings: Arc<RwLock<Arc<Settings>>>,
    /// Whether the base URL is https, as the settings say (read on every response).
    https: Arc<AtomicBool>,
    /// Rendered public pages, dropped whenever content changes.
    pub cache: Arc<PageCache>,
    /// What the page cache checks its pages against: moved by any public change, from any process.
    pub content_version: Arc<content_version::ContentVersion>,
    /// Failed sign-ins per account, per client, and per account from one client.
    pub login_limiter: Arc<RateLimiter>,
    /// Mails the subscribe form sent to each address.
    pub mail_limiter: Arc<RateLimiter>,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<TrustedProxies>,
    /// The installation's secret, for CSRF cookies and unsubscribe links.
    pub key: Arc<SiteKey>,
    /// Where mail goes (SMTP, or the outbox folder).
    pub mailer: Arc<dyn Mailer>,
    /// Per-IP limit on the subscribe form.
    pub signup_limiter: Arc<SignupLimiter>,
    /// The feeds' rendered items, by what they show.
    pub feed_items: Arc<ItemCache>,
    /// The order of `/links`, kept per content version.
    pub link_ranking: Arc<LinkRanking>,
    /// `http://ADDR` of the listener, standing in for a base URL nobody configured.
    listening_base: Arc<std::sync::OnceLock<String>>,
}

impl AppState {
    /// Builds the state from an open pool; `base_url` (from `--base-url`) overrides the stored one.
    pub async fn load(db: SqlitePool, base_url: Option<String>) -> anyhow::Result<Self> {
        let mut conn = db.acquire().await?;
        if let Some(base_url) = base_url {
            settings::set_base_url(&mut conn, &base_url).await?;
        }
        let loaded = settings::load(&mut conn).await?;
        let key = SiteKey::load(&mut conn).await?;
        drop(conn);
        let content_version = Arc::new(content_version::ContentVersion::of(&db));
        Ok(Self(Arc::new(Shared {
            search_db: crate::db::search_pool(&db),
            db,
            https: Arc::new(AtomicBool::new(is_https(&loaded))),
            settings: Arc::new(RwLock::new(Arc::new(loaded))),
            cache: Arc::new(PageCache::default()),
            content_version,
            feed_items: Arc::default(),
            link_ranking: Arc::default(),
            login_limiter: Arc::new(RateLimiter::new(LOGIN_WINDOW)),
            mail_limiter: Arc::new(RateLimiter::new(MAIL_WINDOW)),
            trusted_proxies: Arc::default(),
            key: Arc::new(key),
            mailer: Arc::new(OutboxMailer::new("./outbox".into())),
            signup_limiter: Arc::new(SignupLimiter::default()),
            listening_base: Arc::default(),
        })))
    }

    /// Links in pages, mail and feeds use `http://{addr}` while the base URL is the install
    /// default: a link to an address nobody listens on is dead. Returns whether it applies, so
    /// the caller can warn that a public base URL should be set.
    pub fn listen_at(&self, addr: std::net::SocketAddr) -> bool {
        let _ = self.listening_base.set(format!("http://{addr}"));
        let fallback = self.settings().base_url == settings::DEFAULT_BASE_URL;
        self.replace_settings((*self.settings()).clone());
        fallback
    }

    /// The settings as stored: what the admin's settings form edits (the listening address
    /// stands in for an unset base URL only while this server runs, and is never saved).
    pub fn stored_settings(&self) -> Settings {
        let mut stored = (*self.settings()).clone();
        if self.listening_base.get() == Some(&stored.base_url) {
            stored.base_url = settings::DEFAULT_BASE_URL.to_string();
        }
        stored
    }

    /// Puts `loaded` in place, with the listening address for a default base URL.
    fn replace_settings(&self, mut loaded: Settings) {
        if let Some(listening) = self.listening_base.get()
            && loaded.base_url == settings::DEFAULT_BASE_URL
        {
            loaded.base_url = listening.clone();
        }
        self.https.store(is_https(&loaded), Ordering::Release);
        match self.settings.write() {
            Ok(mut guard) => *guard = Arc::new(loaded),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(loaded),
        }
    }

    /// Whether the site's base URL is https: cookies are then `Secure` and responses ask
    /// browsers to stay on https. Without the settings' lock, as every response asks.
    pub fn is_https(&self) -> bool {
        self.https.load(Ordering::Acquire)
    }

    /// The same state sending mail through `mailer`.
    pub fn with_mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        Arc::make_mut(&mut self.0).mailer = mailer;
        self
    }

    /// The same state believing `X-Forwarded-For` from these proxies.
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> Self {
        Arc::make_mut(&mut self.0).trusted_proxies = Arc::new(proxies);
        self
    }

    /// The show's settings as last loaded.
    pub fn settings(&self) -> Arc<Settings> {
        // A poisoned lock only means a writer panicked; the old value is still whole.
        match self.settings.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the settings again after an admin saved them; pages change too.
    pub async fn reload_settings(&self) -> anyhow::Result<()> {
        let loaded = settings::load(&mut *self.db.acquire().await?).await?;
        self.replace_settings(loaded);
        self.content_changed();
        Ok(())
    }

    /// Call after any write that changes what listeners see.
    pub fn content_changed(&self) {
        self.cache.clear();
    }
}

fn is_https(settings: &Settings) -> bool {
    settings.base_url.starts_with("https://")
}
