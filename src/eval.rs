//! Eval: scores predictions against gold files, as the scheme defines.
//!
//! Per layer and label: TP/FP/FN, precision, recall and F1, micro and macro,
//! under *strict* matching (same start, end and label) and *relaxed*
//! matching (overlapping spans, same label, one to one: pairs are taken by
//! largest overlap first). Over relaxed matches: date value accuracy (with
//! TimeBank's "197" equal to "197X") and value F1 (relaxed F1 × value
//! accuracy, as TempEval-3), entity `kb_id` accuracy, and event arguments
//! (an argument matches when its event is matched and role and the
//! referenced annotation's span are equal). Boilerplate is also scored per
//! code point. Only documents present in the gold are scored.

use crate::error::{Error, Result};
use crate::output::{WireAnnotation, WireRecord};
use crate::span::Layer;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;
use std::path::Path;

/// True positives, false positives, false negatives.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Matched.
    pub tp: usize,
    /// Predicted, not in gold.
    pub fp: usize,
    /// In gold, not predicted.
    #[serde(rename = "fn")]
    pub fn_: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

impl Counts {
    /// Precision.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Scores of one matching mode within a layer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ModeScores {
    /// Counts per label.
    pub labels: BTreeMap<String, Counts>,
    /// Sum over labels.
    pub micro: Counts,
}

impl ModeScores {
    /// Macro-averaged F1 over labels seen in gold or predictions.
    pub fn macro_f1(&self) -> f64 {
        if self.labels.is_empty() {
            return 0.0;
        }
        self.labels.values().map(Counts::f1).sum::<f64>() / self.labels.len() as f64
    }
}

/// Scores of one layer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LayerScores {
    /// Same start, end, label.
    pub strict: ModeScores,
    /// Overlap, same label, one to one.
    pub relaxed: ModeScores,
}

/// A count of correct items out of a total.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Accuracy {
    /// Correct.
    pub correct: usize,
    /// Compared.
    pub total: usize,
}

impl Accuracy {
    /// correct / total.
    pub fn value(&self) -> f64 {
        ratio(self.correct, self.total)
    }
}

/// The whole evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Gold documents scored.
    pub documents: usize,
    /// Gold documents with no prediction (scored as all missed).
    pub missing_predictions: Vec<String>,
    /// Per layer.
    pub layers: BTreeMap<String, LayerScores>,
    /// Date value accuracy over relaxed matches.
    pub date_value: Accuracy,
    /// Entity kb_id accuracy over relaxed matches with a gold kb_id.
    pub entity_kb_id: Accuracy,
    /// Event arguments per role.
    pub event_args: BTreeMap<String, Counts>,
    /// Boilerplate per code point.
    pub boilerplate_chars: Counts,
    /// Dates scored as TempEval-3 does: spans matched whatever their type.
    pub tempeval: TempEval,
    /// Layers scored (all four unless restricted).
    pub scored_layers: Vec<String>,
}

/// TempEval-3 date scores: strict and relaxed span matching ignoring the
/// TIMEX3 type, then type and value accuracy over relaxed matches.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TempEval {
    /// Same start and end.
    pub strict: Counts,
    /// Overlapping, one to one.
    pub relaxed: Counts,
    /// Same type over relaxed matches.
    pub type_accuracy: Accuracy,
    /// Same value over relaxed matches.
    pub value_accuracy: Accuracy,
}

impl Report {
    /// Every headline figure by a dotted name (`entity.strict.f1`,
    /// `date.value_accuracy`, `boilerplate.char.f1`, `event.args.f1`, …),
    /// for thresholds and JSON users.
    pub fn metrics(&self) -> BTreeMap<String, f64> {
        let mut m = BTreeMap::new();
        for (layer, s) in &self.layers {
            for (mode, ms) in [("strict", &s.strict), ("relaxed", &s.relaxed)] {
                m.insert(format!("{layer}.{mode}.precision"), ms.micro.precision());
                m.insert(format!("{layer}.{mode}.recall"), ms.micro.recall());
                m.insert(format!("{layer}.{mode}.f1"), ms.micro.f1());
                m.insert(format!("{layer}.{mode}.macro_f1"), ms.macro_f1());
            }
        }
        let relaxed_date = self.layers.get("date").map_or(0.0, |s| s.relaxed.micro.f1());
        m.insert("date.value_accuracy".into(), self.date_value.value());
        m.insert("date.value_f1".into(), relaxed_date * self.date_value.value());
        m.insert("entity.kb_id_accuracy".into(), self.entity_kb_id.value());
        let mut args = Counts::default();
        for c in self.event_args.values() {
            args.add(*c);
        }
        m.insert("event.args.precision".into(), args.precision());
        m.insert("event.args.recall".into(), args.recall());
        m.insert("event.args.f1".into(), args.f1());
        m.insert("boilerplate.char.precision".into(), self.boilerplate_chars.precision());
        m.insert("boilerplate.char.recall".into(), self.boilerplate_chars.recall());
        m.insert("boilerplate.char.f1".into(), self.boilerplate_chars.f1());
        let t = &self.tempeval;
        m.insert("tempeval.strict.f1".into(), t.strict.f1());
        m.insert("tempeval.relaxed.f1".into(), t.relaxed.f1());
        m.insert("tempeval.relaxed.precision".into(), t.relaxed.precision());
        m.insert("tempeval.relaxed.recall".into(), t.relaxed.recall());
        m.insert("tempeval.type_accuracy".into(), t.type_accuracy.value());
        m.insert("tempeval.value_accuracy".into(), t.value_accuracy.value());
        m.insert("tempeval.value_f1".into(), t.relaxed.f1() * t.value_accuracy.value());
        m
    }

    /// A readable table.
    pub fn table(&self) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        let _ = writeln!(s, "documents scored: {}", self.documents);
        if !self.missing_predictions.is_empty() {
            let _ = writeln!(
                s,
                "gold documents without prediction: {}",
                self.missing_predictions.join(", ")
            );
        }
        let _ = writeln!(
            s,
            "\n{:<12} {:<17} {:>6} {:>6} {:>6} {:>8} {:>5} {:>5} {:>5}",
            "layer", "match", "P", "R", "F1", "macroF1", "TP", "FP", "FN"
        );
        let row = |s: &mut String, layer: &str, mode: &str, c: &Counts, mac: Option<f64>| {
            let _ = writeln!(
                s,
                "{:<12} {:<17} {:>6.3} {:>6.3} {:>6.3} {:>8} {:>5} {:>5} {:>5}",
                layer,
                mode,
                c.precision(),
                c.recall(),
                c.f1(),
                mac.map_or("".to_string(), |m| format!("{m:.3}")),
                c.tp,
                c.fp,
                c.fn_
            );
        };
        for (layer, ls) in &self.layers {
            row(&mut s, layer, "strict", &ls.strict.micro, Some(ls.strict.macro_f1()));
            row(&mut s, layer, "relaxed", &ls.relaxed.micro, Some(ls.relaxed.macro_f1()));
            if layer == "boilerplate" {
                row(&mut s, layer, "chars", &self.boilerplate_chars, None);
            }
        }
        let m = self.metrics();
        let _ = writeln!(
            s,
            "\ndate value accuracy {:.3} ({}/{}), value F1 {:.3}",
            self.date_value.value(),
            self.date_value.correct,
            self.date_value.total,
            m["date.value_f1"]
        );
        let t = &self.tempeval;
        let _ = writeln!(
            s,
            "dates as TempEval-3 (type-blind spans): strict F1 {:.3}, relaxed P {:.3} R {:.3} F1 {:.3}, type accuracy {:.3}, value accuracy {:.3}, value F1 {:.3}",
            t.strict.f1(), t.relaxed.precision(), t.relaxed.recall(), t.relaxed.f1(),
            t.type_accuracy.value(), t.value_accuracy.value(), m["tempeval.value_f1"]
        );
        let _ = writeln!(
            s,
            "entity kb_id accuracy {:.3} ({}/{})",
            self.entity_kb_id.value(),
            self.entity_kb_id.correct,
            self.entity_kb_id.total
        );
        let _ = writeln!(s, "\nevent arguments");
        let mut all = Counts::default();
        for (role, c) in &self.event_args {
            row(&mut s, "  args", role, c, None);
            all.add(*c);
        }
        row(&mut s, "  args", "all", &all, None);
        let _ = writeln!(s, "\nper label (relaxed)");
        for (layer, ls) in &self.layers {
            for (label, c) in &ls.relaxed.labels {
                row(&mut s, layer, label, c, None);
            }
        }
        s
    }
}

/// Reads gold or predicted records from a JSONL file, a TimeML (`.tml`)
/// file, or every `.jsonl` and `.tml` file under a directory (sorted; ids
/// of TimeML files are their paths relative to the directory, without
/// extension, as `annotate DIR` names them). Bad lines are reported in the returned errors (with
/// file and line) and skipped.
pub fn read_records(path: &Path) -> (Vec<WireRecord>, Vec<Error>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let root = if path.is_dir() {
        crate::ingest::walk(path, &["jsonl", "tml"], &mut files, &mut errors);
        files.sort();
        path.to_path_buf()
    } else {
        files.push(path.to_path_buf());
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let mut out = Vec::new();
    for f in files {
        if f.extension().is_some_and(|x| x == "tml") {
            let id = f.strip_prefix(&root).unwrap_or(&f).with_extension("");
            let id: Vec<String> =
                id.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            let text = std::fs::read(&f)
                .map_err(|e| Error::msg(format!("cannot read: {e}")).with_path(&f))
                .and_then(|b| crate::ingest::decode(b).map_err(|e| e.with_path(&f)))
                .and_then(|t| crate::timeml::parse(&t, &f.display().to_string()));
            match text {
                Ok(doc) => out.push(crate::timeml::to_gold(&doc, &id.join("/"))),
                Err(e) => errors.push(e),
            }
            continue;
        }
        let reader: Box<dyn BufRead> = if f.as_os_str() == "-" {
            Box::new(std::io::BufReader::new(std::io::stdin()))
        } else {
            match std::fs::File::open(&f) {
                Ok(h) => Box::new(std::io::BufReader::new(h)),
                Err(e) => {
                    errors.push(Error::msg(format!("cannot open: {e}")).with_path(&f));
                    continue;
                }
            }
        };
        for (i, line) in reader.lines().enumerate() {
            let at = |m: String| Error::msg(m).with_path(&f).with_line(i + 1);
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    errors.push(at(format!("cannot read line: {e}")));
                    break;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<WireRecord>(&line) {
                Ok(r) => match validate(&r) {
                    Ok(()) => out.push(r),
                    Err(m) => errors.push(at(m)),
                },
                Err(e) => errors.push(at(format!("not a valid record: {e}"))),
            }
        }
    }
    (out, errors)
}

fn validate(r: &WireRecord) -> std::result::Result<(), String> {
    let mut ids = std::collections::HashSet::new();
    let chars: Option<Vec<char>> = r.text.as_ref().map(|t| t.chars().collect());
    for a in &r.annotations {
        let Some(layer) = Layer::parse(&a.layer) else {
            return Err(format!("annotation {}: unknown layer {:?}", a.id, a.layer));
        };
        if layer.label(&a.label).is_none() {
            return Err(format!("annotation {}: unknown {} label {:?}", a.id, a.layer, a.label));
        }
        if a.start >= a.end {
            return Err(format!(
                "annotation {}: start {} is not before end {}",
                a.id, a.start, a.end
            ));
        }
        if let Some(c) = &chars {
            let got: String = c.get(a.start..a.end).map(|s| s.iter().collect()).unwrap_or_default();
            if got != a.text {
                return Err(format!(
                    "annotation {}: text[{}:{}] is {:?}, not {:?}",
                    a.id, a.start, a.end, got, a.text
                ));
            }
        }
        if !ids.insert(a.id.as_str()) {
            return Err(format!("duplicate annotation id {}", a.id));
        }
    }
    for a in &r.annotations {
        for g in a.args.iter().flatten() {
            if !ids.contains(g.reference.as_str()) {
                return Err(format!(
                    "annotation {}: argument refers to unknown id {}",
                    a.id, g.reference
                ));
            }
            if crate::span::Role::parse(&g.role).is_none() {
                return Err(format!("annotation {}: unknown role {:?}", a.id, g.role));
            }
        }
    }
    Ok(())
}

fn overlap(a: &WireAnnotation, b: &WireAnnotation) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// One-to-one relaxed matching within a layer: pairs with the same label
/// and overlapping spans, largest overlap first (then earliest gold).
fn relaxed_pairs(gold: &[&WireAnnotation], pred: &[&WireAnnotation]) -> Vec<(usize, usize)> {
    let mut cands = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in pred.iter().enumerate() {
            if g.label == p.label && overlap(g, p) > 0 {
                cands.push((std::cmp::Reverse(overlap(g, p)), g.start, p.start, gi, pi));
            }
        }
    }
    cands.sort();
    let mut gu = vec![false; gold.len()];
    let mut pu = vec![false; pred.len()];
    let mut out = Vec::new();
    for (_, _, _, gi, pi) in cands {
        if !gu[gi] && !pu[pi] {
            gu[gi] = true;
            pu[pi] = true;
            out.push((gi, pi));
        }
    }
    out
}

/// TempEval-3 matching: like [`relaxed_pairs`] but blind to the label.
fn tempeval(t: &mut TempEval, gold: &[&WireAnnotation], pred: &[&WireAnnotation]) {
    let strict =
        gold.iter().filter(|g| pred.iter().any(|p| p.start == g.start && p.end == g.end)).count();
    let strip = |a: &&WireAnnotation| {
        let mut b = (*a).clone();
        b.label = String::new();
        b
    };
    let g2: Vec<WireAnnotation> = gold.iter().map(strip).collect();
    let p2: Vec<WireAnnotation> = pred.iter().map(strip).collect();
    let pairs = relaxed_pairs(&g2.iter().collect::<Vec<_>>(), &p2.iter().collect::<Vec<_>>());
    t.strict.add(Counts { tp: strict, fp: pred.len() - strict, fn_: gold.len() - strict });
    t.relaxed.add(Counts {
        tp: pairs.len(),
        fp: pred.len() - pairs.len(),
        fn_: gold.len() - pairs.len(),
    });
    for (gi, pi) in pairs {
        t.type_accuracy.total += 1;
        t.value_accuracy.total += 1;
        if gold[gi].label == pred[pi].label {
            t.type_accuracy.correct += 1;
        }
        if let (Some(a), Some(b)) = (&gold[gi].value, &pred[pi].value) {
            if norm_value(a) == norm_value(b) {
                t.value_accuracy.correct += 1;
            }
        }
    }
}

fn count_mode(
    labels: &mut BTreeMap<String, Counts>,
    gold: &[&WireAnnotation],
    pred: &[&WireAnnotation],
    pairs: &[(usize, usize)],
) {
    for g in gold {
        labels.entry(g.label.clone()).or_default().fn_ += 1;
    }
    for p in pred {
        labels.entry(p.label.clone()).or_default().fp += 1;
    }
    for &(gi, _) in pairs {
        let c = labels.get_mut(&gold[gi].label).expect("counted above");
        c.tp += 1;
        c.fn_ -= 1;
        c.fp -= 1;
    }
}

fn norm_value(v: &str) -> &str {
    v.trim_end_matches('X')
}

fn merged(mut r: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    r.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in r {
        match out.last_mut() {
            Some(l) if s <= l.1 => l.1 = l.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn covered(r: &[(usize, usize)]) -> usize {
    r.iter().map(|(s, e)| e - s).sum()
}

fn intersection(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let s = a[i].0.max(b[j].0);
        let e = a[i].1.min(b[j].1);
        n += e.saturating_sub(s);
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    n
}

/// Scores `pred` against `gold` on all four layers.
pub fn evaluate(gold: &[WireRecord], pred: &[WireRecord]) -> Report {
    evaluate_layers(gold, pred, &["boilerplate", "entity", "date", "event"])
}

/// Scores `pred` against `gold` on the given layers only (TimeML gold holds
/// dates only, so only the date layer is scored against it).
pub fn evaluate_layers(gold: &[WireRecord], pred: &[WireRecord], layers: &[&str]) -> Report {
    let by_id: HashMap<&str, &WireRecord> = pred.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut rep = Report {
        scored_layers: layers.iter().map(|l| l.to_string()).collect(),
        ..Report::default()
    };
    for layer in layers {
        rep.layers.insert(layer.to_string(), LayerScores::default());
    }
    let empty =
        WireRecord { id: String::new(), path: None, dct: None, text: None, annotations: vec![] };
    for g in gold {
        rep.documents += 1;
        let p = match by_id.get(g.id.as_str()) {
            Some(p) => *p,
            None => {
                rep.missing_predictions.push(g.id.clone());
                &empty
            }
        };
        let gid: HashMap<&str, &WireAnnotation> =
            g.annotations.iter().map(|a| (a.id.as_str(), a)).collect();
        let pid: HashMap<&str, &WireAnnotation> =
            p.annotations.iter().map(|a| (a.id.as_str(), a)).collect();
        for &layer in layers {
            let ga: Vec<&WireAnnotation> =
                g.annotations.iter().filter(|a| a.layer == layer).collect();
            let pa: Vec<&WireAnnotation> =
                p.annotations.iter().filter(|a| a.layer == layer).collect();
            let strict: Vec<(usize, usize)> = {
                let mut used = vec![false; pa.len()];
                let mut v = Vec::new();
                for (gi, x) in ga.iter().enumerate() {
                    if let Some(pi) = (0..pa.len()).find(|&pi| {
                        !used[pi]
                            && pa[pi].start == x.start
                            && pa[pi].end == x.end
                            && pa[pi].label == x.label
                    }) {
                        used[pi] = true;
                        v.push((gi, pi));
                    }
                }
                v
            };
            let relaxed = relaxed_pairs(&ga, &pa);
            if layer == "date" {
                tempeval(&mut rep.tempeval, &ga, &pa);
            }
            let ls = rep.layers.get_mut(layer).expect("inserted");
            count_mode(&mut ls.strict.labels, &ga, &pa, &strict);
            count_mode(&mut ls.relaxed.labels, &ga, &pa, &relaxed);
            for &(gi, pi) in &relaxed {
                let (x, y) = (ga[gi], pa[pi]);
                match layer {
                    "date" => {
                        rep.date_value.total += 1;
                        if let (Some(a), Some(b)) = (&x.value, &y.value) {
                            if norm_value(a) == norm_value(b) {
                                rep.date_value.correct += 1;
                            }
                        }
                    }
                    "entity" if x.kb_id.is_some() => {
                        rep.entity_kb_id.total += 1;
                        if x.kb_id == y.kb_id {
                            rep.entity_kb_id.correct += 1;
                        }
                    }
                    _ => {}
                }
            }
            if layer == "event" {
                let span_of = |ids: &HashMap<&str, &WireAnnotation>, r: &str| {
                    ids.get(r).map(|a| (a.start, a.end))
                };
                let mut matched_pred = vec![None; pa.len()];
                for &(gi, pi) in &relaxed {
                    matched_pred[pi] = Some(gi);
                }
                for x in &ga {
                    for a in x.args.iter().flatten() {
                        rep.event_args.entry(a.role.clone()).or_default().fn_ += 1;
                    }
                }
                // One to one: each gold argument matches at most one
                // predicted argument.
                for (pi, y) in pa.iter().enumerate() {
                    let mut used: Vec<usize> = Vec::new();
                    for a in y.args.iter().flatten() {
                        let c = rep.event_args.entry(a.role.clone()).or_default();
                        let want = span_of(&pid, &a.reference);
                        let hit = matched_pred[pi].and_then(|gi| {
                            ga[gi].args.iter().flatten().enumerate().position(|(k, b)| {
                                !used.contains(&k)
                                    && b.role == a.role
                                    && span_of(&gid, &b.reference) == want
                            })
                        });
                        if let Some(k) = hit {
                            used.push(k);
                            c.tp += 1;
                            c.fn_ = c.fn_.saturating_sub(1);
                        } else {
                            c.fp += 1;
                        }
                    }
                }
            }
        }
        if !layers.contains(&"boilerplate") {
            continue;
        }
        let bp = |r: &WireRecord| {
            merged(
                r.annotations
                    .iter()
                    .filter(|a| a.layer == "boilerplate")
                    .map(|a| (a.start, a.end))
                    .collect(),
            )
        };
        let (gb, pb) = (bp(g), bp(p));
        let inter = intersection(&gb, &pb);
        rep.boilerplate_chars.add(Counts {
            tp: inter,
            fp: covered(&pb) - inter,
            fn_: covered(&gb) - inter,
        });
    }
    for ls in rep.layers.values_mut() {
        for m in [&mut ls.strict, &mut ls.relaxed] {
            m.micro = Counts::default();
            for c in m.labels.values() {
                m.micro.add(*c);
            }
        }
    }
    rep
}

/// Checks thresholds `name=value` (names from [`Report::metrics`]); returns
/// the failures as readable lines.
///
/// # Errors
/// An unknown metric name or a malformed threshold.
pub fn check_thresholds(rep: &Report, reqs: &[String]) -> Result<Vec<String>> {
    let m = rep.metrics();
    let mut fails = Vec::new();
    for r in reqs {
        let (name, v) = r
            .split_once('=')
            .ok_or_else(|| Error::msg(format!("threshold {r:?} is not NAME=VALUE")))?;
        let want: f64 =
            v.parse().map_err(|_| Error::msg(format!("threshold {r:?}: {v:?} is not a number")))?;
        let got = *m.get(name).ok_or_else(|| {
            Error::msg(format!(
                "unknown metric {name:?}; known: {}",
                m.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        })?;
        if got + 1e-9 < want {
            fails.push(format!("{name} = {got:.4} is below {want}"));
        }
    }
    Ok(fails)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(id: &str, layer: &str, label: &str, s: usize, e: usize) -> WireAnnotation {
        WireAnnotation::new(id.into(), layer, label, s, e, String::new())
    }

    fn rec(anns: Vec<WireAnnotation>) -> WireRecord {
        WireRecord { id: "d".into(), path: None, dct: None, text: None, annotations: anns }
    }

    #[test]
    fn strict_and_relaxed() {
        let gold = rec(vec![
            ann("T1", "entity", "GPE", 0, 4),
            ann("T2", "entity", "GPE", 10, 20),
            ann("T3", "entity", "ORG", 30, 32),
        ]);
        let pred = rec(vec![
            ann("T1", "entity", "GPE", 0, 4),
            ann("T2", "entity", "GPE", 12, 20),
            ann("T3", "entity", "GPE", 30, 32),
            ann("T4", "entity", "GPE", 40, 42),
        ]);
        let r = evaluate(&[gold], &[pred]);
        let e = &r.layers["entity"];
        assert_eq!(e.strict.micro, Counts { tp: 1, fp: 3, fn_: 2 });
        assert_eq!(e.relaxed.micro, Counts { tp: 2, fp: 2, fn_: 1 });
        assert_eq!(e.relaxed.labels["ORG"], Counts { tp: 0, fp: 0, fn_: 1 });
    }

    #[test]
    fn relaxed_is_one_to_one() {
        let gold = rec(vec![ann("T1", "date", "DATE", 0, 10)]);
        let pred = rec(vec![ann("T1", "date", "DATE", 0, 3), ann("T2", "date", "DATE", 4, 10)]);
        let r = evaluate(&[gold], &[pred]);
        assert_eq!(r.layers["date"].relaxed.micro, Counts { tp: 1, fp: 1, fn_: 0 });
    }

    #[test]
    fn boilerplate_chars() {
        let gold = rec(vec![ann("T1", "boilerplate", "SHARE", 0, 10)]);
        let pred = rec(vec![ann("T1", "boilerplate", "NAV", 5, 15)]);
        let r = evaluate(&[gold], &[pred]);
        assert_eq!(r.boilerplate_chars, Counts { tp: 5, fp: 5, fn_: 5 });
    }

    #[test]
    fn thresholds() {
        let r = evaluate(&[rec(vec![ann("T1", "entity", "GPE", 0, 4)])], &[rec(vec![])]);
        assert_eq!(check_thresholds(&r, &["entity.strict.f1=0.5".into()]).unwrap().len(), 1);
        assert!(check_thresholds(&r, &["nope=1".into()]).is_err());
    }
}
