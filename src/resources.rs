//! Resources: the bundled data files (gazetteers, boilerplate rules, event
//! lexicon) embedded in the binary, and the loaders for users' own lists.
//!
//! Bundled files are compiled into the binary with `include_str!`, so the
//! tool runs from any directory with nothing beside it; they are parsed
//! and compiled once, when the pipeline is built.

use crate::error::{Error, Result};
use crate::recognize::gazetteer::{self, List};
use std::path::Path;

/// Bundled gazetteers in priority order (earlier lists win when two
/// entries have the same span): `(name, file text)`.
pub const BUNDLED_GAZETTEERS: &[(&str, &str)] = &[
    ("countries", include_str!("../gazetteers/countries.tsv")),
    ("orgs", include_str!("../gazetteers/orgs.tsv")),
    ("norp", include_str!("../gazetteers/norp.tsv")),
    ("locations", include_str!("../gazetteers/locations.tsv")),
    ("persons", include_str!("../gazetteers/persons.tsv")),
    ("subdivisions", include_str!("../gazetteers/subdivisions.tsv")),
    ("cities", include_str!("../gazetteers/cities.tsv")),
];

/// The bundled table of ambiguous names.
pub const BUNDLED_AMBIGUOUS: &str = include_str!("../gazetteers/ambiguous.tsv");

/// Parses the bundled gazetteers.
pub fn bundled_gazetteers() -> Vec<List> {
    use rayon::prelude::*;
    BUNDLED_GAZETTEERS
        .par_iter()
        .map(|(name, src)| {
            List::from_tsv(name, src, &format!("gazetteers/{name}.tsv"))
                .expect("bundled gazetteers parse (checked by tests)")
        })
        .collect()
}

/// Parses the bundled ambiguity table.
pub fn bundled_ambiguous() -> std::collections::HashMap<String, gazetteer::Ambiguity> {
    gazetteer::parse_ambiguous(BUNDLED_AMBIGUOUS, "gazetteers/ambiguous.tsv")
        .expect("bundled ambiguity table parses (checked by tests)")
}

/// Loads a user gazetteer: TSV (`surface, label, kb_id, canonical`).
///
/// # Errors
/// Unreadable files and malformed lines name the file (and line).
pub fn load_gazetteer(path: &Path) -> Result<List> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| Error::msg(format!("cannot read gazetteer: {e}")).with_path(path))?;
    let name = path.file_stem().map_or("user".into(), |s| s.to_string_lossy().into_owned());
    let origin = path.display().to_string();
    List::from_tsv(&format!("user:{name}"), &src, &origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_resources_parse() {
        let lists = bundled_gazetteers();
        assert!(lists.iter().map(|l| l.entries.len()).sum::<usize>() > 1000);
        assert!(!bundled_ambiguous().is_empty());
    }
}
