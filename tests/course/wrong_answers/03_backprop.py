"""Plausible wrong answers to 03_backprop. Each entry replaces answer cells (by grade_id)
of the solution; the round trip checks that every test cell in ``fails`` loses points."""

_BACKWARD = (
    "def backward(params, a, h, delta, dphi):\n"
    "    grads = [None] * len(params)\n"
    "    for k in range(len(params) - 1, -1, -1):\n"
    "        grads[k] = ({dW}, {db})\n"
    "        if k > 0:\n"
    "            delta = {down}\n"
    "    return grads"
)
_RIGHT = dict(dW="delta.T @ h[k]", db="delta.sum(axis=0)", down="(delta @ params[k][0]) * dphi(a[k - 1])")

WRONG_ANSWERS = [
    dict(
        name="backward-transposed-weight-gradient",
        replace={"answer-03-backward": _BACKWARD.format(**{**_RIGHT, "dW": "h[k].T @ delta"})},
        fails=["ex-03-backward"],
    ),
    dict(
        name="backward-missing-activation-derivative",
        replace={"answer-03-backward": _BACKWARD.format(**{**_RIGHT, "down": "delta @ params[k][0]"})},
        fails=["ex-03-backward"],
    ),
    dict(
        name="backward-bias-averaged-not-summed",
        replace={"answer-03-backward": _BACKWARD.format(**{**_RIGHT, "db": "delta.mean(axis=0)"})},
        fails=["ex-03-backward"],
    ),
    dict(
        name="delta-without-factor-2-and-softmax-gradient-sign",
        replace={
            "answer-03-delta": (
                "def regression_delta(Y, a_out, f_out, dpsi):\n"
                "    return -(Y - f_out) * dpsi(a_out) / Y.shape[0]"
            ),
            "answer-03-softmax-grad": (
                "def softmax_cross_entropy_delta(A, Y):\n"
                "    return (Y - softmax(A)) / A.shape[0]"
            ),
        },
        fails=["ex-03-delta", "ex-03-softmax-grad"],
    ),
    dict(
        name="numerical-gradient-one-sided",
        replace={"answer-03-numgrad": (
            "def numerical_gradient(f, x, eps=1e-6):\n"
            "    grad = np.zeros(x.shape)\n"
            "    base = f(x)\n"
            "    for idx in np.ndindex(x.shape):\n"
            "        old = x[idx]\n"
            "        x[idx] = old + eps\n"
            "        grad[idx] = (f(x) - base) / eps\n"
            "        x[idx] = old\n"
            "    return grad"
        )},
        fails=["ex-03-numgrad"],
    ),
    dict(
        name="relative-error-without-zero-guard",
        replace={"answer-03-relerr": (
            "def relative_error(a, b, tiny=np.finfo(float).tiny):\n"
            "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
            "    return float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))"
        )},
        fails=["ex-03-relerr"],
    ),
    dict(
        name="forward-one-example-at-a-time",
        replace={"answer-03-forward": (
            "def forward(X, params, phi, psi):\n"
            "    a = [np.zeros((len(X), len(b))) for _, b in params]\n"
            "    h = [X] + [np.zeros((len(X), len(b))) for _, b in params]\n"
            "    for i in range(len(X)):\n"
            "        for k, (W, b) in enumerate(params):\n"
            "            a[k][i] = W @ h[k][i] + b\n"
            "            h[k + 1][i] = (psi if k == len(params) - 1 else phi)(a[k][i])\n"
            "    return a, h"
        )},
        fails=["ex-03-forward"],
    ),
    dict(
        name="forward-without-bias-alone",  # backward is graded with a reference forward: it keeps its points
        replace={"answer-03-forward": (
            "def forward(X, params, phi, psi):\n"
            "    a, h = [], [X]\n"
            "    for k, (W, b) in enumerate(params):\n"
            "        a.append(h[-1] @ W.T)\n"
            "        h.append((psi if k == len(params) - 1 else phi)(a[-1]))\n"
            "    return a, h"
        )},
        fails=["ex-03-forward"],
    ),
]

_HE = "def he_init(n_in, n_out, rng):\n    return {body}"
WRONG_ANSWERS += [
    dict(
        name="he-init-fan-out",
        replace={"answer-03-he-init": _HE.format(body="rng.normal(0.0, np.sqrt(2.0 / n_out), size=(n_out, n_in))")},
        fails=["ex-03-he-init"],
    ),
    dict(
        name="he-init-variance-as-standard-deviation",  # the sqrt is missing
        replace={"answer-03-he-init": _HE.format(body="rng.normal(0.0, 2.0 / n_in, size=(n_out, n_in))")},
        fails=["ex-03-he-init"],
    ),
    dict(
        name="he-init-without-the-factor-2",  # LeCun's 1/n_in: right for linear layers, not for ReLU
        replace={"answer-03-he-init": _HE.format(body="rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_out, n_in))")},
        fails=["ex-03-he-init"],
    ),
]

RIGHT_ANSWERS = [
    dict(
        name="he-init-scaled-standard-normal",
        replace={"answer-03-he-init": _HE.format(body="np.sqrt(2 / n_in) * rng.standard_normal((n_out, n_in))")},
    ),
]
