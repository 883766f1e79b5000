#!/usr/bin/env bash
# Records the tool's headline figures on the corpus's dev and test parts in
# corpus/scores.json (read by the regression test in tests/evaluation.rs and
# quoted in the README). Run after an improvement, and commit the file.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp)
trap 'rm -f "$out" "$out".dev "$out".test' EXIT
./target/release/annotate corpus/ > "$out"
./target/release/annotate eval --gold gold/dev --pred "$out" --json > "$out".dev
./target/release/annotate eval --gold gold/test --pred "$out" --json > "$out".test
python3 - "$out" <<'PY'
import json, sys
base = sys.argv[1]
keys = ["boilerplate.char.f1", "entity.strict.f1", "entity.relaxed.f1", "date.relaxed.f1",
        "date.value_accuracy", "event.relaxed.f1", "event.args.f1"]
out = {}
for part in ("dev", "test"):
    m = json.load(open(f"{base}.{part}"))["metrics"]
    out[part] = {k: round(m[k], 4) for k in keys}
with open("corpus/scores.json", "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(json.dumps(out, indent=2))
PY
