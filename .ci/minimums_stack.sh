#!/usr/bin/env bash
# The declared minimums, proven. Builds a throw-away venv on the requires-python floor
# (pyenv's, or pythonX.Y on PATH) holding this checkout (a wheel, not editable) with its
# `student` extra and the `instructor` extra's nbgrader, every direct dependency pinned to the
# floor pyproject.toml declares (.ci/minimums.py turns each `>=X` into `==X`, so the file
# and this run cannot drift; what those need comes at its newest compatible version, as a
# student installing today gets it). Then, offline, from the repository root:
#   1. .ci/minimums_round_trip.py: a solution-only nbgrader round trip of every assignment
#      (plain nbgrader, temporary state folder): the solution gets full marks (so every
#      test cell, hidden ones included, passes and writes nothing to stderr) and no cell
#      of it raises. This executes every solution notebook in fast mode.
#   2. `nncourse check-all --no-write` on 01_neuron: the instructors' tool works there.
# MINIMUMS_ROUND_TRIP and MINIMUMS_CHECK_ALL (space-separated ids) change those lists.
# Exit non-zero on any failure. About 5 minutes cold on 2 cores (downloads included).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
start=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/minimums.XXXXXX")
trap 'rm -rf "$work"; echo "minimums stack: $(( $(date +%s) - start )) s"' EXIT
export UV_PYTHON_DOWNLOADS=never PIP_DISABLE_PIP_VERSION_CHECK=1

floor=$(sed -n 's/^requires-python *= *">= *\([0-9]*\.[0-9]*\)" *$/\1/p' pyproject.toml)
[ -n "$floor" ] || { echo "minimums: cannot read requires-python ('>=X.Y') from pyproject.toml" >&2; exit 1; }
python=""
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$floor".*/bin/python "$(command -v "python$floor" || true)"; do
  if [ -x "$candidate" ] && "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$floor'.split('.'))))"; then
    python=$candidate; break
  fi
done
[ -n "$python" ] || { echo "minimums: no Python $floor (the requires-python floor) in pyenv or on PATH" >&2; exit 1; }
echo "minimums: Python $("$python" -c 'import platform; print(platform.python_version())') ($python)"

# uv in a tools venv: it resolves and installs with parallel downloads.
"$python" -m venv "$work/tools"
"$work/tools/bin/pip" install -q uv
uv=$work/tools/bin/uv
if ! "$work/tools/bin/python" -c "import tomllib" 2>/dev/null; then "$uv" pip install -q --python "$work/tools/bin/python" tomli; fi
"$work/tools/bin/python" .ci/minimums.py constraints > "$work/floors.txt"
echo "minimums: floors from pyproject.toml:"; sed 's/^/  /' "$work/floors.txt"

# The wheel is built from a copy of the checkout's files (setuptools writes build/ and
# *.egg-info/ beside the sources).
mkdir "$work/src"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done | xargs -0 cp --parents -t "$work/src"
"$uv" venv -q --python "$python" "$work/venv"
# Bytecode compiled once here: every kernel imports TensorFlow, and the grading
# environment forbids writing .pyc files (PYTHONDONTWRITEBYTECODE).
"$uv" pip install -q --compile-bytecode --python "$work/venv/bin/python" "$work/src[student]" nbgrader -c "$work/floors.txt"
"$work/venv/bin/python" .ci/minimums.py check "$work/floors.txt"
echo "minimums: installed in $(( $(date +%s) - start )) s"

status=0
export NNLIB_OFFLINE=1
all_ids=$("$work/venv/bin/python" -c "from nncourse import layout; print(*layout.available_assignments(layout.repo_root()))")
# shellcheck disable=SC2086
"$work/venv/bin/python" .ci/minimums_round_trip.py ${MINIMUMS_ROUND_TRIP:-$all_ids} || status=1
echo "minimums: round trips done at $(( $(date +%s) - start )) s"
# shellcheck disable=SC2086
"$work/venv/bin/nncourse" check-all --no-write ${MINIMUMS_CHECK_ALL:-01_neuron} || status=1
if [ "$status" = 0 ]; then
  echo "minimums: every notebook passed at the declared floors"
else
  echo "minimums: FAILED at the declared floors" >&2
fi
exit "$status"
