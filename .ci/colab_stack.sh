#!/usr/bin/env bash
# The course on Google Colab's current stack: every solution notebook, fast mode, offline.
#
#   .ci/colab_stack.sh [CONSTRAINTS]      (default constraints/colab.txt; run from anywhere)
#
# 1. A venv (.venv-colab/, git-ignored) with Colab's Python (the constraints file's
#    "# python: X.Y.Z" line; the pyenv build of the same X.Y, else pythonX.Y on PATH) and
#    the packages the notebooks and their execution need, at Colab's versions
#    (`pip install -c CONSTRAINTS`): the full tensorflow wheel as on Colab, keras, numpy,
#    matplotlib, scikit-learn, pandas (mlxtend needs it), ipykernel, nbclient. JAX is in
#    the constraints but not installed: Colab's notebooks run on TensorFlow, Keras' default.
#    The venv is reused while the constraints, this script and the interpreter are the
#    same (their hash is kept in .venv-colab/stack.sha256); a fresh clone builds it.
# 2. The distribution nncourse (nnlib and nncourse) as the notebooks' set-up cell installs
#    it on Colab, but from a wheel of this checkout (CI cannot reach the git host):
#    `pip install --no-deps nncourse.whl mlxtend`.
# 3. `pip check` must be clean: the distribution's own requirements are met by Colab's packages.
# 4. Colab's full TensorFlow wheel on a machine without a GPU: `import nnlib`, its set-up,
#    Keras and the shipped digits CNN must write nothing to stderr (a test cell that does
#    gets 0 points from nbgrader).
# 5. `nncourse check-all` (from the same wheel) runs every solution notebook in fast mode,
#    offline, on TensorFlow; every test cell must pass. results/ is not written.
# Exits non-zero on any failure; prints its run time. Nothing is cached outside the
# repository but pip's cache: Jupyter, IPython, matplotlib and Keras keep their files in
# the venv. Budget: 6 minutes on 2 cores from a fresh clone (pip's cache warm).
set -euo pipefail
start=$(date +%s)
[ -z "${1:-}" ] || constraints=$(realpath "$1")
cd "$(dirname "$0")/.."
root=$(pwd)
constraints=${constraints:-$root/constraints/colab.txt}
venv="$root/.venv-colab"
elapsed() { echo "$(( $(date +%s) - start )) s"; }
# What the notebooks and their execution need, each pinned by the constraints file
# (tests/launch/test_colab.py checks that it is); nnlib and mlxtend come later, --no-deps.
packages="tensorflow keras numpy matplotlib scikit-learn scipy threadpoolctl pandas ipykernel ipython jupyter_client nbclient nbformat setuptools"
build=""
trap 'rc=$?; [ -z "$build" ] || rm -rf "$build"; [ $rc -eq 0 ] || echo "colab stack: FAILED (exit $rc) after $(elapsed)"' EXIT

# -- Colab's Python ------------------------------------------------------------------
want=$(sed -n 's/^# python: *\([0-9][0-9.]*\).*/\1/p' "$constraints" | head -1)
[ -n "$want" ] || { echo "no '# python: X.Y.Z' line in $constraints" >&2; exit 2; }
minor=${want%.*}
python=""
for candidate in "$HOME/.pyenv/versions/$want/bin/python" $(ls -d "$HOME"/.pyenv/versions/"$minor".*/bin/python 2>/dev/null | sort -V -r) "$(command -v "python$minor" || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then python=$candidate; break; fi
done
[ -n "$python" ] || { echo "no Python $minor here (Colab runs $want): install it with pyenv" >&2; exit 2; }
have=$("$python" -c 'import platform; print(platform.python_version())')
echo "Colab runs Python $want; using $have ($python)$([ "$have" = "$want" ] || echo ", the nearest available")"

# -- the venv, rebuilt when the stack changed ---------------------------------------------
hash=$(cat "$constraints" "$root/.ci/colab_stack.sh" <(echo "$python $have") | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/stack.sha256" 2>/dev/null)" = "$hash" ]; then
  echo "reusing $venv (same constraints)"
else
  rm -rf "$venv"
  "$python" -m venv "$venv"
  # shellcheck disable=SC2086
  "$venv/bin/pip" install -q --disable-pip-version-check -c "$constraints" $packages
  echo "$hash" > "$venv/stack.sha256"
fi
echo "packages: $(elapsed)"

# -- nncourse from a wheel of this checkout, as the set-up cell installs it -----------------
build=$(mktemp -d)
mkdir "$build/src"
# the tracked and new (not ignored) files that exist: no stale build/ folder gets into the wheel
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
  | xargs -0 cp --parents -t "$build/src"
"$venv/bin/pip" wheel -q --disable-pip-version-check --no-deps -w "$build/dist" "$build/src"
"$venv/bin/pip" install -q --disable-pip-version-check --no-deps --force-reinstall -c "$constraints" \
  "$build"/dist/nncourse-*.whl mlxtend
"$venv/bin/pip" check
echo "nncourse installed: $(elapsed)"

# -- the run: Colab's defaults; Jupyter, IPython, matplotlib and Keras write in the venv ------
state="$venv/state"
mkdir -p "$state"
export JUPYTER_PATH="$venv/share/jupyter" JUPYTER_CONFIG_DIR="$state/jupyter" \
  JUPYTER_DATA_DIR="$state/jupyter-data" IPYTHONDIR="$state/ipython" \
  MPLCONFIGDIR="$state/matplotlib" KERAS_HOME="$state/keras" \
  KERAS_BACKEND=tensorflow NNLIB_OFFLINE=1 NNLIB_MODE=fast PYTHONDONTWRITEBYTECODE=1 \
  PYDEVD_DISABLE_FILE_VALIDATION=1  # ipykernel 6.17's debugger notice on Python 3.11+ (kernel log, not cells)
unset TF_CPP_MIN_LOG_LEVEL TF_ENABLE_ONEDNN_OPTS
"$venv/bin/python" -c 'import sys, tensorflow as tf, keras, numpy; print(f"Python {sys.version.split()[0]}, tensorflow {tf.__version__}, keras {keras.__version__}, numpy {numpy.__version__}")' 2>/dev/null

# what a notebook's imports cell and the shipped model write to stderr (must be nothing)
if ! noise=$("$venv/bin/python" -c '
import nnlib
nnlib.setup(seed=0)
import keras
from nnlib.data import load_digits_cnn
assert load_digits_cnn().output_shape == (None, 5)
' 2>&1 >/dev/null) || [ -n "$noise" ]; then
  echo "stderr from import nnlib / nnlib.setup() / load_digits_cnn():"; echo "$noise"; exit 1
fi
echo "imports cell and digits CNN: nothing on stderr"

cd "$root"
"$venv/bin/nncourse" check-all --backend tensorflow --no-write
echo "colab stack: all notebooks passed in $(elapsed)"
