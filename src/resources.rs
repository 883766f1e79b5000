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

/// Loads a user gazetteer: TSV (`surface, label, kb_id, canonical[, case]`)
/// or, for `.jsonl` files, spaCy EntityRuler / SpanRuler patterns.
///
/// # Errors
/// Unreadable files and malformed lines name the file (and line).
pub fn load_gazetteer(path: &Path) -> Result<List> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| Error::msg(format!("cannot read gazetteer: {e}")).with_path(path))?;
    let name = path.file_stem().map_or("user".into(), |s| s.to_string_lossy().into_owned());
    let origin = path.display().to_string();
    if path.extension().is_some_and(|e| e == "jsonl") {
        return spacy_patterns(&format!("user:{name}"), &src, &origin);
    }
    List::from_tsv(&format!("user:{name}"), &src, &origin)
}

/// Parses spaCy EntityRuler / SpanRuler patterns, one JSON object a line:
/// `{"label": "ORG", "pattern": "United Nations", "id": "org:un"}` (a phrase
/// pattern, matched in exact case, as spaCy's default `ORTH` phrase
/// matching) or `{"label": "GPE", "pattern": [{"LOWER": "new"}, {"LOWER":
/// "york"}]}` (a token pattern; `ORTH`/`TEXT` match exactly, `LOWER` in any
/// case). Tokens are joined with a space, except punctuation tokens (`-`,
/// `.`, `/`, `'s`), which are joined without one ("Iran", "-", "Iraq" →
/// "Iran-Iraq"). `id` becomes `kb_id` and `canonical`.
///
/// # Errors
/// Labels outside PERSON, ORG, GPE, LOC, NORP, unsupported keys (token
/// attributes other than ORTH, TEXT, LOWER; operators like OP) and
/// malformed lines are errors naming the file and line.
pub fn spacy_patterns(name: &str, src: &str, origin: &str) -> Result<List> {
    use crate::recognize::gazetteer::{CaseRule, Entry};
    use crate::span::Layer;
    let mut entries = Vec::new();
    for (i, line) in src.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |m: String| Error::msg(m).with_path(origin).with_line(i + 1);
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| at(format!("not a JSON object: {e}")))?;
        let obj = v.as_object().ok_or_else(|| at("not a JSON object".into()))?;
        for k in obj.keys() {
            if !matches!(k.as_str(), "label" | "pattern" | "id") {
                return Err(at(format!("unsupported key {k:?} (supported: label, pattern, id)")));
            }
        }
        let label_s = obj
            .get("label")
            .and_then(|l| l.as_str())
            .ok_or_else(|| at("missing \"label\"".into()))?;
        let label = Layer::Entity.label(label_s).ok_or_else(|| {
            at(format!("unsupported label {label_s:?} (supported: PERSON, ORG, GPE, LOC, NORP)"))
        })?;
        let id = match obj.get("id") {
            None => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => return Err(at(format!("\"id\" must be a string, not {other}"))),
        };
        let (surface, case) = match obj.get("pattern") {
            // Names start and end with a word, as TSV surfaces (trimmed)
            // do; matches never start on a space.
            Some(serde_json::Value::String(p)) => (p.trim().to_string(), CaseRule::Exact),
            Some(serde_json::Value::Array(tokens)) => {
                let mut surface = String::new();
                let (mut exact, mut lower) = (0, 0);
                for (k, tok) in tokens.iter().enumerate() {
                    let t =
                        tok.as_object().ok_or_else(|| at(format!("token {k} is not an object")))?;
                    if t.len() != 1 {
                        return Err(at(format!(
                            "token {k}: exactly one of ORTH, TEXT, LOWER is supported per token, found {}",
                            t.keys().cloned().collect::<Vec<_>>().join(", ")
                        )));
                    }
                    let (key, val) = t.iter().next().expect("one key");
                    let val = val
                        .as_str()
                        .ok_or_else(|| at(format!("token {k}: {key} must be a string")))?;
                    match key.as_str() {
                        "ORTH" | "TEXT" => exact += 1,
                        "LOWER" => lower += 1,
                        other => {
                            return Err(at(format!(
                                "token {k}: unsupported attribute {other:?} (supported: ORTH, TEXT, LOWER)"
                            )))
                        }
                    }
                    let punct =
                        val.chars().all(|c| !c.is_alphanumeric()) || val.starts_with(['\'', '’']);
                    let prev_punct = surface.ends_with(['-', '/', '–']);
                    if !surface.is_empty() && !punct && !prev_punct {
                        surface.push(' ');
                    }
                    if key == "LOWER" {
                        surface.push_str(&val.to_lowercase());
                    } else {
                        surface.push_str(val);
                    }
                }
                if surface.is_empty() {
                    return Err(at("empty token pattern".into()));
                }
                let case = match (exact, lower) {
                    (_, 0) => CaseRule::Exact,
                    (0, _) => CaseRule::Any,
                    _ => CaseRule::Capitals,
                };
                (surface, case)
            }
            Some(_) => {
                return Err(at("\"pattern\" must be a string or a list of token objects".into()))
            }
            None => return Err(at("missing \"pattern\"".into())),
        };
        if surface.trim().is_empty() {
            return Err(at("empty pattern".into()));
        }
        entries.push(Entry {
            canonical: if id.is_empty() { surface.as_str() } else { id.as_str() }.into(),
            surface,
            label,
            kb_id: id.into(),
            case,
            list: 0,
            population: None,
        });
    }
    Ok(List { name: name.to_string(), entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacy_patterns_and_their_errors() {
        let src = concat!(
            "{\"label\": \"ORG\", \"pattern\": \"Acme Corp\", \"id\": \"org:acme\"}\n",
            "{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": \"new\"}, {\"LOWER\": \"york\"}]}\n",
            "{\"label\": \"GPE\", \"pattern\": [{\"TEXT\": \"Iran\"}, {\"ORTH\": \"-\"}, {\"TEXT\": \"Contra\"}]}\n",
            "{\"label\": \"ORG\", \"pattern\": \" Acme Labs \"}\n",
        );
        let l = spacy_patterns("u", src, "p.jsonl").unwrap();
        let got: Vec<(&str, &str)> =
            l.entries.iter().map(|e| (e.surface.as_str(), &*e.kb_id)).collect();
        // Phrase patterns are trimmed, like TSV surfaces.
        assert_eq!(
            got,
            vec![
                ("Acme Corp", "org:acme"),
                ("new york", ""),
                ("Iran-Contra", ""),
                ("Acme Labs", "")
            ]
        );
        let bad = [
            (
                "{\"label\": \"COUNTRY\", \"pattern\": \"X\"}",
                "p.jsonl:1: unsupported label \"COUNTRY\"",
            ),
            (
                "{\"label\": \"GPE\", \"pattern\": [{\"POS\": \"PROPN\"}]}",
                "p.jsonl:1: token 0: unsupported attribute \"POS\"",
            ),
            (
                "{\"label\": \"GPE\", \"pattern\": [{\"LOWER\": \"a\", \"OP\": \"+\"}]}",
                "p.jsonl:1: token 0: exactly one of",
            ),
            ("{\"label\": \"GPE\", \"patern\": \"X\"}", "p.jsonl:1: unsupported key \"patern\""),
            ("not json", "p.jsonl:1: not a JSON object"),
        ];
        for (line, want) in bad {
            let e = spacy_patterns("u", line, "p.jsonl").unwrap_err().to_string();
            assert!(e.starts_with(want), "{line}: {e}");
        }
    }

    #[test]
    fn bundled_resources_parse() {
        let lists = bundled_gazetteers();
        assert!(lists.iter().map(|l| l.entries.len()).sum::<usize>() > 1000);
        assert!(!bundled_ambiguous().is_empty());
    }
}
