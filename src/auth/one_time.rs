//! Secrets and reports shown exactly once (a new API token, a generated password, an import or
//! restore report): kept in the database for the caller's session until its next page takes
//! them, so whichever server behind the load balancer serves that page can show them. Each is
//! sealed (ChaCha20-Poly1305) with a key derived from the session's cookie id, which the
//! database never holds (it keys sessions by the id's SHA-256): the database, its readers and a
//! backup taken meanwhile see no secret. A value not taken within five minutes is dropped.
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use tower_sessions::session::Id;
use tower_sessions::Session;

use crate::db::engine::Db;
use crate::db::platform::{one_time_values, sessions};
use crate::error::AppError;
use crate::model::platform::time::Timestamp;

/// A value not taken within this time is dropped.
pub const KEEP_FOR_SECS: i64 = 300;
/// The name a failed plain form post's fields wait under (`server::kept_forms`).
pub fn kept_form_name(fn_path: &str) -> String {
    format!("form:{fn_path}")
}

/// The nonce is 96 random bits per value: a key is only ever used by one session.
const NONCE_LEN: usize = 12;

/// Keeps `value` under `name` for this session's next page, sealed.
pub async fn put(db: &Db, session: &Session, name: &str, value: &str, now: Timestamp) -> Result<(), AppError> {
    let id = session_id(session)?;
    let sealed = seal(&id, name, value);
    one_time_values::put(db, &sessions::row_key(&id), name, &sealed, now.unix()).await?;
    Ok(())
}

/// The value under `name`, removed as it is read; `None` if there is none, it is five minutes
/// old, or it was not sealed for this session.
pub async fn take(db: &Db, session: &Session, name: &str, now: Timestamp) -> Result<Option<String>, AppError> {
    let Some(id) = session.id() else { return Ok(None) };
    let since = now.unix() - KEEP_FOR_SECS + 1;
    let sealed = one_time_values::take(db, &sessions::row_key(&id), name, since).await?;
    Ok(sealed.and_then(|s| open(&id, name, &s)))
}

/// The value under `name`, left in place for a second look (a page rendered twice for one
/// request, a reload) until it is replaced, taken or swept; `None` as for `take`.
pub async fn read(db: &Db, session: &Session, name: &str, now: Timestamp) -> Result<Option<String>, AppError> {
    let Some(id) = session.id() else { return Ok(None) };
    let since = now.unix() - KEEP_FOR_SECS + 1;
    let sealed = one_time_values::read(db, &sessions::row_key(&id), name, since).await?;
    Ok(sealed.and_then(|s| open(&id, name, &s)))
}

/// Only a saved session (every logged-in one) has an id to derive a key from.
fn session_id(session: &Session) -> Result<Id, AppError> {
    session.id().ok_or_else(|| {
        tracing::error!("a one-time value for a session with no id");
        AppError::Internal
    })
}

/// The session's own key: SHA-256 over a purpose label and the cookie id. The database keys the
/// session by SHA-256 of the bare id, from which this cannot be computed.
fn cipher(id: &Id) -> ChaCha20Poly1305 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new().chain_update(b"backroom one-time value v1\0").chain_update(id.to_string()).finalize();
    ChaCha20Poly1305::new(Key::from_slice(&digest))
}

/// Nonce then ciphertext, in hex; the name is bound in as associated data.
fn seal(id: &Id, name: &str, value: &str) -> String {
    let nonce: [u8; NONCE_LEN] = rand::random();
    let payload = Payload { msg: value.as_bytes(), aad: name.as_bytes() };
    // Encryption fails only for messages over 256 GiB; these are a few kilobytes.
    let text = cipher(id).encrypt(Nonce::from_slice(&nonce), payload).unwrap_or_default();
    hex::encode([nonce.as_slice(), &text].concat())
}

/// The value, if it was sealed for this session and this name and not altered since.
fn open(id: &Id, name: &str, sealed: &str) -> Option<String> {
    let bytes = hex::decode(sealed).ok()?;
    let (nonce, text) = bytes.split_at_checked(NONCE_LEN)?;
    let plain = cipher(id).decrypt(Nonce::from_slice(nonce), Payload { msg: text, aad: name.as_bytes() }).ok()?;
    String::from_utf8(plain).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_for_its_session_and_name() {
        let (mine, other) = (Id::default(), Id::default());
        let sealed = seal(&mine, "pos-1", "brt_secret");
        assert!(!sealed.contains(&hex::encode("brt_secret")), "the value is not stored readable");
        assert_eq!(open(&mine, "pos-1", &sealed).as_deref(), Some("brt_secret"));
        assert_eq!(open(&other, "pos-1", &sealed), None, "another session's key");
        assert_eq!(open(&mine, "pos-2", &sealed), None, "moved to another name");
        let flipped = if &sealed[30..32] == "00" { "01" } else { "00" };
        let altered = format!("{}{flipped}{}", &sealed[..30], &sealed[32..]);
        assert_eq!(open(&mine, "pos-1", &altered), None, "altered bytes");
        assert_eq!(open(&mine, "pos-1", "zz"), None, "not hex");
        assert_eq!(open(&mine, "pos-1", "00"), None, "too short");
    }

    #[test]
    fn the_same_value_sealed_twice_differs() {
        let id = Id::default();
        assert_ne!(seal(&id, "k", "v"), seal(&id, "k", "v"), "a fresh nonce each time");
    }
}
