#!/usr/bin/env bash
# kqlkernel against Kqlmagic (bench.py, one jupyter_client driver for both), both querying one
# `kqlkernel serve` over the Log Analytics API. Needs `make build kernelspec kqlmagic-venv`.
#   bench/peers/run.sh [--reps 5] [--warm 3] [--json out.json]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
export JUPYTER_PATH=${JUPYTER_PATH:-$PWD/.venv/share/jupyter}
export PYDEVD_DISABLE_FILE_VALIDATION=1
[ -x .venv-kqlmagic/bin/python ] || { echo "no .venv-kqlmagic: make kqlmagic-venv" >&2; exit 2; }
.venv-kqlmagic/bin/python -c 'import ipykernel, Kqlmagic' ||
  { echo ".venv-kqlmagic lacks ipykernel or Kqlmagic" >&2; exit 2; }

key=peers-$RANDOM$RANDOM
log=$(mktemp)
bin/kqlkernel serve --quiet --addr 127.0.0.1:0 --api-key "$key" 2>"$log" &
serve=$!
trap 'kill $serve 2>/dev/null; wait $serve 2>/dev/null; rm -f "$log"' EXIT
url=
for _ in $(seq 100); do
  url=$(sed -n 's|.*listening on \(http://[^ ]*\)/v1 .*|\1|p' "$log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$log" >&2; echo "kqlkernel serve did not start" >&2; exit 1; }
echo "serve $url (pid $serve); $(date -u +%FT%TZ); load $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
"$PY" bench/peers/bench.py --url "$url" --key "$key" --serve-pid "$serve" "$@"
