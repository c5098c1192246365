#!/usr/bin/env bash
# `bash bench/retrain-timing.sh`: the few-shot loop's time on the demo project (issue #4): full train at defaults, then 5 new
# training documents carrying labels the model never saw (re-planted), then `planter retrain`.
set -euo pipefail
cd "$(dirname "$0")/.."
W=$(mktemp -d "${TMPDIR:-/tmp}/planter-retrain-timing.XXXXXX")
P=$W/project
rm -rf $P
node bin/planter.mjs init --project $P --name "demo timing" >/dev/null
node bin/planter.mjs labels --project $P resources/demo/icd10cm_2018.tsv.gz >/dev/null
node bin/planter.mjs import --project $P resources/demo/codiesp-train.jsonl.gz --id-field id --labels-field labels --split train >/dev/null
node bin/planter.mjs import --project $P resources/demo/codiesp-dev.jsonl.gz --id-field id --labels-field labels --split dev >/dev/null
node bin/planter.mjs import --project $P resources/demo/codiesp-pool.jsonl.gz --id-field id --split pool >/dev/null
# SETTINGS=FILE trains with a settings file (e.g. resources/demo/quick-settings.json): the lexical
# stages, whose times the targets are about, do not depend on the attention model's settings.
/usr/bin/time -v node bin/planter.mjs train --project $P ${SETTINGS:+--settings $SETTINGS} --json > $W/demo-train.json 2> $W/demo-train.time
# Five pool documents annotated with codes the model has no training document for.
python3 - <<'PY' > $W/new-annotations.jsonl
import gzip, json
train = {l for line in gzip.open("resources/demo/codiesp-train.jsonl.gz", "rt") for l in json.loads(line).get("labels", [])}
dev = [l for line in gzip.open("resources/demo/codiesp-dev.jsonl.gz", "rt") for l in json.loads(line).get("labels", [])]
codes = [c for c in dict.fromkeys(dev) if c not in train][:5]
pool = [json.loads(line) for _, line in zip(range(5), gzip.open("resources/demo/codiesp-pool.jsonl.gz", "rt"))]
for c, r in zip(codes, pool):
    print(json.dumps({"id": "new-" + r["id"], "text": r["text"], "labels": [c]}))
PY
node bin/planter.mjs import --project $P $W/new-annotations.jsonl --id-field id --labels-field labels --split train >/dev/null
/usr/bin/time -v node bin/planter.mjs retrain --project $P --json > $W/demo-retrain.json 2> $W/demo-retrain.time
cat $W/demo-retrain.json | head -c 600; echo
grep -E "Elapsed|Maximum resident" $W/demo-train.time $W/demo-retrain.time
# When the first suggestions appeared (the lexical model of the first training) and when the retrain's
# refreshed lexical ranker started serving (issue #13: ≤ 30 s and ≤ 5 s), from the --json results.
python3 - "$W/demo-train.json" "$W/demo-retrain.json" <<'PY'
import json, sys
for name, f in (("first training", sys.argv[1]), ("retrain", sys.argv[2])):
    lines = [l for l in open(f) if l.strip().startswith("{")]
    r = json.loads(lines[-1])
    print(f"{name}: early model {r.get('earlyModelId')} served after {r.get('earlySeconds')} s; finished in {r.get('seconds'):.1f} s, serves {r.get('serves')}")
PY
uptime
