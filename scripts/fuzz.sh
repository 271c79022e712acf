#!/usr/bin/env bash
# Runs every Go fuzz target for FUZZTIME each (default 30s), one at a time.
#   scripts/fuzz.sh [FUZZTIME]
set -euo pipefail
cd "$(dirname "$0")/.."
t=${1:-30s}
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  pkg=./$(dirname "${f#./}")
  for name in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f"); do
    echo "== $pkg $name ($t)"
    go test -run '^$' -fuzz "^${name}\$" -fuzztime "$t" -parallel 1 "$pkg"
  done
done
