#!/bin/sh
# Parser benchmark: our parser (go test -bench) beside the official parser (node, the
# library kusto-oracle.js loads) on the same corpus, in one run. Needs node and
#   npm install --prefix /tmp/kustols @kusto/language-service-next@12.4.1
# usage: bench/parser/run.sh   (from the module root)
set -eu
SHARED=${KQL_SHARED_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
LS=${KUSTO_LS_DIR:-/tmp/kustols/node_modules/@kusto/language-service-next}
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
KQL_SHARED_DIR=$SHARED go test -run '^$' -bench . -benchtime 3x -count 3 ./bench/parser | grep -E 'Benchmark|ok'
if command -v node >/dev/null && [ -d "$LS" ]; then
  echo "official (Kusto.Language via node):"
  KUSTO_LS_DIR=$LS node "$(dirname "$0")/official.js" "$SHARED" 3
  # the oracle end to end (process start, parse + analyze + JSON per line)
  N=$(python3 -c "import json;print(len(json.load(open('$SHARED/kql/sentinel-queries.json'))['queries']))")
  python3 -c "
import json
for i,q in enumerate(json.load(open('$SHARED/kql/sentinel-queries.json'))['queries']): print(json.dumps({'id':i,'query':q['query']}))" > /tmp/bench-oracle-in.jsonl
  T0=$(date +%s%N)
  KUSTO_LS_DIR=$LS node "$SHARED/kql/kusto-oracle.js" < /tmp/bench-oracle-in.jsonl > /dev/null
  T1=$(date +%s%N)
  echo "{\"kusto_oracle_js_ms_per_query\": $(( (T1 - T0) / N / 1000 ))e-3, \"queries\": $N}"
else
  echo "node or $LS missing: official parser not measured"
fi
# CPU time (user+sys), less sensitive than wall time to a busy machine: our parser over
# the corpus 20 times (kqlcheck -repeat: parse only, one process, includes reading the
# corpus) against the official parser over it 3 times (official.js parse-only: one
# process, includes loading the library and JIT warm-up)
if command -v node >/dev/null && [ -d "$LS" ]; then
  TMP=$(mktemp -d)
  go build -o "$TMP/kqlcheck" ./bench/parser/kqlcheck
  python3 -c "
import json
qs=[q['query'] for q in json.load(open('$SHARED/kql/sentinel-queries.json'))['queries']]+[c['kql'] for c in json.load(open('$SHARED/kql/conformance.json'))['cases']]
for i,q in enumerate(qs): print(json.dumps({'id':i,'query':q}))" > "$TMP/corpus.jsonl"
  OURS=$( { /usr/bin/time -f '%U %S' "$TMP/kqlcheck" -repeat 20 < "$TMP/corpus.jsonl" > /dev/null; } 2>&1 | tail -1)
  THEIRS=$( { /usr/bin/time -f '%U %S' env KUSTO_LS_DIR=$LS node "$(dirname "$0")/official.js" "$SHARED" 3 parse-only > /dev/null; } 2>&1 | tail -1)
  python3 -c "
o=sum(map(float,'$OURS'.split())); t=sum(map(float,'$THEIRS'.split()))
print('cpu: ours %.1f us/query (%.2fs for 22160 parses), official %.0f us/query (%.1fs for 3324 parses), ratio %.0fx' % (o/22160*1e6, o, t/3324*1e6, t, (t/3324)/(o/22160)))"
  rm -rf "$TMP"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
