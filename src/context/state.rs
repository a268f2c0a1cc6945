//! `AppState`: what every request handler and server function reaches through context.
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use leptos::config::LeptosOptions;

use crate::auth::password::Passwords;
use crate::auth::throttle::{LoginThrottle, ThrottleLimits};
use crate::config::Config;
use crate::db::engine::counts::CountCache;
use crate::db::engine::remembered::Remembered;
use crate::db::engine::Db;
use crate::db::fleet::check_writer::CheckWriter;
use crate::db::platform::session_watch::SessionWatch;
use crate::model::warehouse::dashboard::WarehouseDashboard;
use crate::model::warehouse::review_views::QueueSize;

/// Cheap to clone (one reference count): the middleware, the page context and every server
/// function take a copy per request.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: Db,
    pub config: Arc<Config>,
    pub leptos: LeptosOptions,
    pub passwords: Passwords,
    pub throttle: Arc<LoginThrottle>,
    /// Session users for a few seconds, so a page view does not read the users table.
    pub users: Arc<crate::auth::user_cache::UserCache>,
    /// When this process may answer a session from memory (PostgreSQL's change notifications).
    pub sessions: SessionWatch,
    /// Totals of big lists, so a page view does not count a million rows.
    pub counts: Arc<CountCache>,
    /// The warehouse's dashboard, made again after a warehouse write (`warehouse::dashboard`).
    pub warehouse_dashboard: Remembered<WarehouseDashboard>,
    /// The review queue's size by reason, made again after a warehouse write (`warehouse::review`).
    pub review_queue_size: Remembered<QueueSize>,
    /// Where the health API stores checks (merged commits on SQLite).
    pub checks: CheckWriter,
    /// The backup or restore running in this process, for the backups page.
    pub backup_runs: Arc<crate::backup::runs::RunStatus>,
    /// Whether this server runs the background work (several may share one PostgreSQL).
    pub leader: crate::db::engine::leader::Leadership,
    /// The time the jobs rules read (a test's fixed clock, else the system's).
    pub clock: crate::jobs::clock::Clock,
    /// Set once any user exists; the first-run setup page is gone from then on.
    has_users: AtomicBool,
}

impl AppState {
    pub fn new(db: Db, config: Config, leptos: LeptosOptions) -> Self {
        Self::with_clock(db, config, leptos, crate::jobs::clock::Clock::system())
    }

    /// `new`, with the clock the jobs rules read (tests move a fixed one).
    pub fn with_clock(db: Db, config: Config, leptos: LeptosOptions, clock: crate::jobs::clock::Clock) -> Self {
        crate::telemetry::handle();
        let limits = ThrottleLimits {
            failures_per_account_per_hour: config.login_failures_per_hour,
            client_burst: f64::from(config.login_burst_per_client.max(1)),
            ..Default::default()
        };
        let counts = CountCache::new(&db);
        let warehouse_dashboard = crate::warehouse::dashboard::remembered_dashboard(&db);
        let review_queue_size = crate::warehouse::review::remembered_queue_size(&db);
        let users = Arc::new(crate::auth::user_cache::UserCache::following(db.generations().clone()));
        Self(Arc::new(Shared {
            checks: CheckWriter::start(db.clone(), config.online_window_secs),
            sessions: SessionWatch::start(&db),
            leader: crate::db::engine::leader::Leadership::start(&db, crate::db::engine::leader::RETRY),
            db,
            config: Arc::new(config),
            leptos,
            passwords: Passwords::new(),
            throttle: Arc::new(LoginThrottle::new(limits)),
            users,
            counts,
            warehouse_dashboard,
            review_queue_size,
            backup_runs: Arc::default(),
            clock,
            has_users: AtomicBool::new(false),
        }))
    }

    /// Whether any user exists (cached once true: users are never all deleted in a running app).
    pub async fn has_users(&self) -> bool {
        if self.has_users.load(Ordering::Relaxed) {
            return true;
        }
        let exists = crate::db::platform::users::count(&self.db).await.map(|n| n > 0).unwrap_or(true);
        if exists {
            self.has_users.store(true, Ordering::Relaxed);
        }
        exists
    }
}
