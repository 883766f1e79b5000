#!/usr/bin/env python3
"""Check gold files against the annotation scheme's contract.

Usage: scripts/check_gold.py GOLD.jsonl [...] [--corpus corpus/]

For every record: the text is read from the record or from corpus/<id>.txt;
every annotation must have a known layer and label, text[start:end] equal to
its "text" (code points), unique ids, and args whose refs name entity or date
annotations of the same record. No entity/date/event may lie inside a
boilerplate span. Exits 1 and names file, line and annotation on any error.
"""
import json
import os
import sys

LABELS = {
    "boilerplate": {"SHARE", "COMMENTS", "NAV", "SITE", "LEGAL"},
    "entity": {"PERSON", "ORG", "GPE", "LOC", "NORP"},
    "date": {"DATE", "TIME", "DURATION", "SET"},
    "event": {"ALLIANCE", "AGREEMENT", "COOPERATION", "ARMS_TRANSFER", "AID",
              "DEBT", "SANCTION", "RELATIONS_WORSEN", "DISAGREEMENT", "WAR",
              "INVASION", "ATTACK", "CEASEFIRE", "VICTORY", "RESOLUTION",
              "MEETING", "STATEMENT", "PROTEST", "COLLAPSE", "REGIME_CHANGE",
              "ELECTION"},
}
ROLES = {"actor", "target", "participant", "time"}


def main(argv):
    corpus = "corpus"
    files = []
    it = iter(argv)
    for a in it:
        if a == "--corpus":
            corpus = next(it)
        else:
            files.append(a)
    errors = 0

    def err(where, msg):
        nonlocal errors
        errors += 1
        print(f"{where}: {msg}")

    for path in files:
        with open(path, encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where = f"{path}:{ln}"
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    err(where, f"invalid JSON: {e}")
                    continue
                text = rec.get("text")
                if text is None:
                    p = os.path.join(corpus, rec["id"] + ".txt")
                    with open(p, encoding="utf-8", newline="") as tf:
                        text = tf.read()
                anns = rec.get("annotations", [])
                ids = {}
                for a in anns:
                    w = f"{where} {a.get('id')}"
                    if a.get("id") in ids:
                        err(w, "duplicate id")
                    ids[a.get("id")] = a
                    layer, label = a.get("layer"), a.get("label")
                    if layer not in LABELS or label not in LABELS[layer]:
                        err(w, f"unknown layer/label {layer}/{label}")
                    s, e = a.get("start"), a.get("end")
                    if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
                        err(w, f"bad offsets {s}..{e}")
                        continue
                    if text[s:e] != a.get("text"):
                        err(w, f"text[{s}:{e}]={text[s:e]!r} != {a.get('text')!r}")
                    if text[s:e] != text[s:e].strip():
                        err(w, f"span has outer whitespace: {text[s:e]!r}")
                bps = [(a["start"], a["end"]) for a in anns if a.get("layer") == "boilerplate"]
                for a in anns:
                    w = f"{where} {a.get('id')}"
                    if a.get("layer") != "boilerplate":
                        for s, e in bps:
                            if a["start"] < e and s < a["end"]:
                                err(w, "annotation overlaps boilerplate")
                    for arg in a.get("args", []) or []:
                        if arg.get("role") not in ROLES:
                            err(w, f"unknown role {arg.get('role')}")
                        ref = ids.get(arg.get("ref"))
                        if ref is None or ref.get("layer") not in ("entity", "date"):
                            err(w, f"arg ref {arg.get('ref')} is not an entity/date id")
                        elif (arg["role"] == "time") != (ref["layer"] == "date"):
                            err(w, f"role {arg['role']} does not fit {ref['layer']} {arg['ref']}")
    print(f"{len(files)} file(s), {errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
