//! What the caches of one database handle follow: a generation per domain that a committed
//! write (or another server's change notice) moves, whether this server hears the others, and
//! whether a restore pauses writes.
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// What a cache follows. A committed write moves the generation of each domain it changed
/// (its counts); sessions and users move on any change to their tables (their caches). A site
/// edit leaves the audit list's total alone only if it wrote no audit row, so in practice both
/// count domains move on most writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Domain {
    Fleet,
    Admin,
    Sessions,
    Users,
    /// New work for devices (a job created, a wave released, a job resumed, work queued again):
    /// what the agent API's long polls wait for. A device's ordinary report moves nothing, so a
    /// busy fleet does not wake every waiting device on every report.
    Jobs,
}

impl Domain {
    pub const ALL: [Domain; 5] = [Domain::Fleet, Domain::Admin, Domain::Sessions, Domain::Users, Domain::Jobs];

    /// Its name in a change notice (db::engine::change_feed).
    pub fn as_str(self) -> &'static str {
        match self {
            Domain::Fleet => "fleet",
            Domain::Admin => "admin",
            Domain::Sessions => "sessions",
            Domain::Users => "users",
            Domain::Jobs => "jobs",
        }
    }

    pub fn parse(name: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

/// One generation per domain, and whether this process hears every change. A committed write
/// moves its domains' generation (`Tx::commit`), and what was remembered under an older one is
/// not shown again. On a database other processes write to (PostgreSQL, where several servers
/// may share it), their changes arrive as notices (`change_feed`); while no listener hears
/// them, every read of a generation moves it, so nothing remembered is believed.
#[derive(Debug)]
pub struct Generations {
    slots: [AtomicU64; 5],
    /// Other processes may write: remembered answers hold only while `hearing`.
    shared: bool,
    hearing: AtomicBool,
    listener_claimed: AtomicBool,
    /// This database handle's name in the change notices it sends (one per server), so it can
    /// skip its own when they come back.
    origin: String,
    /// Until when a restore (here or on another server) pauses writes; renewed while it runs,
    /// so a restorer that dies stops pausing the others once its lease ends.
    paused_until: Mutex<Option<Instant>>,
    /// Counts every move and every change of `hearing`, for those who wait on one.
    moves: watch::Sender<u64>,
}

impl Default for Generations {
    /// A database only this process writes to (SQLite, one server per file).
    fn default() -> Self {
        Self::new(false)
    }
}

impl Generations {
    /// A database other processes may write to: nothing is believed until `set_hearing(true)`.
    pub fn shared() -> Self {
        Self::new(true)
    }

    fn new(shared: bool) -> Self {
        Self {
            slots: Default::default(),
            shared,
            hearing: AtomicBool::new(false),
            listener_claimed: AtomicBool::new(false),
            origin: format!("{:016x}", rand::random::<u64>()),
            paused_until: Mutex::new(None),
            moves: watch::Sender::new(0),
        }
    }

    fn slot(&self, domain: Domain) -> &AtomicU64 {
        &self.slots[domain as usize]
    }

    /// The domain's generation to remember an answer under, or to check one against.
    pub fn current(&self, domain: Domain) -> u64 {
        if self.trusted() {
            self.slot(domain).load(Ordering::Acquire)
        } else {
            self.slot(domain).fetch_add(1, Ordering::AcqRel).wrapping_add(1)
        }
    }

    /// Whether remembered answers may be shown: always where only this process writes, else
    /// while the change listener hears the others.
    pub fn trusted(&self) -> bool {
        !self.shared || self.hearing.load(Ordering::Acquire)
    }

    /// This handle's name in the change notices it sends.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether other processes may write to this database.
    pub fn is_shared(&self) -> bool {
        self.shared
    }

    /// Forgets what was remembered under `domain`: its rows changed.
    pub fn advance(&self, domain: Domain) {
        self.slot(domain).fetch_add(1, Ordering::AcqRel);
        self.moves.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Forgets everything (a restore replaced the data, or notices may have been missed).
    pub fn advance_all(&self) {
        for domain in Domain::ALL {
            self.advance(domain);
        }
    }

    /// The listener started or stopped hearing other processes; either way, what was
    /// remembered before may have missed a change.
    pub fn set_hearing(&self, hearing: bool) {
        self.hearing.store(hearing, Ordering::Release);
        self.advance_all();
    }

    /// Pauses writes for `lease` (a restore begins or renews its pause), or ends the pause.
    pub fn pause_writes(&self, lease: Option<Duration>) {
        *self.paused_until.lock().unwrap_or_else(|e| e.into_inner()) = lease.map(|l| Instant::now() + l);
        self.moves.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Waits until writes are paused, or no longer paused (tests, to see a notice land).
    pub async fn writes_become(&self, paused: bool) {
        let _ = self.moves.subscribe().wait_for(|_| self.writes_paused() == paused).await;
    }

    /// Whether a restore pauses writes now.
    pub fn writes_paused(&self) -> bool {
        let until = *self.paused_until.lock().unwrap_or_else(|e| e.into_inner());
        until.is_some_and(|until| Instant::now() < until)
    }

    /// True for the one caller that should start this database's listener.
    pub fn claim_listener(&self) -> bool {
        self.shared && !self.listener_claimed.swap(true, Ordering::AcqRel)
    }

    /// How many moves so far (pass to `moved_from`).
    pub fn moves(&self) -> u64 {
        *self.moves.borrow()
    }

    /// Waits until a generation moves after `seen` (tests, to see a notice land).
    pub async fn moved_from(&self, seen: u64) {
        let _ = self.moves.subscribe().wait_for(|n| *n != seen).await;
    }

    /// `domain`'s generation as it stands, read without the move a deaf read makes (`current`):
    /// for those who wait on it with `moved`.
    pub fn peek(&self, domain: Domain) -> u64 {
        self.slot(domain).load(Ordering::Acquire)
    }

    /// Waits until `domain`'s generation is no longer `from` (tests, to see a notice land).
    pub async fn moved(&self, domain: Domain, from: u64) {
        let _ = self.moves.subscribe().wait_for(|_| self.slot(domain).load(Ordering::Acquire) != from).await;
    }

    /// Waits until remembered answers may be shown (tests, to know a cache is in play).
    pub async fn heard(&self) {
        let mut moves = self.moves.subscribe();
        while !self.trusted() {
            if moves.changed().await.is_err() {
                return;
            }
        }
    }
}
