# Shared set-up: a virtual environment with the project installed. Sourced, not run.
# Works on a fresh clone; safe to run again (pip skips what is installed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
EXTRAS="${LEDGER_EXTRAS:-}"
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ] || [ "$EXTRAS" != "$(cat .venv/.installed)" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  if [ -n "$EXTRAS" ]; then
    .venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
  else
    .venv/bin/python -m pip install --quiet -e .
  fi
  printf '%s' "$EXTRAS" > .venv/.installed
fi
export PATH="$ROOT/.venv/bin:$PATH"
