#!/usr/bin/env bash
# Kernel benchmarks: cold start and execute round trip against Debian's ipykernel, then the
# soak. Needs `make kernelspec` (the kql kernelspec in the venv) and python3-ipykernel.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
export JUPYTER_PATH=${JUPYTER_PATH:-$PWD/.venv/share/jupyter}
export PYDEVD_DISABLE_FILE_VALIDATION=1 # ipykernel's debugger warning on every start
"$PY" bench/kernel/bench.py "$@"
"$PY" bench/kernel/soak.py
