"""nnlib.gradients.loss_and_gradients on every installed Keras backend, against centred
finite differences of the same Keras model (float64, so the check is tight).

Each backend runs in its own Python process with ``KERAS_BACKEND`` set (a process holds
one backend); a backend whose package is not installed is skipped. JAX runs with
``JAX_ENABLE_X64=1``. No tanh here: Keras 3.15's ``keras.ops.tanh`` returns float32 for a
float64 input on JAX (so do ``keras.ops.mean`` and ``keras.losses.categorical_crossentropy``), which would make the finite differences meaningless.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap

import pytest

from tests.course_tools import ROOT, kernel_env, run

BACKEND_PACKAGES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}

#: (finite-difference step, largest relative error) per backend. Keras 3.15's torch
#: backend computes float64 Dense layers only to about 1e-7 of NumPy's float64 result
#: (torch 2.13, CPU), so its finite differences need a larger step and a looser bound,
#: which still catch a transposed or missing gradient.
TOLERANCES = {"tensorflow": (1e-6, 1e-7), "jax": (1e-6, 1e-7), "torch": (1e-3, 1e-3)}

SCRIPT = textwrap.dedent(
    """
    import json, sys
    import nnlib
    import keras
    import numpy as np
    from nnlib.gradients import loss_and_gradients

    assert keras.backend.backend() == sys.argv[1], keras.backend.backend()
    results = []
    for seed, (sizes, act, loss_name) in enumerate([
        ([4, 3, 2], "relu", "sse"),
        ([3, 4, 2, 3], "sigmoid", "sse"),
        ([4, 3, 3], "sigmoid", "xent"),
    ]):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(2, 7))
        layers = [keras.Input((sizes[0],))]
        for i, units in enumerate(sizes[1:]):
            last = i == len(sizes) - 2
            layers.append(keras.layers.Dense(units, activation="linear" if last else act, dtype="float64"))
        model = keras.Sequential(layers)
        weights = [rng.normal(size=w.shape) for w in model.get_weights()]
        model.set_weights(weights)
        # float32-representable data: the dispatcher hands x and y over as float32
        x = rng.normal(size=(n, sizes[0])).astype(np.float32).astype(np.float64)
        if loss_name == "sse":
            y = rng.normal(size=(n, sizes[-1])).astype(np.float32).astype(np.float64)
            def loss_fn(y_true, y_pred):
                diff = keras.ops.cast(y_true, y_pred.dtype) - y_pred
                return keras.ops.sum(diff * diff) / n
        else:
            y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=n)]
            def loss_fn(y_true, y_pred):  # cross-entropy on logits, kept in float64 on every backend
                log_p = keras.ops.log_softmax(y_pred, axis=-1)
                return -keras.ops.sum(keras.ops.cast(y_true, y_pred.dtype) * log_p) / n
        loss, grads = loss_and_gradients(model, loss_fn, x, y)

        def loss_at(ws):
            model.set_weights(ws)
            value = loss_fn(keras.ops.convert_to_tensor(y), model(keras.ops.convert_to_tensor(x)))
            return float(keras.ops.convert_to_numpy(value))

        eps = float(sys.argv[2])
        errors = []
        for j, w in enumerate(weights):
            numeric = np.zeros_like(w)
            for idx in np.ndindex(w.shape):
                up = [v.copy() for v in weights]; up[j][idx] += eps
                down = [v.copy() for v in weights]; down[j][idx] -= eps
                numeric[idx] = (loss_at(up) - loss_at(down)) / (2 * eps)
            g = np.asarray(grads[j], dtype=np.float64)
            errors.append(dict(shape_ok=g.shape == w.shape,
                               rel=float(np.linalg.norm(g - numeric) / (np.linalg.norm(g) + np.linalg.norm(numeric)))))
        model.set_weights(weights)
        results.append(dict(loss=loss, loss_again=loss_at(weights), errors=errors))
    print("RESULTS", json.dumps(results))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("backend", sorted(BACKEND_PACKAGES))
def test_loss_and_gradients_match_finite_differences(backend):
    if importlib.util.find_spec(BACKEND_PACKAGES[backend]) is None:
        pytest.skip(f"{backend} is not installed")
    # JAX computes in float32 unless 64-bit floats are switched on before it starts.
    env = kernel_env(KERAS_BACKEND=backend, JAX_ENABLE_X64="1")
    eps, bound = TOLERANCES[backend]
    proc = run([sys.executable, "-c", SCRIPT, backend, str(eps)], cwd=ROOT, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    line = next(l for l in proc.stdout.splitlines() if l.startswith("RESULTS "))
    results = json.loads(line[len("RESULTS "):])
    assert len(results) == 3
    for case in results:
        assert abs(case["loss"] - case["loss_again"]) <= 1e-9 * max(1.0, abs(case["loss"]))
        for err in case["errors"]:
            assert err["shape_ok"], "a gradient does not have its weight's shape"
            assert err["rel"] < bound, f"{backend}: relative error {err['rel']:.2e} against finite differences"


INPUT_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import nnlib
    import keras
    import numpy as np
    from nnlib.gradients import input_gradients

    assert keras.backend.backend() == sys.argv[1], keras.backend.backend()
    rng = np.random.default_rng(0)
    a, b, unused = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=(5,))
    upstream = rng.normal(size=(3, 2))
    errors = {}
    for dtype in ("float32", "float64"):
        da, db, dunused = input_gradients(lambda s, t, u: keras.ops.matmul(s, t), [a, b, unused], upstream, dtype)
        errors[dtype] = dict(
            shapes=[list(da.shape), list(db.shape), list(dunused.shape)],
            a=float(np.max(np.abs(da - upstream @ b.T))),  # d sum((a b) * U) / da = U b^T
            b=float(np.max(np.abs(db - a.T @ upstream))),  # ... / db = a^T U
            unused=float(np.max(np.abs(dunused))),
        )
    x = rng.normal(size=(2, 5, 6, 3))
    kernels = rng.normal(size=(3, 3, 3, 4))
    up = rng.normal(size=(2, 3, 4, 4))
    dx, dk = input_gradients(lambda s, t: keras.ops.conv(s, t), [x, kernels], up)
    # the convolution is linear in x: sum(conv(x, k) * up) = sum(x * dx)
    linear = float(abs(np.sum(keras.ops.convert_to_numpy(keras.ops.conv(x.astype("float32"), kernels.astype("float32"))) * up)
                       - np.sum(x * dx)))
    errors["conv"] = dict(shapes=[list(dx.shape), list(dk.shape)], linear=linear)
    print("RESULTS", json.dumps(errors))
    """
)


@pytest.mark.slow
@pytest.mark.parametrize("backend", sorted(BACKEND_PACKAGES))
def test_input_gradients_are_the_vector_jacobian_products(backend):
    if importlib.util.find_spec(BACKEND_PACKAGES[backend]) is None:
        pytest.skip(f"{backend} is not installed")
    proc = run([sys.executable, "-c", INPUT_SCRIPT, backend], cwd=ROOT, env=kernel_env(KERAS_BACKEND=backend),
               timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    line = next(l for l in proc.stdout.splitlines() if l.startswith("RESULTS "))
    results = json.loads(line[len("RESULTS "):])
    for dtype, bound in [("float32", 1e-5), ("float64", 1e-5)]:  # float64 is float32 on JAX without x64
        case = results[dtype]
        assert case["shapes"] == [[3, 4], [4, 2], [5]]
        assert case["a"] < bound and case["b"] < bound, case
        assert case["unused"] == 0.0
    assert results["conv"]["shapes"] == [[2, 5, 6, 3], [3, 3, 3, 4]]
    assert results["conv"]["linear"] < 1e-3
