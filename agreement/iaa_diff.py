#!/usr/bin/env python3
"""List every difference between two annotations of the same documents.

Usage (from the repository root):
    python3 agreement/iaa_diff.py DIR_A DIR_B [NAME ...] [--summary]

DIR_A/NAME.jsonl and DIR_B/NAME.jsonl are one-record JSONL files in the gold
shape; NAME defaults to the five articles of the agreement sample. The text
is read from corpus/dev/NAME.txt (code-point offsets). Reported, per article:

  ONLY-A / ONLY-B  an annotation in one file and not the other
                   (same layer, label, start, end)
  ATTR             a differing attribute on a matching annotation
                   (kb_id, canonical, value, mod, interval, cameo, polarity,
                   modality)
  ARG-A / ARG-B    an argument of a matching event in one file only
                   (role + referenced span; ids do not matter)

--summary prints only the counts by layer and kind. Exit status 0 always.
"""
import collections
import json
import sys

NAMES = ["suez-crisis-1956", "berlin-wall-fall", "korean-war-armistice",
         "rwanda-1994", "falklands-war-1982"]
ATTRS = ["kb_id", "canonical", "value", "mod", "interval", "cameo",
         "polarity", "modality"]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.loads(f.readline())


def key(a):
    return (a["layer"], a["label"], a["start"], a["end"])


def argset(a, byid):
    out = set()
    for g in a.get("args") or []:
        r = byid[g["ref"]]
        out.add((g["role"], r["start"], r["end"], r["text"]))
    return out


def diff(path_a, path_b):
    A, B = load(path_a), load(path_b)
    ia = {a["id"]: a for a in A["annotations"]}
    ib = {b["id"]: b for b in B["annotations"]}
    ka = {key(a): a for a in A["annotations"]}
    kb = {key(b): b for b in B["annotations"]}
    out = []
    for k in sorted(set(ka) | set(kb), key=lambda k: (k[2], k[3], k[0], k[1])):
        a, b = ka.get(k), kb.get(k)
        if a and not b:
            out.append(("ONLY-A", k, a, None, None))
        elif b and not a:
            out.append(("ONLY-B", k, None, b, None))
        else:
            for at in ATTRS:
                if a.get(at) != b.get(at):
                    out.append(("ATTR", k, a, b, at))
            if k[0] == "event":
                sa, sb = argset(a, ia), argset(b, ib)
                for x in sorted(sa - sb, key=str):
                    out.append(("ARG-A", k, a, b, x))
                for x in sorted(sb - sa, key=str):
                    out.append(("ARG-B", k, a, b, x))
    return out, ia, ib


def show(ann, idx):
    extra = {k: ann[k] for k in ATTRS if k in ann}
    s = f'{ann["layer"]}/{ann["label"]} "{ann["text"]}"@{ann["start"]} {extra}'
    if ann["layer"] == "event":
        s += " " + str([(g["role"], idx[g["ref"]]["text"] + "@" + str(idx[g["ref"]]["start"]))
                        for g in ann["args"]])
    return s


def main(argv):
    summary = "--summary" in argv
    argv = [a for a in argv if a != "--summary"]
    if len(argv) < 2:
        print(__doc__)
        return 0
    dir_a, dir_b, names = argv[0], argv[1], argv[2:] or NAMES
    counts = collections.Counter()
    total = 0
    for n in names:
        diffs, ia, ib = diff(f"{dir_a}/{n}.jsonl", f"{dir_b}/{n}.jsonl")
        total += len(diffs)
        if not summary:
            print(f"## {n}: {len(diffs)} difference(s)")
        for i, (kind, k, a, b, x) in enumerate(diffs, 1):
            counts[(k[0], kind if kind != "ATTR" else f"ATTR {x}")] += 1
            if summary:
                continue
            if kind == "ONLY-A":
                print(f"{i:4} ONLY-A {show(a, ia)}")
            elif kind == "ONLY-B":
                print(f"{i:4} ONLY-B {show(b, ib)}")
            elif kind == "ATTR":
                print(f'{i:4} ATTR {k[0]}/{k[1]} "{a["text"]}"@{k[2]} {x}: A={a.get(x)!r} B={b.get(x)!r}')
            else:
                print(f'{i:4} {kind} {k[1]} "{a["text"]}"@{k[2]}: {x[0]}={x[3]}@{x[1]}')
    print("## counts by layer and kind")
    for (layer, kind), c in sorted(counts.items()):
        print(f"{layer:12} {kind:16} {c}")
    print(f"total {total}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
