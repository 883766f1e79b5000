#!/usr/bin/env python3
"""Reads `perf script -F tid,ip,sym` with call stacks on stdin and prints
the share of the busiest thread's samples by pipeline stage and by leaf
function (scripts/stage_profile.sh runs it)."""

import collections
import re
import sys

# Stage of a frame, outermost first: the first of these found walking a
# stack from its root decides. Kernel frames under a stage stay with it;
# the kernel's share is reported on its own too.
STAGES = [
    ("ingest (read, UTF-8)", r"annotate::ingest::"),
    ("clean (boilerplate)", r"annotate::clean::"),
    ("dates", r"annotate::recognize::date::DateRecognizer::recognize"),
    ("segment (sentences, tokens)", r"annotate::segment::"),
    ("entities", r"annotate::recognize::entity::EntityRecognizer::recognize"),
    ("events", r"annotate::recognize::event::EventRecognizer::recognize"),
    ("resolve", r"annotate::resolve::"),
    ("output (JSON)", r"annotate::output::"),
]
# A sample anywhere under a futex call is the threads' hand-off, whatever
# stage asked for it.
HANDOFF = re.compile(r"futex")
COMPILED = [(name, re.compile(p)) for name, p in STAGES]


def samples(lines):
    """(tid, [(frame, inlined) leaf first]) for each sample."""
    tid, frames = None, []
    for line in lines:
        if not line.strip():
            if tid is not None:
                yield tid, frames
            tid, frames = None, []
            continue
        if not line.startswith("\t"):
            tid = line.split()[0]
            frames = []
            continue
        parts = line.strip().split(None, 1)
        if len(parts) == 2:
            inlined = parts[1].endswith(" (inlined)")
            sym = re.sub(r"\+0x[0-9a-f]+$", "", parts[1].removesuffix(" (inlined)"))
            frames.append((sym, inlined))
    if tid is not None:
        yield tid, frames


def stage_of(frames):
    if any(HANDOFF.search(f) for f, _ in frames):
        return "hand-off between threads (futex)"
    for f, _ in reversed(frames):
        for name, pat in COMPILED:
            if pat.search(f):
                return name
    return "other (start-up, pipeline glue, allocation)"


def main():
    by_tid = collections.defaultdict(list)
    for tid, frames in samples(sys.stdin):
        by_tid[tid].append(frames)
    if not by_tid:
        sys.exit("stage_profile: no samples")
    tid, worker = max(by_tid.items(), key=lambda kv: len(kv[1]))
    n = len(worker)
    stages = collections.Counter(stage_of(s) for s in worker)
    # The leaf function: the innermost frame that is not inlined into it.
    leaves = collections.Counter(
        next((f for f, inl in s if not inl), "?") for s in worker)
    kernel = sum(1 for s in worker if any(f.startswith("entry_SYSCALL") for f, _ in s))
    print(f"{n} samples of the worker thread (tid {tid}); "
          f"{sum(len(v) for v in by_tid.values()) - n} on other threads")
    print("\nshare  stage")
    for name, c in stages.most_common():
        print(f"{100 * c / n:5.1f}%  {name}")
    print(f"\n(in system calls, any stage: {100 * kernel / n:.1f}%)")
    print("\nshare  leaf function (top 25)")
    for name, c in leaves.most_common(25):
        print(f"{100 * c / n:5.1f}%  {name[:110]}")


if __name__ == "__main__":
    main()
