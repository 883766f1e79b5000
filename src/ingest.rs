//! Ingest: turns command-line paths into an ordered list of sources and
//! reads each source into [`Document`]s.
//!
//! Formats: `.txt` (plain text), `.tml` (TimeML: the text of `<TEXT>` and
//! the DCT), `.jsonl` (one `{"id", "text", "dct"?}` object per line), and
//! `-` for JSONL on standard input. Discovery is cheap and happens up
//! front (paths only); text and TimeML files are read inside the parallel
//! pipeline, JSONL lines by the reader that feeds it, so memory holds only
//! the documents in flight. Each failure is an [`Error`] naming the file
//! (and the line, for JSONL); the caller reports it and goes on.

use crate::error::{Error, Result};
use std::fs;
use std::path::{Path, PathBuf};

/// File extensions read when walking a directory.
pub const EXTENSIONS: &[&str] = &["txt", "tml", "jsonl"];

/// How a source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain UTF-8 text.
    Text,
    /// TimeML (`.tml`).
    TimeMl,
    /// JSON Lines, one document per line.
    Jsonl,
}

impl Format {
    /// The format of a path, from its extension (`.tml`, `.jsonl`; anything
    /// else is text). `-` is JSONL on standard input.
    pub fn of(path: &Path) -> Format {
        if path.as_os_str() == "-" {
            return Format::Jsonl;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("tml") => Format::TimeMl,
            Some("jsonl") => Format::Jsonl,
            _ => Format::Text,
        }
    }
}

/// One input file found by [`Sources`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as it will be opened.
    pub path: PathBuf,
    /// Document id: path relative to the input root, `/`-separated, without
    /// extension.
    pub id: String,
}

/// A document ready for the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable id (see [`Source::id`]).
    pub id: String,
    /// Path shown in the output record.
    pub path: String,
    /// The decoded text: nothing deleted, line ends kept. A leading UTF-8
    /// byte-order mark is an encoding marker, not text, and is dropped.
    pub text: String,
    /// Document creation time (`YYYY-MM-DD`) if the input supplies one.
    pub dct: Option<String>,
}

/// The sources under some paths, one at a time, in order: each argument
/// in turn, a folder walked recursively with entries sorted by path
/// ([`Walk`]). Files named directly are taken whatever their extension. A
/// path that does not exist or cannot be listed is an error, and the walk
/// goes on.
pub struct Sources {
    roots: std::vec::IntoIter<PathBuf>,
    /// The root being walked and its walk.
    walking: Option<(PathBuf, Walk<'static>)>,
}

impl Sources {
    /// The sources under `paths`.
    pub fn new(paths: &[PathBuf]) -> Sources {
        Sources { roots: Vec::from(paths).into_iter(), walking: None }
    }
}

impl Iterator for Sources {
    type Item = std::result::Result<Source, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((root, walk)) = &mut self.walking {
                match walk.next() {
                    Some(Ok(path)) => {
                        let id = id_of(path.strip_prefix(&*root).unwrap_or(&path));
                        return Some(Ok(Source { path, id }));
                    }
                    Some(Err(e)) => return Some(Err(e)),
                    None => self.walking = None,
                }
                continue;
            }
            let root = self.roots.next()?;
            if root.as_os_str() == "-" {
                return Some(Ok(Source { path: root, id: String::new() }));
            }
            match fs::metadata(&root) {
                Err(e) => return Some(Err(Error::msg(io_message(&e)).with_path(&root))),
                Ok(m) if m.is_dir() => {
                    let walk = Walk::new(&root, EXTENSIONS);
                    self.walking = Some((root, walk));
                }
                Ok(_) => {
                    let name = root.file_name().map(Path::new).unwrap_or(&root);
                    let id = id_of(name);
                    return Some(Ok(Source { path: root, id }));
                }
            }
        }
    }
}

/// One folder being walked: its canonical path and its sorted entries
/// still to visit.
type Level = (Option<PathBuf>, std::vec::IntoIter<PathBuf>);

/// The files under a folder whose extension is one of `exts`, one at a
/// time: a depth-first walk that lists one folder at a time and sorts its
/// entries by name (the order of sorting all paths, component by
/// component), so memory holds the listings of the folders on the current
/// path only, however large the tree. Folders that cannot be listed, and
/// symbolic links back to a folder being walked (the walk would never
/// end), are errors naming them, and the walk goes on.
pub struct Walk<'e> {
    exts: &'e [&'e str],
    stack: Vec<Level>,
    errors: std::collections::VecDeque<Error>,
}

impl<'e> Walk<'e> {
    /// The walk of `dir`.
    pub fn new(dir: &Path, exts: &'e [&'e str]) -> Walk<'e> {
        let mut w = Walk { exts, stack: Vec::new(), errors: Default::default() };
        let listing = w.list(dir);
        w.stack.push((fs::canonicalize(dir).ok(), listing));
        w
    }

    /// The entries of `dir`, sorted; errors are queued.
    fn list(&mut self, dir: &Path) -> std::vec::IntoIter<PathBuf> {
        let mut out = Vec::new();
        match fs::read_dir(dir) {
            Err(e) => self.errors.push_back(Error::msg(io_message(&e)).with_path(dir)),
            Ok(entries) => {
                for entry in entries {
                    match entry {
                        Ok(e) => out.push(e.path()),
                        Err(e) => self.errors.push_back(Error::msg(io_message(&e)).with_path(dir)),
                    }
                }
            }
        }
        out.sort();
        out.into_iter()
    }
}

impl Iterator for Walk<'_> {
    type Item = std::result::Result<PathBuf, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(e) = self.errors.pop_front() {
                return Some(Err(e));
            }
            let (_, level) = self.stack.last_mut()?;
            let Some(path) = level.next() else {
                self.stack.pop();
                continue;
            };
            if fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false) {
                let canon = fs::canonicalize(&path).ok();
                if canon.is_some() && self.stack.iter().any(|(c, _)| *c == canon) {
                    self.errors.push_back(
                        Error::msg("skipped: a symbolic link back to a folder above it")
                            .with_path(&path),
                    );
                    continue;
                }
                let listing = self.list(&path);
                self.stack.push((canon, listing));
                continue;
            }
            let wanted =
                path.extension().and_then(|e| e.to_str()).is_some_and(|e| self.exts.contains(&e));
            if wanted {
                return Some(Ok(path));
            }
        }
    }
}

/// Collects the files under `dir` (recursively) whose extension is one of
/// `exts`, sorted by path ([`Walk`]); unreadable folders are reported in
/// `errors` and skipped.
pub fn walk(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>, errors: &mut Vec<Error>) {
    for r in Walk::new(dir, exts) {
        match r {
            Ok(p) => out.push(p),
            Err(e) => errors.push(e),
        }
    }
}

/// The id of a relative path: `/`-separated, extension removed.
fn id_of(rel: &Path) -> String {
    let no_ext = rel.with_extension("");
    let parts: Vec<String> =
        no_ext.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Reads one text or TimeML source.
///
/// # Errors
/// Unreadable files, empty files (no bytes, or only whitespace), binary
/// files (a NUL byte), invalid UTF-8 (with line and byte offset of the
/// first bad sequence) and malformed TimeML are errors naming the file.
pub fn read(source: &Source) -> Result<Document> {
    let bytes =
        fs::read(&source.path).map_err(|e| Error::msg(io_message(&e)).with_path(&source.path))?;
    let text = decode(bytes).map_err(|e| e.with_path(&source.path))?;
    let path = source.path.display().to_string();
    if Format::of(&source.path) == Format::TimeMl {
        let t = crate::timeml::parse(&text, &path)?;
        if t.text.trim().is_empty() {
            return Err(Error::msg("TimeML document with empty <TEXT>").with_path(&source.path));
        }
        return Ok(Document { id: source.id.clone(), path, text: t.text, dct: t.dct });
    }
    Ok(Document { id: source.id.clone(), path, text, dct: None })
}

#[derive(serde::Deserialize)]
struct JsonlDoc {
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    dct: Option<String>,
}

/// Parses one JSONL input line (`{"id", "text", "dct"?}`); `fallback_id`
/// names documents without an id. `dct` may be a date or a date-time; its
/// date part is kept.
///
/// # Errors
/// Malformed JSON, a missing `text`, an empty text or an invalid `dct`.
pub fn parse_jsonl_line(
    line: &str,
    path: &str,
    fallback_id: String,
) -> std::result::Result<Document, String> {
    let d: JsonlDoc =
        serde_json::from_str(line).map_err(|e| format!("not a document object: {e}"))?;
    if d.text.trim().is_empty() {
        return Err("empty document (no text)".into());
    }
    let id = match d.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
        Some(other) => {
            return Err(format!(
                "id must be a string or a whole number (up to 64 bits), not {other}"
            ))
        }
        None => fallback_id,
    };
    let dct = match d.dct {
        Some(v) => {
            let day = v.get(..10).unwrap_or(&v);
            if crate::timex::Ymd::parse(day).is_none() {
                return Err(format!("dct {v:?} is not a date (YYYY-MM-DD…)"));
            }
            Some(day.to_string())
        }
        None => None,
    };
    Ok(Document { id, path: path.to_string(), text: d.text, dct })
}

/// Decodes file bytes to text under the rules of [`read`].
pub fn decode(mut bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::msg("empty document (no text)"));
    }
    if let Some(pos) = memchr::memchr(0, &bytes) {
        return Err(Error::msg(format!("binary file (NUL byte at offset {pos}); not annotated")));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        let col = at - bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        Error::msg(format!(
            "invalid UTF-8 at byte {at} (line {line}, byte {} of the line); convert the file to UTF-8",
            col + 1
        ))
        .with_line(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lazy walk gives the order of sorting every path (component by
    /// component): "a/…" before "a-c.txt", nested folders in place, other
    /// extensions left out.
    #[test]
    fn walk_order() {
        let dir = tempfile::tempdir().unwrap();
        let files = [
            "a-c.txt",
            "a.txt",
            "a/x.txt",
            "a/b/y.tml",
            "b.jsonl",
            "B.txt",
            "a/z.md",
            "é.txt",
            "a/b/c/d.txt",
            "ab/k.txt",
        ];
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let got: Vec<String> =
            Sources::new(&[dir.path().to_path_buf()]).map(|s| s.unwrap().id).collect();
        let mut want: Vec<PathBuf> =
            files.iter().filter(|f| !f.ends_with(".md")).map(|f| dir.path().join(f)).collect();
        want.sort();
        let want: Vec<String> =
            want.iter().map(|p| id_of(p.strip_prefix(dir.path()).unwrap())).collect();
        assert_eq!(got, want);
        // A link back up is reported once and skipped, not walked forever.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), dir.path().join("a/loop")).unwrap();
            let all: Vec<_> = Sources::new(&[dir.path().to_path_buf()]).collect();
            let errs: Vec<String> =
                all.iter().filter_map(|r| r.as_ref().err()).map(|e| e.to_string()).collect();
            assert_eq!(errs.len(), 1, "{errs:?}");
            assert!(errs[0].contains("a/loop") && errs[0].contains("symbolic link"), "{errs:?}");
            assert_eq!(all.iter().filter(|r| r.is_ok()).count(), want.len());
        }
    }

    #[test]
    fn decode_rules() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc".to_vec()).unwrap(), "abc");
        assert!(decode(Vec::new()).unwrap_err().message().contains("empty"));
        assert!(decode(b" \n\r\n".to_vec()).unwrap_err().message().contains("empty"));
        assert!(decode(b"ab\0c".to_vec()).unwrap_err().message().contains("binary"));
        let e = decode(b"ok\nbad \xFF here".to_vec()).unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e.message().contains("byte 7"), "{e}");
        assert_eq!(decode(b"a\r\nb".to_vec()).unwrap(), "a\r\nb");
    }

    #[test]
    fn ids_are_relative_without_extension() {
        assert_eq!(id_of(Path::new("dev/a-b.txt")), "dev/a-b");
        assert_eq!(id_of(Path::new("x.y.txt")), "x.y");
    }
}
