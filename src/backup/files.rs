//! Files of the backup folder: compressing with a running SHA-256, decompressing with limits,
//! and the atomic write (temp → fsync → rename → fsync dir, BK-2). Blocking; callers use
//! `spawn_blocking`.
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::container::hex;
use super::BackupError;

/// zstd level: fast enough to beat gzip's time by far at a similar size.
const ZSTD_LEVEL: i32 = 3;
/// zstd frames start with these bytes; anything else is not a backup.
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];
/// Every temporary file ends so; a crash leaves only such files (and SQLite's `-journal` of
/// one), and they may be removed.
pub const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file or SQLite's companion of one (`x.tmp-journal`).
pub fn is_temp(name: &str) -> bool {
    name.ends_with(TEMP_SUFFIX) || name.contains(".tmp-")
}

/// Writes through to `inner` while hashing and counting what passes.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What one compression produced: the compressed file's hash and size, and the plain input's.
pub struct Compressed {
    pub sha256: String,
    pub size: u64,
    pub plain_sha256: String,
}

fn io_err<'a>(context: &'a str, path: &'a Path) -> impl Fn(io::Error) -> BackupError + 'a {
    move |e| BackupError::Io(format!("{context} {}: {e}", path.display()))
}

/// Compresses `source` into `target` (a temp name) with a content checksum, and fsyncs it.
pub fn compress(source: &Path, target: &Path) -> Result<Compressed, BackupError> {
    let mut input = BufReader::new(File::open(source).map_err(io_err("open", source))?);
    let file = File::create(target).map_err(io_err("create", target))?;
    let out = Hashing { inner: BufWriter::new(file), hasher: Sha256::new(), bytes: 0 };
    let mut encoder = zstd::Encoder::new(out, ZSTD_LEVEL).map_err(io_err("compress", target))?;
    encoder.include_checksum(true).map_err(io_err("compress", target))?;
    let mut plain = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = input.read(&mut buf).map_err(io_err("read", source))?;
        if n == 0 {
            break;
        }
        plain.update(&buf[..n]);
        encoder.write_all(&buf[..n]).map_err(io_err("write", target))?;
    }
    let mut out = encoder.finish().map_err(io_err("compress", target))?;
    out.flush().map_err(io_err("write", target))?;
    let file = out.inner.into_inner().map_err(|e| BackupError::Io(format!("write {}: {e}", target.display())))?;
    file.sync_all().map_err(io_err("fsync", target))?;
    Ok(Compressed { sha256: hex(&out.hasher.finalize()), size: out.bytes, plain_sha256: hex(&plain.finalize()) })
}

/// Decompresses `source`, at most `max_plain` bytes, into `target` (or only hashes when `None`).
/// Returns the SHA-256 of the compressed file and of the plain content.
pub fn decompress(source: &Path, target: Option<&Path>, max_plain: u64) -> Result<(String, String), BackupError> {
    let file = File::open(source).map_err(io_err("open", source))?;
    let mut reader = BufReader::new(file);
    let mut magic = [0u8; 4];
    if reader.read_exact(&mut magic).is_err() || magic != ZSTD_MAGIC {
        return Err(BackupError::NotABackup);
    }
    let hashed = HashingReader { inner: std::io::Cursor::new(magic).chain(reader), hasher: Sha256::new() };
    let mut decoder = zstd::Decoder::new(hashed).map_err(|_| BackupError::NotABackup)?;
    let mut out: Box<dyn Write> = match target {
        Some(t) => Box::new(BufWriter::new(File::create(t).map_err(io_err("create", t))?)),
        None => Box::new(io::sink()),
    };
    let mut plain = Sha256::new();
    let mut total = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = decoder
            .read(&mut buf)
            .map_err(|e| BackupError::Corrupt(format!("the compressed data is damaged ({e})")))?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > max_plain {
            return Err(BackupError::TooLarge);
        }
        plain.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| BackupError::Io(format!("write: {e}")))?;
    }
    out.flush().map_err(|e| BackupError::Io(format!("write: {e}")))?;
    let mut remaining = decoder.finish();
    // Bytes after the last frame would go unread by the decoder; they are damage too.
    let mut rest = Vec::new();
    remaining.read_to_end(&mut rest).map_err(io_err("read", source))?;
    if !rest.is_empty() {
        return Err(BackupError::Corrupt("unexpected bytes after the compressed data".into()));
    }
    Ok((hex(&remaining.into_inner().hasher.finalize()), hex(&plain.finalize())))
}

struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Renames a finished temp file to its real name and makes the rename durable.
pub fn publish(temp: &Path, target: &Path) -> Result<(), BackupError> {
    std::fs::rename(temp, target).map_err(io_err("rename", temp))?;
    sync_dir(target)
}

/// fsync of the folder holding `path`, so a rename in it survives a crash.
pub fn sync_dir(path: &Path) -> Result<(), BackupError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(dir).and_then(|d| d.sync_all()).map_err(io_err("fsync", dir))
}

/// Writes small text (a sidecar) atomically.
pub fn write_atomic(target: &Path, text: &str) -> Result<(), BackupError> {
    let temp = temp_path(target, "");
    let mut file = File::create(&temp).map_err(io_err("create", &temp))?;
    file.write_all(text.as_bytes()).map_err(io_err("write", &temp))?;
    file.sync_all().map_err(io_err("fsync", &temp))?;
    publish(&temp, target)
}

/// `<path><extra>.tmp`: a temporary file next to `path`.
pub fn temp_path(path: &Path, extra: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(extra);
    name.push(TEMP_SUFFIX);
    PathBuf::from(name)
}

/// The SHA-256 of a whole file.
pub fn sha256_file(path: &Path) -> Result<String, BackupError> {
    let mut file = BufReader::new(File::open(path).map_err(io_err("open", path))?);
    let mut hasher = Sha256::new();
    io::copy(&mut file, &mut hasher).map_err(io_err("read", path))?;
    Ok(hex(&hasher.finalize()))
}
