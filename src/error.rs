//! The library's one error type: a message with the file and line it is
//! about, so every report names where to look (ripgrep's `WithPath` /
//! `WithLineNumber`, folded into one struct).

use std::fmt;
use std::path::Path;

/// An error about an input, a resource file or a gold file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    path: Option<String>,
    line: Option<usize>,
    message: String,
}

impl Error {
    /// An error with a message and no location.
    pub fn msg(message: impl Into<String>) -> Error {
        Error { path: None, line: None, message: message.into() }
    }
    /// Adds the file the error is about.
    pub fn with_path(mut self, path: impl AsRef<Path>) -> Error {
        self.path = Some(path.as_ref().display().to_string());
        self
    }
    /// Adds the 1-based line the error is about.
    pub fn with_line(mut self, line: usize) -> Error {
        self.line = Some(line);
        self
    }
    /// The file, if known.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }
    /// The line, if known.
    pub fn line(&self) -> Option<usize> {
        self.line
    }
    /// The message without location.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{p}:{l}: {}", self.message),
            (Some(p), None) => write!(f, "{p}: {}", self.message),
            (None, Some(l)) => write!(f, "line {l}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand for results with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
