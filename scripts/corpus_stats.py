#!/usr/bin/env python3
"""Counts of gold annotations per part, layer and label, as a Markdown table.

Usage: scripts/corpus_stats.py [gold_dir]   (default: gold)

Parts are the first path component of each document id ("dev", "test");
ids without one (the seed article) count as "dev". Prints documents,
words (whitespace tokens of the article text, from corpus/<id>.txt) and
annotation counts; used to write corpus/README.md.
"""
import collections
import glob
import json
import os
import sys

LAYERS = ["boilerplate", "entity", "date", "event"]


def main():
    gold = sys.argv[1] if len(sys.argv) > 1 else "gold"
    counts = collections.Counter()
    docs = collections.Counter()
    words = collections.Counter()
    for path in sorted(glob.glob(os.path.join(gold, "**", "*.jsonl"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                rec = json.loads(line)
                part = rec["id"].split("/")[0] if "/" in rec["id"] else "dev"
                docs[part] += 1
                with open(os.path.join("corpus", rec["id"] + ".txt"), encoding="utf-8") as t:
                    words[part] += len(t.read().split())
                for a in rec["annotations"]:
                    counts[(part, a["layer"], a["label"])] += 1
    parts = sorted(docs)
    print("| part | documents | words |")
    print("|---|---:|---:|")
    for p in parts:
        print(f"| {p} | {docs[p]} | {words[p]:,} |")
    print(f"| all | {sum(docs.values())} | {sum(words.values()):,} |")
    print()
    print("| layer | label | " + " | ".join(parts) + " | all |")
    print("|---|---|" + "---:|" * (len(parts) + 1))
    for layer in LAYERS:
        labels = sorted({l for (_, ly, l) in counts if ly == layer})
        for label in labels:
            row = [counts[(p, layer, label)] for p in parts]
            print(f"| {layer} | {label} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        tot = [sum(counts[(p, layer, l)] for l in labels) for p in parts]
        print(f"| **{layer}** | **all** | " + " | ".join(f"**{t}**" for t in tot) + f" | **{sum(tot)}** |")


if __name__ == "__main__":
    main()
