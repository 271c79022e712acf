#!/usr/bin/env bash
# Runs every benchmark with its peer in the same run (see RESULTS.md for the figures and
# how each was measured). Not part of `make test`: benchmarks never assert times.
#   bench/run.sh [kernel|parser|engine|workspace|render|peers ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(kernel parser engine workspace render peers)
for part in "${parts[@]}"; do
  echo "== $part ($(date -u +%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
  case "$part" in
    kernel) bench/kernel/run.sh ;;
    parser)
      [ -d /tmp/kustols/node_modules/@kusto/language-service-next ] ||
        npm install --silent --prefix /tmp/kustols @kusto/language-service-next@12.4.1
      bench/parser/run.sh ;;
    engine) (cd bench/engine && go run . -rows "${ENGINE_ROWS:-10000000}" -runs 2) ;;
    workspace)
      go run ./bench/workspace
      go run ./bench/workspace -rows 1000000 -columns all ;;
    render) go test -run '^$' -bench . -benchtime 5x ./bench/render ;;
    peers) bench/peers/run.sh ;;
    *) echo "unknown benchmark: $part" >&2; exit 2 ;;
  esac
done
