//! One answer kept under a domain's generation: a summary that costs many reads to make (the
//! warehouse's dashboard: POs by state, remaining counts, the review queue by reason) is made
//! once and shown again until a committed write moves the generation or it ages. Many requests
//! that find it missing together wait for one of them to make it.
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::generations::{Domain, Generations};

struct Kept<T> {
    value: T,
    generation: u64,
    made_at: Instant,
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
        if let Some(value) = self.fresh() {
            return Ok(value);
        }
        let _turn = self.making.lock().await;
        if let Some(value) = self.fresh() {
            return Ok(value);
        }
        // Read before making: a write that commits meanwhile moves it, and what is made now
        // is then not shown again.
        let generation = self.generations.current(self.domain);
        let value = make().await?;
        let kept = Kept { value: value.clone(), generation, made_at: Instant::now() };
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = Some(kept);
        Ok(value)
    }

    fn fresh(&self) -> Option<T> {
        let generation = self.generations.current(self.domain);
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref().filter(|k| k.generation == generation && k.made_at.elapsed() < self.ttl).map(|k| k.value.clone())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    const LONG: Duration = Duration::from_secs(3600);

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

    #[tokio::test]
    async fn those_who_miss_together_share_one_making() {
        let kept = Arc::new(Remembered::new(Arc::new(Generations::default()), Domain::Admin, LONG));
        let calls = Arc::new(AtomicU32::new(0));
        let (gate, opened) = tokio::sync::oneshot::channel::<()>();
        let first = {
            let (kept, calls) = (kept.clone(), calls.clone());
            tokio::spawn(async move {
                kept.get_or_make(|| async move {
                    let _ = opened.await;
                    made(&calls).await
                })
                .await
            })
        };
        tokio::task::yield_now().await;
        let second = {
            let (kept, calls) = (kept.clone(), calls.clone());
            tokio::spawn(async move { kept.get_or_make(|| made(&calls)).await })
        };
        tokio::task::yield_now().await;
        gate.send(()).unwrap();
        assert_eq!(first.await.unwrap(), Ok(1));
        assert_eq!(second.await.unwrap(), Ok(1), "the second waited and took the first's answer");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
