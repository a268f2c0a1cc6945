//! One answer kept under a domain's generation: a summary that costs many reads to make (the
//! warehouse's dashboard: POs by state, remaining counts, the review queue by reason) is made
//! once and shown again until a committed write moves the generation or it ages. Requests that
//! find it missing wait for one making, and take any answer begun after they arrived: it holds
//! every write committed before they asked, so a busy writer never makes them queue for one
//! making each.
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::generations::{Domain, Generations};

struct Kept<T> {
    value: T,
    generation: u64,
    /// When its making began: it holds every write committed before then.
    begun: Instant,
}

/// An answer made while `domain`'s generation stood still, shown for at most `ttl`. The age
/// bounds what a writer the generations never hear of can hide (a CLI command writing to the
/// SQLite file beside the server).
pub struct Remembered<T> {
    domain: Domain,
    ttl: Duration,
    generations: Arc<Generations>,
    kept: Mutex<Option<Kept<T>>>,
    /// One maker at a time: those who miss together reuse what the first one made.
    making: tokio::sync::Mutex<()>,
}

impl<T: Clone> Remembered<T> {
    pub fn new(generations: Arc<Generations>, domain: Domain, ttl: Duration) -> Self {
        Self { domain, ttl, generations, kept: Mutex::default(), making: tokio::sync::Mutex::default() }
    }

    /// The kept answer if it is still good, else the one `make` makes (then kept).
    pub async fn get_or_make<E, Fut>(&self, make: impl FnOnce() -> Fut) -> Result<T, E>
    where
        Fut: Future<Output = Result<T, E>>,
    {
        if !self.generations.trusted() {
            // Deaf to the other servers: nothing is kept, and nobody waits for anybody.
            return make().await;
        }
        let asked = Instant::now();
        if let Some(value) = self.fresh(None) {
            return Ok(value);
        }
        let _turn = self.making.lock().await;
        if let Some(value) = self.fresh(Some(asked)) {
            return Ok(value);
        }
        // Read before making: a write that commits meanwhile moves it, and what is made now
        // is then shown only to those who asked before it began.
        let generation = self.generations.current(self.domain);
        let begun = Instant::now();
        let value = make().await?;
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some(Kept { value: value.clone(), generation, begun });
        Ok(value)
    }

    /// The kept answer if no write moved its generation since it was begun, or (for one who
    /// waited for a making) if it was begun after `asked`; and not older than the TTL.
    fn fresh(&self, asked: Option<Instant>) -> Option<T> {
        let generation = self.generations.current(self.domain);
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|k| k.generation == generation || asked.is_some_and(|asked| k.begun >= asked))
            .filter(|k| k.begun.elapsed() < self.ttl)
            .map(|k| k.value.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    const LONG: Duration = Duration::from_secs(3600);

    type Making = std::pin::Pin<Box<dyn Future<Output = Result<u32, ()>> + Send>>;

    /// Makes the number of times it was called so far.
    async fn made(calls: &AtomicU32) -> Result<u32, ()> {
        Ok(calls.fetch_add(1, Ordering::SeqCst) + 1)
    }

    #[tokio::test]
    async fn an_answer_is_made_once_and_again_after_its_domain_moves() {
        let generations = Arc::new(Generations::default());
        let kept = Remembered::new(generations.clone(), Domain::Admin, LONG);
        let calls = AtomicU32::new(0);
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(1));
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(1), "kept");
        generations.advance(Domain::Fleet);
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(1), "another domain moved");
        generations.advance(Domain::Admin);
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(2), "its domain moved");
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(2));
    }

    #[tokio::test]
    async fn a_failure_is_not_kept_and_an_aged_answer_is_made_again() {
        let kept = Remembered::new(Arc::new(Generations::default()), Domain::Admin, LONG);
        assert_eq!(kept.get_or_make(|| async { Err::<u32, _>("down") }).await, Err("down"));
        assert_eq!(kept.get_or_make(|| async { Ok::<_, &str>(7) }).await, Ok(7), "made after the failure");
        let ageless = Remembered::new(Arc::new(Generations::default()), Domain::Admin, Duration::ZERO);
        let calls = AtomicU32::new(0);
        assert_eq!(ageless.get_or_make(|| made(&calls)).await, Ok(1));
        assert_eq!(ageless.get_or_make(|| made(&calls)).await, Ok(2), "aged at once");
    }

    #[tokio::test]
    async fn an_answer_made_across_a_write_is_not_shown_to_those_who_ask_later() {
        let generations = Arc::new(Generations::default());
        let kept = Remembered::new(generations.clone(), Domain::Admin, LONG);
        let calls = AtomicU32::new(0);
        let across = kept.get_or_make(|| async {
            generations.advance(Domain::Admin); // a write commits while the answer is made
            made(&calls).await
        });
        assert_eq!(across.await, Ok(1));
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(2), "it may have missed that write");
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(2));
    }

    #[tokio::test]
    async fn nothing_is_kept_while_the_other_servers_are_not_heard() {
        let generations = Arc::new(Generations::shared());
        let kept = Remembered::new(generations.clone(), Domain::Admin, LONG);
        let calls = AtomicU32::new(0);
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(1));
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(2), "deaf: made every time");
        generations.set_hearing(true);
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(3));
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(3), "heard: kept");
    }

    /// Starts a call of `kept` in a task of its own, and lets it run until it makes or waits.
    async fn asking(
        kept: &Arc<Remembered<u32>>,
        make: impl FnOnce() -> Making + Send + 'static,
    ) -> tokio::task::JoinHandle<Result<u32, ()>> {
        let kept = kept.clone();
        let task = tokio::spawn(async move { kept.get_or_make(make).await });
        tokio::task::yield_now().await;
        task
    }

    #[tokio::test]
    async fn those_who_wait_take_an_answer_begun_after_they_asked() {
        let generations = Arc::new(Generations::default());
        let kept = Arc::new(Remembered::new(generations.clone(), Domain::Admin, LONG));
        let calls = Arc::new(AtomicU32::new(0));
        let (gate, opened) = tokio::sync::oneshot::channel::<()>();
        let counter = calls.clone();
        let first = asking(&kept, move || -> Making {
            Box::pin(async move {
                let _ = opened.await;
                made(&counter).await
            })
        })
        .await;
        let (counter, floor) = (calls.clone(), generations.clone());
        let second = asking(&kept, move || -> Making {
            Box::pin(async move {
                floor.advance(Domain::Admin); // the floor keeps writing while it is made
                made(&counter).await
            })
        })
        .await;
        let counter = calls.clone();
        let third = asking(&kept, move || -> Making { Box::pin(async move { made(&counter).await }) }).await;
        generations.advance(Domain::Admin); // a write after the first making began
        gate.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(1));
        assert_eq!(second.await.unwrap(), Ok(2), "the first was begun before it asked: made again");
        assert_eq!(third.await.unwrap(), Ok(2), "the second was begun after it asked: taken, not made again");
        assert_eq!(kept.get_or_make(|| made(&calls)).await, Ok(3), "one who asks now has every write");
    }

    #[tokio::test]
    async fn while_deaf_nobody_waits_for_another_making() {
        let kept = Arc::new(Remembered::new(Arc::new(Generations::shared()), Domain::Admin, LONG));
        let (_gate, opened) = tokio::sync::oneshot::channel::<()>();
        let blocked = asking(&kept, move || -> Making {
            Box::pin(async move {
                let _ = opened.await;
                Ok(0)
            })
        })
        .await;
        let alone = tokio::time::timeout(Duration::from_secs(5), kept.get_or_make(|| async { Ok::<_, ()>(7) }));
        assert_eq!(alone.await, Ok(Ok(7)), "answered while another making is under way");
        blocked.abort();
    }
}
