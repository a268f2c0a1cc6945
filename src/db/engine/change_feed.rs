//! Change notices between the servers that share one PostgreSQL database, so their caches agree.
//! One channel, `backroom_changes`; a notice is a line of words: who sent it (a server's id, or
//! `-` for the database's own triggers), then the domains that changed, each with the sender's
//! new generation (`fleet:18`), or `all`. A write transaction sends its notice from inside the
//! transaction, so PostgreSQL delivers it exactly when the change becomes visible; the sessions
//! and users tables announce themselves by trigger (migration 0012), whichever process wrote.
//!
//! A restore pauses writes on every server while it runs (`pause`, renewed every 10 s with a
//! 30 s lease, then `resume`): what another server wrote meanwhile would be lost in the swap.
//!
//! Each server listens on a connection of its own. While it is not subscribed (start-up, or the
//! connection dropped) its caches are not believed (`Generations::trusted`), and when it
//! subscribes again everything remembered is dropped, since notices sent meanwhile are lost.
//! SQLite needs none of this: one server per database file.
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgListener, PgPool, PgPoolOptions};

use super::generations::{Domain, Generations};
use super::Db;

/// The channel every notice goes to.
pub const CHANNEL: &str = "backroom_changes";
/// The pause before listening again after the listening connection failed.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The notice for `domains` changing, naming the generation each will have here.
pub fn notice(generations: &Generations, domains: &[Domain]) -> String {
    let mut text = generations.origin().to_string();
    for domain in domains {
        let next = generations.current(*domain).wrapping_add(1);
        text.push_str(&format!(" {}:{next}", domain.as_str()));
    }
    text
}

/// What a notice asks of the server whose handle is `generations`.
#[derive(Debug, PartialEq, Eq)]
pub enum Notice {
    /// Its own notice, come back: nothing.
    Own,
    /// Drop what was remembered of these domains. A notice that cannot be read drops
    /// everything, which costs recounts but never shows a stale answer.
    Forget(Vec<Domain>),
    /// A restore began (or renews its lease): refuse writes for `PAUSE_LEASE`.
    PauseWrites,
    /// The restore ended.
    ResumeWrites,
}

pub fn read(generations: &Generations, notice: &str) -> Notice {
    let mut words = notice.split(' ');
    if words.next() == Some(generations.origin()) {
        return Notice::Own;
    }
    let rest: Vec<&str> = words.collect();
    match rest.as_slice() {
        ["pause"] => return Notice::PauseWrites,
        ["resume"] => return Notice::ResumeWrites,
        _ => {}
    }
    let named: Option<Vec<Domain>> =
        rest.iter().map(|word| Domain::parse(word.split_once(':').map_or(*word, |(name, _generation)| name))).collect();
    match named {
        Some(domains) if !domains.is_empty() => Notice::Forget(domains),
        _ => Notice::Forget(Domain::ALL.to_vec()),
    }
}

fn apply(generations: &Generations, notice: Notice) {
    match notice {
        Notice::Own => {}
        Notice::Forget(domains) => domains.into_iter().for_each(|d| generations.advance(d)),
        Notice::PauseWrites => generations.pause_writes(Some(PAUSE_LEASE)),
        Notice::ResumeWrites => generations.pause_writes(None),
    }
}

/// How long a restore's pause holds unless renewed: a restorer that dies mid-way stops
/// pausing the others after this.
pub const PAUSE_LEASE: Duration = Duration::from_secs(30);
const RENEW_EVERY: Duration = Duration::from_secs(10);

/// Writes are paused on every server while this lives (a restore holds it); dropped, they resume.
#[must_use = "writes resume when this is dropped"]
pub struct WritePause {
    db: Db,
    renewer: tokio::task::JoinHandle<()>,
}

/// Pauses writes here and, on PostgreSQL, on every server listening, until the guard drops.
pub async fn pause_writes(db: &Db) -> WritePause {
    db.generations().pause_writes(Some(PAUSE_LEASE));
    send(db, "pause").await;
    let renewing = db.clone();
    let renewer = tokio::spawn(async move {
        loop {
            tokio::time::sleep(RENEW_EVERY).await;
            renewing.generations().pause_writes(Some(PAUSE_LEASE));
            send(&renewing, "pause").await;
        }
    });
    WritePause { db: db.clone(), renewer }
}

impl Drop for WritePause {
    fn drop(&mut self) {
        self.renewer.abort();
        self.db.generations().pause_writes(None);
        if let (Db::Postgres(..), Ok(runtime)) = (&self.db, tokio::runtime::Handle::try_current()) {
            let db = self.db.clone();
            runtime.spawn(async move { send(&db, "resume").await });
        }
    }
}

/// Sends `<origin> <words>` on PostgreSQL; a failure is logged (the lease bounds a lost pause).
async fn send(db: &Db, words: &str) {
    if let Db::Postgres(pool, ..) = db {
        let text = format!("{} {words}", db.generations().origin());
        if let Err(e) = sqlx::query("select pg_notify($1, $2)").bind(CHANNEL).bind(text).execute(pool).await {
            tracing::warn!(error = %e, words, "cannot send a change notice");
        }
    }
}

/// Forgets every cache of this process and, on PostgreSQL, of every server listening (after a
/// restore replaced the data).
pub async fn announce_all(db: &Db) {
    db.generations().advance_all();
    send(db, "all").await;
}

/// Starts this database's listener, once per `Db`, when it is PostgreSQL and a runtime runs.
pub fn start(db: &Db) {
    if let (Db::Postgres(pool, generations), Ok(runtime)) = (db, tokio::runtime::Handle::try_current()) {
        if generations.claim_listener() {
            runtime.spawn(listen(pool.clone(), generations.clone()));
        }
    }
}

/// Applies notices until the app's pool closes, listening again after a failure.
async fn listen(pool: PgPool, generations: Arc<Generations>) {
    // A connection of its own: the listener holds it for good, and the app's pool keeps all of its.
    let own = PgPoolOptions::new()
        .max_connections(1)
        .max_lifetime(None)
        .idle_timeout(None)
        .connect_lazy_with((*pool.connect_options()).clone());
    tokio::select! {
        () = pool.close_event() => {}
        () = keep_listening(&own, &generations) => {}
    }
    generations.set_hearing(false);
    own.close().await;
}

async fn keep_listening(own: &PgPool, generations: &Generations) {
    loop {
        match subscribe(own).await {
            Ok(mut listener) => {
                generations.set_hearing(true);
                let error = follow(&mut listener, generations).await;
                generations.set_hearing(false);
                tracing::warn!(%error, "change notices stopped; caches are not used until they are back");
            }
            Err(error) => tracing::warn!(%error, "cannot listen for change notices"),
        }
        tokio::time::sleep(RETRY_AFTER).await;
    }
}

async fn subscribe(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.ignore_pool_close_event(true);
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Applies every notice until the connection fails for good.
async fn follow(listener: &mut PgListener, generations: &Generations) -> sqlx::Error {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => apply(generations, read(generations, notification.payload())),
            // The connection dropped and was made again: what was sent meanwhile is lost.
            Ok(None) => generations.advance_all(),
            Err(error) => return error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_its_domains_and_is_skipped_by_its_sender() {
        let generations = Generations::default();
        let text = notice(&generations, &[Domain::Fleet, Domain::Admin]);
        assert_eq!(text, format!("{} fleet:1 admin:1", generations.origin()));
        assert_eq!(read(&generations, &text), Notice::Own);
        let other_server = Generations::default();
        assert_eq!(read(&other_server, &text), Notice::Forget(vec![Domain::Fleet, Domain::Admin]));
    }

    #[test]
    fn trigger_notices_apply_and_unreadable_ones_drop_everything() {
        let here = Generations::default();
        assert_eq!(read(&here, "- sessions"), Notice::Forget(vec![Domain::Sessions]));
        assert_eq!(read(&here, "- users"), Notice::Forget(vec![Domain::Users]));
        for unreadable in ["feedface all", "feedface warehouse:3", "", "feedface pause now"] {
            assert_eq!(read(&here, unreadable), Notice::Forget(Domain::ALL.to_vec()), "{unreadable:?}");
        }
        assert_eq!(read(&here, "feedface pause"), Notice::PauseWrites);
        assert_eq!(read(&here, "feedface resume"), Notice::ResumeWrites);
    }

    #[test]
    fn an_unheard_shared_database_believes_nothing_until_heard() {
        let generations = Generations::shared();
        let first = generations.current(Domain::Fleet);
        assert_ne!(generations.current(Domain::Fleet), first, "deaf: every read moves");
        generations.set_hearing(true);
        let heard = generations.current(Domain::Fleet);
        assert_eq!(generations.current(Domain::Fleet), heard);
        generations.set_hearing(false);
        assert_ne!(generations.current(Domain::Fleet), generations.current(Domain::Fleet));
        let local = Generations::default();
        assert_eq!(local.current(Domain::Users), local.current(Domain::Users), "SQLite: always believed");
    }
}
