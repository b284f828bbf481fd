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
            "def numerical_gradient(f, x, h=1e-6):\n"
            "    grad = np.zeros(x.shape)\n"
            "    base = f(x)\n"
            "    for idx in np.ndindex(x.shape):\n"
            "        old = x[idx]\n"
            "        x[idx] = old + h\n"
            "        grad[idx] = (f(x) - base) / h\n"
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

WRONG_ANSWERS += [
    dict(
        name="numerical-gradient-ignores-its-step",  # always 1e-6, whatever h is passed
        replace={"answer-03-numgrad": (
            "def numerical_gradient(f, x, h=1e-6):\n"
            "    grad = np.zeros(x.shape)\n"
            "    for idx in np.ndindex(x.shape):\n"
            "        old = x[idx]\n"
            "        x[idx] = old + 1e-6\n"
            "        up = f(x)\n"
            "        x[idx] = old - 1e-6\n"
            "        down = f(x)\n"
            "        x[idx] = old\n"
            "        grad[idx] = (up - down) / 2e-6\n"
            "    return grad"
        )},
        fails=["ex-03-numgrad"],
    ),
    dict(
        name="relative-error-largest-entry",  # entry-wise, not one error for the whole array
        replace={"answer-03-relerr": (
            "def relative_error(a, b, tiny=np.finfo(float).tiny):\n"
            "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
            "    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), tiny)))"
        )},
        fails=["ex-03-relerr"],
    ),
    dict(
        name="softmax-gradient-not-averaged",
        replace={"answer-03-softmax-grad": "def softmax_cross_entropy_delta(A, Y):\n    return softmax(A) - Y"},
        fails=["ex-03-softmax-grad"],
    ),
]

_RNN = (
    "def rnn_forward(X, W_xh, W_hh, b, h0=None):\n"
    "    n, T, _ = X.shape\n"
    "    h = np.zeros((n, W_hh.shape[0])) if h0 is None else h0\n"
    "    states = []\n"
    "    for t in {steps}:\n"
    "        a = {recurrent} + X[:, t] @ W_xh.T + b\n"
    "        h = np.tanh(a)\n"
    "        states.append({kept})\n"
    "    return np.stack(states, axis=1){order}"
)
_RNN_RIGHT = dict(steps="range(T)", recurrent="h @ W_hh.T", kept="h", order="")
WRONG_ANSWERS += [
    dict(
        name="rnn-forward-recurrent-weights-transposed",  # h_(t-1) @ W_hh: Keras' layout for our W_hh
        replace={"answer-03-rnn-forward": _RNN.format(**{**_RNN_RIGHT, "recurrent": "h @ W_hh"})},
        fails=["ex-03-rnn-forward"],
    ),
    dict(
        name="rnn-forward-returns-pre-activations",  # the recurrence is right, the stored states are a_t
        replace={"answer-03-rnn-forward": _RNN.format(**{**_RNN_RIGHT, "kept": "a"})},
        fails=["ex-03-rnn-forward"],
    ),
    dict(
        name="rnn-forward-last-step-first",  # reads the sequence backwards, states stored in reading order
        replace={"answer-03-rnn-forward": _RNN.format(**{**_RNN_RIGHT, "steps": "reversed(range(T))",
                                                          "order": "[:, ::-1]"})},
        fails=["ex-03-rnn-forward"],
    ),
    dict(
        name="rnn-forward-ignores-h0",  # always starts from zeros
        replace={"answer-03-rnn-forward": (
            "def rnn_forward(X, W_xh, W_hh, b, h0=None):\n"
            "    h = np.zeros((X.shape[0], W_hh.shape[0]))\n"
            "    states = []\n"
            "    for t in range(X.shape[1]):\n"
            "        h = np.tanh(h @ W_hh.T + X[:, t] @ W_xh.T + b)\n"
            "        states.append(h)\n"
            "    return np.stack(states, axis=1)"
        )},
        fails=["ex-03-rnn-forward"],
    ),
    dict(
        name="rnn-forward-loop-over-sequences",  # right values, one sequence at a time
        replace={"answer-03-rnn-forward": (
            "def rnn_forward(X, W_xh, W_hh, b, h0=None):\n"
            "    n, T, _ = X.shape\n"
            "    H = np.zeros((n, T, W_hh.shape[0]))\n"
            "    for i in range(n):\n"
            "        h = np.zeros(W_hh.shape[0]) if h0 is None else h0[i]\n"
            "        for t in range(T):\n"
            "            h = np.tanh(W_hh @ h + W_xh @ X[i, t] + b)\n"
            "            H[i, t] = h\n"
            "    return H"
        )},
        fails=["ex-03-rnn-forward"],
    ),
]

# Correct answers written other valid ways: each must score full marks.
RIGHT_ANSWERS = [
    # Exercise 1: forward
    dict(
        name="forward-transposed-product",
        replace={"answer-03-forward": (
            "def forward(X, params, phi, psi):\n"
            "    a, h = [], [X]\n"
            "    for k, (W, b) in enumerate(params):\n"
            "        a.append(np.matmul(W, h[k].T).T + b)\n"
            "        h.append(psi(a[k]) if k == len(params) - 1 else phi(a[k]))\n"
            "    return a, h"
        )},
    ),
    dict(
        name="forward-hidden-layers-then-output-einsum",
        replace={"answer-03-forward": (
            "def forward(X, params, phi, psi):\n"
            "    a, h = [], [X]\n"
            "    *hidden, (W_out, b_out) = params\n"
            "    for W, b in hidden:\n"
            "        a.append(np.einsum('nj,kj->nk', h[-1], W) + b)\n"
            "        h.append(phi(a[-1]))\n"
            "    a.append(h[-1] @ W_out.T + b_out)\n"
            "    h.append(psi(a[-1]))\n"
            "    return a, h"
        )},
    ),
    # Exercise 2: regression_delta
    dict(
        name="delta-two-f-minus-y",
        replace={"answer-03-delta": (
            "def regression_delta(Y, a_out, f_out, dpsi):\n"
            "    return 2 * (f_out - Y) * dpsi(a_out) / len(Y)"
        )},
    ),
    dict(
        name="delta-multiply",
        replace={"answer-03-delta": (
            "def regression_delta(Y, a_out, f_out, dpsi):\n"
            "    n = np.shape(Y)[0]\n"
            "    return np.multiply(-2.0 / n * (Y - f_out), dpsi(a_out))"
        )},
    ),
    # Exercise 3: backward
    dict(
        name="backward-reversed-range-insert",
        replace={"answer-03-backward": (
            "def backward(params, a, h, delta, dphi):\n"
            "    grads = []\n"
            "    for k in reversed(range(len(params))):\n"
            "        W, _ = params[k]\n"
            "        grads.insert(0, (delta.T @ h[k], np.sum(delta, axis=0)))\n"
            "        if k:\n"
            "            delta = dphi(a[k - 1]) * (delta @ W)\n"
            "    return grads"
        )},
    ),
    dict(
        name="backward-einsum-append-then-reverse",
        replace={"answer-03-backward": (
            "def backward(params, a, h, delta, dphi):\n"
            "    grads = []\n"
            "    k = len(params)\n"
            "    while k > 0:\n"
            "        k -= 1\n"
            "        W = params[k][0]\n"
            "        grads.append([np.einsum('ni,nj->ij', delta, h[k]), delta.sum(0)])\n"
            "        if k > 0:\n"
            "            delta = (W.T @ delta.T).T * dphi(a[k - 1])\n"
            "    return grads[::-1]"
        )},
    ),
    # Exercise 4: numerical_gradient
    dict(
        name="numerical-gradient-nditer",
        replace={"answer-03-numgrad": (
            "def numerical_gradient(f, x, h=1e-6):\n"
            "    grad = np.zeros_like(x, dtype=float)\n"
            "    it = np.nditer(x, flags=['multi_index'])\n"
            "    for _ in it:\n"
            "        i = it.multi_index\n"
            "        saved = x[i]\n"
            "        x[i] = saved + h\n"
            "        up = f(x)\n"
            "        x[i] = saved - h\n"
            "        down = f(x)\n"
            "        x[i] = saved\n"
            "        grad[i] = (up - down) / (2 * h)\n"
            "    return grad"
        )},
    ),
    dict(
        name="numerical-gradient-flat-index",
        replace={"answer-03-numgrad": (
            "def numerical_gradient(f, x, eps=1e-6):  # another name for the step: the tests pass it by position\n"
            "    grad = np.empty(x.shape)\n"
            "    for j in range(x.size):\n"
            "        old = x.flat[j]\n"
            "        x.flat[j] = old + eps\n"
            "        up = f(x)\n"
            "        x.flat[j] = old - eps\n"
            "        down = f(x)\n"
            "        x.flat[j] = old\n"
            "        grad.flat[j] = (up - down) / (2 * eps)\n"
            "    return grad"
        )},
    ),
    dict(
        name="numerical-gradient-perturbs-copies",
        replace={"answer-03-numgrad": (
            "def numerical_gradient(f, x, h=1e-6):\n"
            "    grad = np.zeros(np.shape(x))\n"
            "    for idx in np.ndindex(*np.shape(x)):\n"
            "        up, down = x.copy(), x.copy()\n"
            "        up[idx] += h\n"
            "        down[idx] -= h\n"
            "        grad[idx] = (f(up) - f(down)) / (2 * h)\n"
            "    return grad"
        )},
    ),
    # Exercise 5: relative_error
    dict(
        name="relative-error-np-maximum",  # a NumPy float64 is a Python float
        replace={"answer-03-relerr": (
            "def relative_error(a, b, tiny=np.finfo(float).tiny):\n"
            "    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)\n"
            "    return np.linalg.norm(a - b) / np.maximum(np.linalg.norm(a) + np.linalg.norm(b), tiny)"
        )},
    ),
    dict(
        name="relative-error-zero-branch-and-sqrt-of-sums",
        replace={"answer-03-relerr": (
            "def relative_error(a, b, tiny=np.finfo(float).tiny):\n"
            "    a, b = np.array(a, dtype=float), np.array(b, dtype=float)\n"
            "    size = np.sqrt(np.sum(a * a)) + np.sqrt(np.sum(b * b))\n"
            "    if size == 0:\n"
            "        return 0.0\n"
            "    return float(np.sqrt(np.sum((a - b) ** 2)) / max(size, tiny))"
        )},
    ),
    # Exercise 6: softmax_cross_entropy_delta
    dict(
        name="softmax-gradient-log-sum-exp",
        replace={"answer-03-softmax-grad": (
            "def softmax_cross_entropy_delta(A, Y):\n"
            "    Z = A - np.max(A, axis=1, keepdims=True)\n"
            "    log_p = Z - np.log(np.sum(np.exp(Z), axis=1, keepdims=True))\n"
            "    return (np.exp(log_p) - Y) / len(A)"
        )},
    ),
    dict(
        name="softmax-gradient-scipy-and-label-indexing",  # subtract 1 at each row's label, in place
        replace={"answer-03-softmax-grad": (
            "def softmax_cross_entropy_delta(A, Y):\n"
            "    from scipy.special import softmax as scipy_softmax\n"
            "    G = scipy_softmax(A, axis=1)\n"
            "    G[np.arange(len(A)), np.argmax(Y, axis=1)] -= 1\n"
            "    G /= len(A)\n"
            "    return G"
        )},
    ),
    # Exercise 7: he_init
    dict(
        name="he-init-scaled-standard-normal",
        replace={"answer-03-he-init": _HE.format(body="np.sqrt(2 / n_in) * rng.standard_normal((n_out, n_in))")},
    ),
    dict(
        name="he-init-keywords",
        replace={"answer-03-he-init": _HE.format(body="rng.normal(scale=(2.0 / n_in) ** 0.5, size=(n_out, n_in))")},
    ),
    dict(
        name="he-init-drawn-transposed",  # the same distribution, drawn as Keras' (n_in, n_out) kernel
        replace={"answer-03-he-init": _HE.format(body="rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out)).T")},
    ),
    # Exercise 8: rnn_forward
    dict(
        name="rnn-forward-preallocated-einsum",
        replace={"answer-03-rnn-forward": (
            "def rnn_forward(X, W_xh, W_hh, b, h0=None):\n"
            "    n, T, d = X.shape\n"
            "    H = np.empty((n, T, len(b)))\n"
            "    h = h0 if h0 is not None else np.zeros((n, len(b)))\n"
            "    for t in range(T):\n"
            "        h = np.tanh(np.einsum('ij,nj->ni', W_hh, h) + np.einsum('ij,nj->ni', W_xh, X[:, t]) + b)\n"
            "        H[:, t, :] = h\n"
            "    return H"
        )},
    ),
    dict(
        name="rnn-forward-inputs-projected-once",  # W_xh x_t + b for every step in one product, then the recurrence
        replace={"answer-03-rnn-forward": (
            "def rnn_forward(X, W_xh, W_hh, b, h0=None):\n"
            "    U = X @ W_xh.T + b\n"
            "    h = np.zeros_like(U[:, 0]) if h0 is None else np.array(h0, dtype=float)\n"
            "    out = []\n"
            "    for u in np.moveaxis(U, 1, 0):\n"
            "        h = np.tanh(u + h @ W_hh.T)\n"
            "        out.append(h)\n"
            "    return np.array(out).transpose(1, 0, 2)"
        )},
    ),
    dict(
        name="rnn-forward-column-states",  # the slides' orientation: states as columns, W_hh @ h
        replace={"answer-03-rnn-forward": (
            "def rnn_forward(X, W_xh, W_hh, b, h0=None):\n"
            "    n, T, d = X.shape\n"
            "    if h0 is None:\n"
            "        h0 = np.zeros((n, W_hh.shape[0]))\n"
            "    h = h0.T\n"
            "    H = np.zeros((n, T, W_hh.shape[0]))\n"
            "    for t in range(1, T + 1):\n"
            "        h = np.tanh(W_hh @ h + W_xh @ X[:, t - 1].T + b[:, None])\n"
            "        H[:, t - 1] = h.T\n"
            "    return H"
        )},
    ),
]
