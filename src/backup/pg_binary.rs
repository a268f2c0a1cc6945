//! PostgreSQL's binary `COPY` format, read into container cells: a signature and header, then
//! per row a field count and per field a length (-1 for NULL) and the value in network order.
//! Binary rather than text: no escapes, no DateStyle, exact floats. JSON columns are copied as
//! `::text` and arrive as UTF-8.
use std::borrow::Cow;

use super::cells::Kind;
use super::stored::Stored;
use super::BackupError;

pub(super) const SIGNATURE: &[u8] = b"PGCOPY\n\xff\r\n\0";
/// Seconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC).
pub(super) const PG_EPOCH_OFFSET: i64 = 946_684_800;

/// Turns the byte stream of one `COPY … TO STDOUT (FORMAT binary)` into rows. Bytes arrive in
/// chunks that need not end on a row boundary.
pub struct CopyReader {
    kinds: Vec<Kind>,
    buffer: Vec<u8>,
    header_read: bool,
    finished: bool,
}

fn bad(what: &str) -> BackupError {
    BackupError::Db(format!("unexpected COPY data from PostgreSQL: {what}"))
}

fn be_i16(b: &[u8]) -> i16 {
    i16::from_be_bytes([b[0], b[1]])
}

fn be_i32(b: &[u8]) -> i32 {
    i32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

impl CopyReader {
    pub fn new(kinds: Vec<Kind>) -> Self {
        Self { kinds, buffer: Vec::new(), header_read: false, finished: false }
    }

    /// Adds `chunk` and calls `row` for every complete row it finishes.
    pub fn feed(
        &mut self,
        chunk: &[u8],
        mut row: impl FnMut(&[Stored]) -> Result<(), BackupError>,
    ) -> Result<(), BackupError> {
        self.buffer.extend_from_slice(chunk);
        let mut at = 0;
        if !self.header_read {
            match header_len(&self.buffer)? {
                Some(len) => {
                    at = len;
                    self.header_read = true;
                }
                None => return Ok(()),
            }
        }
        let mut cells = Vec::with_capacity(self.kinds.len());
        while !self.finished {
            match next_row(&self.buffer, &self.kinds, at, &mut cells)? {
                Some(next) => {
                    if cells.is_empty() {
                        self.finished = true;
                    } else {
                        row(&cells)?;
                    }
                    cells.clear();
                    at = next;
                }
                None => break,
            }
        }
        self.buffer.drain(..at);
        Ok(())
    }

    /// True once the trailer has been read: the copy is complete.
    pub fn is_complete(&self) -> bool {
        self.finished
    }
}

/// The row starting at `at` into `cells` (left empty for the trailer) and where the next
/// starts, or `None` when the buffer does not hold all of it yet.
fn next_row<'b>(
    buf: &'b [u8],
    kinds: &[Kind],
    mut at: usize,
    cells: &mut Vec<Stored<'b>>,
) -> Result<Option<usize>, BackupError> {
    let Some(count) = buf.get(at..at + 2).map(be_i16) else { return Ok(None) };
    at += 2;
    if count == -1 {
        return Ok(Some(at));
    }
    if count as usize != kinds.len() {
        return Err(bad(&format!("{count} fields where {} were expected", kinds.len())));
    }
    for kind in kinds {
        let Some(len) = buf.get(at..at + 4).map(be_i32) else { return Ok(None) };
        at += 4;
        if len < 0 {
            cells.push(Stored::Null);
            continue;
        }
        let Some(value) = buf.get(at..at + len as usize) else { return Ok(None) };
        at += len as usize;
        cells.push(decode(*kind, value)?);
    }
    Ok(Some(at))
}

/// The header's length once the buffer holds all of it.
fn header_len(buf: &[u8]) -> Result<Option<usize>, BackupError> {
    if buf.len() < SIGNATURE.len() + 8 {
        return Ok(None);
    }
    if &buf[..SIGNATURE.len()] != SIGNATURE {
        return Err(bad("no binary COPY signature"));
    }
    let extension = be_i32(&buf[SIGNATURE.len() + 4..]).max(0) as usize;
    let len = SIGNATURE.len() + 8 + extension;
    Ok((buf.len() >= len).then_some(len))
}

/// One field's bytes as the cell the container stores for a column of `kind`.
fn decode(kind: Kind, value: &[u8]) -> Result<Stored<'_>, BackupError> {
    let width = |w: &[usize]| {
        if w.contains(&value.len()) {
            Ok(())
        } else {
            Err(bad(&format!("a {kind:?} value of {} bytes", value.len())))
        }
    };
    Ok(match kind {
        Kind::Int => {
            width(&[2, 4, 8])?;
            Stored::Int(match value.len() {
                2 => be_i16(value) as i64,
                4 => be_i32(value) as i64,
                _ => i64::from_be_bytes(value.try_into().unwrap_or_default()),
            })
        }
        Kind::Real => {
            width(&[4, 8])?;
            Stored::Real(match value.len() {
                4 => f32::from_bits(be_i32(value) as u32) as f64,
                _ => f64::from_bits(u64::from_be_bytes(value.try_into().unwrap_or_default())),
            })
        }
        Kind::Bool => {
            width(&[1])?;
            Stored::Int(i64::from(value[0] != 0))
        }
        Kind::Time => {
            width(&[8])?;
            let micros = i64::from_be_bytes(value.try_into().unwrap_or_default());
            let secs = micros.div_euclid(1_000_000).checked_add(PG_EPOCH_OFFSET);
            Stored::Text(Cow::Owned(secs.and_then(rfc3339).ok_or_else(|| bad("a time out of range"))?))
        }
        Kind::Text => {
            Stored::Text(Cow::Borrowed(std::str::from_utf8(value).map_err(|_| bad("text that is not UTF-8"))?))
        }
        Kind::Json => {
            let text = std::str::from_utf8(value).map_err(|_| bad("JSON that is not UTF-8"))?;
            let json: serde_json::Value = serde_json::from_str(text).map_err(|_| bad("JSON that does not parse"))?;
            // serde_json's maps keep keys sorted, so compact text is the canonical form.
            Stored::Json(json.to_string())
        }
    })
}

/// `2026-01-01T00:00:00Z`, exactly as `Timestamp::rfc3339` writes a whole UTC second, for
/// years 0 to 9999 (a backup formats a million of them; the general formatter was a tenth of
/// the export's time).
fn rfc3339(secs: i64) -> Option<String> {
    let time = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
    let (year, month, day) = time.to_calendar_date();
    let (hour, minute, second) = time.to_hms();
    if !(0..=9999).contains(&year) {
        return None;
    }
    let mut out = String::with_capacity(20);
    for (n, after) in [
        ((year / 100) as u8, None),
        ((year % 100) as u8, Some('-')),
        (u8::from(month), Some('-')),
        (day, Some('T')),
        (hour, Some(':')),
        (minute, Some(':')),
        (second, Some('Z')),
    ] {
        out.push(char::from(b'0' + n / 10));
        out.push(char::from(b'0' + n % 10));
        out.extend(after);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::platform::time::Timestamp;

    fn field(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
        match bytes {
            Some(b) => {
                out.extend_from_slice(&(b.len() as i32).to_be_bytes());
                out.extend_from_slice(b);
            }
            None => out.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }

    fn rows_of(stream: &[u8], kinds: Vec<Kind>, chunk: usize) -> (Vec<Vec<Stored<'static>>>, bool) {
        let mut reader = CopyReader::new(kinds);
        let mut rows = Vec::new();
        for piece in stream.chunks(chunk) {
            reader
                .feed(piece, |row| {
                    rows.push(row.iter().cloned().map(Stored::into_owned).collect());
                    Ok(())
                })
                .unwrap();
        }
        (rows, reader.is_complete())
    }

    #[test]
    fn rows_decode_whatever_the_chunk_boundaries() {
        let mut stream = SIGNATURE.to_vec();
        stream.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
        stream.extend_from_slice(&5i16.to_be_bytes());
        field(&mut stream, Some(&42i64.to_be_bytes()));
        field(&mut stream, Some(&1.5f64.to_bits().to_be_bytes()));
        field(&mut stream, Some(&[1]));
        // 2026-01-01T00:00:00Z is 820,540,800 s after 2000-01-01.
        field(&mut stream, Some(&(820_540_800i64 * 1_000_000 + 999_999).to_be_bytes()));
        field(&mut stream, None);
        stream.extend_from_slice(&(-1i16).to_be_bytes());
        let kinds = vec![Kind::Int, Kind::Real, Kind::Bool, Kind::Time, Kind::Json];
        let expected = vec![
            Stored::Int(42),
            Stored::Real(1.5),
            Stored::Int(1),
            Stored::Text(Cow::Owned("2026-01-01T00:00:00Z".into())),
            Stored::Null,
        ];
        for chunk in [1, 3, 7, stream.len()] {
            let (rows, complete) = rows_of(&stream, kinds.clone(), chunk);
            assert_eq!(rows, vec![expected.clone()], "chunks of {chunk}");
            assert!(complete);
        }
    }

    #[test]
    fn times_are_written_as_timestamp_writes_them() {
        for secs in [0, 1, 59, 951_782_400, 1_798_761_599, -62_167_219_200, 253_402_300_799] {
            let expected = Timestamp::from_unix(secs).unwrap().rfc3339();
            assert_eq!(rfc3339(secs).as_deref(), Some(expected.as_str()), "{secs}");
        }
        assert_eq!(rfc3339(253_402_300_800), None);
    }

    #[test]
    fn json_is_stored_compact_and_a_bad_width_is_refused() {
        assert_eq!(
            decode(Kind::Json, br#"{"b": 1, "a": [1, 2]}"#).unwrap(),
            Stored::Json(r#"{"a":[1,2],"b":1}"#.into())
        );
        assert!(decode(Kind::Int, &[1, 2, 3]).is_err());
        assert!(decode(Kind::Text, &[0xff]).is_err());
    }
}
