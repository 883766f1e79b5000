#!/usr/bin/env python3
"""Date error analysis against TimeML gold (TempEval-3 style, type-blind).

Lists false negatives, false positives, wrong values, wrong types and
strict-span mismatches of `annotate` output, grouped by pattern/rule, so
rules can be written from error classes rather than single documents.

    annotate ../shared/data/tempeval3-train/ > /tmp/te.jsonl
    scripts/date_errors.py ../shared/data/tempeval3-train /tmp/te.jsonl [--full]
"""
import collections
import glob
import html
import json
import os
import re
import sys


def parse_tml(path):
    s = open(path, encoding="utf-8").read()
    body = re.search(r"<TEXT>(.*)</TEXT>", s, re.S).group(1)
    out, tx, pos, cur = [], [], 0, None
    for tok in re.finditer(r"<(/?)(\w+)([^>]*)>|([^<]+)", body):
        if tok.group(4) is not None:
            t = html.unescape(tok.group(4))
            out.append(t)
            pos += len(t)
        elif tok.group(2) == "TIMEX3":
            if tok.group(1) == "":
                cur = [pos, None, dict(re.findall(r'(\w+)="([^"]*)"', tok.group(3)))]
            else:
                cur[1] = pos
                tx.append(cur)
    return "".join(out), tx


def ctx(text, s, e):
    return (text[max(0, s - 40):s] + "[" + text[s:e] + "]" + text[e:e + 30]).replace("\n", " ")


def main():
    gold_dir, pred_path = sys.argv[1], sys.argv[2]
    full = "--full" in sys.argv
    preds = {}
    for line in open(pred_path, encoding="utf-8"):
        r = json.loads(line)
        preds[r["id"]] = r
    rows = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(gold_dir, "**", "*.tml"), recursive=True)):
        rel = os.path.relpath(path, gold_dir)[:-4]
        text, tx = parse_tml(path)
        p = preds.get(rel)
        if p is None:
            print("missing prediction:", rel)
            continue
        pd = [a for a in p["annotations"] if a["layer"] == "date"]
        used = set()
        for s, e, a in tx:
            hit = next((i for i, q in enumerate(pd)
                        if i not in used and q["start"] < e and s < q["end"]), None)
            if hit is None:
                rows["FN"].append((a["type"], a["value"], text[s:e], ctx(text, s, e)))
                continue
            used.add(hit)
            q = pd[hit]
            if (q["start"], q["end"]) != (s, e):
                rows["SPAN"].append((text[s:e], q["text"], q.get("source")))
            if q["label"] != a["type"]:
                rows["TYPE"].append((a["type"], q["label"], q.get("source")))
            if q.get("value", "").rstrip("X") != a["value"].rstrip("X"):
                rows["VALUE"].append((q.get("source"), a["value"], q.get("value"),
                                      text[s:e], p.get("dct"), ctx(text, s, e)))
        for i, q in enumerate(pd):
            if i not in used:
                rows["FP"].append((q.get("source"), q["label"], q.get("value"), q["text"],
                                   ctx(text, q["start"], q["end"])))
    for kind in ["FN", "FP", "VALUE", "TYPE", "SPAN"]:
        items = rows[kind]
        print(f"== {kind}: {len(items)}")
        if full:
            for r in items:
                print("   ", " | ".join(map(str, r)))
            continue
        # Grouped by a pattern key: rule for FP/VALUE/TYPE/SPAN, lowercased
        # text with digits masked for FN.
        key = (lambda r: re.sub(r"\d", "9", r[2].lower())) if kind == "FN" else (lambda r: r[0])
        for k, n in collections.Counter(map(key, items)).most_common(25):
            print(f"   {n:4d}  {k}")


if __name__ == "__main__":
    main()
