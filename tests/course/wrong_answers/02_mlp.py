"""Plausible wrong answers to 02_mlp. Each entry replaces answer cells (by grade_id)
of the solution; the round trip checks that every test cell in ``fails`` loses points."""

_FORWARD = (
    "def mlp_forward(X, params, phi, psi):\n"
    "    H = np.asarray(X, dtype=float)\n"
    "    for k, (W, b) in enumerate(params):\n"
    "        A = {affine}\n"
    "        H = psi(A) if k == len(params) - 1 else phi(A)\n"
    "    return H"
)

_KERAS = (
    "def keras_mlp(params, activation, output_activation):\n"
    "    d = np.shape(params[0][0])[1]\n"
    "    layers = [keras.Input(shape=(d,))]\n"
    "    for k, (W, _) in enumerate(params):\n"
    "        last = k == len(params) - 1\n"
    "        layers.append(keras.layers.Dense(np.shape(W)[0], activation=output_activation if last else activation))\n"
    "    model = keras.Sequential(layers)\n"
    "    weights = []\n"
    "    for W, b in params:\n"
    "        weights += [{kernel}, np.asarray(b, dtype='float32')]\n"
    "    model.set_weights(weights)\n"
    "    return model"
)

_LOSSES = (
    "EPSILON = 1e-7\n\n"
    "def squared_l2_loss(Y, F):\n"
    "    return float({l2})\n\n"
    "def binary_cross_entropy(y, p):\n"
    "    y = np.asarray(y, dtype=float)\n"
    "    p = {clip_p}\n"
    "    return float(-np.{reduce}(y * np.log(p) + (1 - y) * np.log(1 - p)))\n\n"
    "def categorical_cross_entropy(Y, P):\n"
    "    Y = np.asarray(Y, dtype=float)\n"
    "    P = {clip_P}\n"
    "    return float(-np.{reduce}(np.sum(Y * np.log(P), axis=-1)))"
)

WRONG_ANSWERS = [
    dict(
        name="softmax-without-max-shift-overflows",
        replace={"answer-02-softmax": (
            "def softmax(Z):\n"
            "    E = np.exp(np.asarray(Z, dtype=float))\n"
            "    return E / E.sum(axis=-1, keepdims=True)"
        )},
        fails=["ex-02-softmax-stable"],
    ),
    dict(
        name="softmax-normalised-over-the-batch-axis",
        replace={"answer-02-softmax": (
            "def softmax(Z):\n"
            "    Z = np.asarray(Z, dtype=float)\n"
            "    E = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
            "    return E / E.sum(axis=0, keepdims=True)"
        )},
        fails=["ex-02-softmax"],
    ),
    dict(
        # W used as if it were Keras' kernel: X @ W, and kernel = W without the transpose.
        name="weights-not-transposed",
        replace={
            "answer-02-forward": _FORWARD.format(affine="H @ np.asarray(W, dtype=float) + b"),
            "answer-02-keras": _KERAS.format(kernel="np.asarray(W, dtype='float32').reshape(np.shape(W)[::-1])"),
        },
        fails=["ex-02-forward", "ex-02-keras"],
    ),
    dict(
        name="bias-forgotten-in-forward-pass-and-parameter-count",
        replace={
            "answer-02-forward": _FORWARD.format(affine="H @ np.asarray(W, dtype=float).T"),
            "answer-02-params": (
                "def count_parameters(layer_sizes):\n"
                "    return int(sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])))"
            ),
        },
        fails=["ex-02-forward", "ex-02-params"],
    ),
    dict(
        # Sums over the batch instead of averaging, and no clipping: log(0) = -inf.
        name="losses-summed-over-the-batch-and-not-clipped",
        replace={"answer-02-losses": _LOSSES.format(
            l2="np.sum((np.asarray(Y) - np.asarray(F)) ** 2)",
            clip_p="np.asarray(p, dtype=float)",
            clip_P="np.asarray(P, dtype=float)",
            reduce="sum",
        )},
        fails=["ex-02-squared-l2", "ex-02-bce", "ex-02-cce"],
    ),
    dict(
        # Keras' MSE (mean over the K outputs too); biases penalised; gradient W instead of 2W.
        name="mse-over-outputs-penalty-with-biases-gradient-without-2",
        replace={
            "answer-02-losses": _LOSSES.format(
                l2="np.mean((np.asarray(Y) - np.asarray(F)) ** 2)",
                clip_p="np.clip(np.asarray(p, dtype=float), EPSILON, 1 - EPSILON)",
                clip_P="np.clip(np.asarray(P, dtype=float), EPSILON, 1 - EPSILON)",
                reduce="mean",
            ),
            "answer-02-penalty": (
                "def penalty(params, kind='l2'):\n"
                "    f = np.square if kind == 'l2' else np.abs\n"
                "    return float(sum(np.sum(f(W)) + np.sum(f(b)) for W, b in params))\n\n"
                "def l2_penalty_gradient(params):\n"
                "    return [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in params]"
            ),
        },
        fails=["ex-02-squared-l2", "ex-02-penalty", "ex-02-penalty-gradient"],
    ),
    dict(
        name="softmax-without-normalising-alone",  # forward, Keras and loss tests keep their points
        replace={"answer-02-softmax": "def softmax(Z):\n    Z = np.asarray(Z, dtype=float)\n    return np.exp(Z - Z.max(axis=-1, keepdims=True))"},
        fails=["ex-02-softmax"],
    ),
    dict(
        name="forward-loops-over-the-examples",
        replace={"answer-02-forward": (
            "def mlp_forward(X, params, phi, psi):\n"
            "    rows = []\n"
            "    for x in np.asarray(X, dtype=float):\n"
            "        h = x\n"
            "        for k, (W, b) in enumerate(params):\n"
            "            a = np.asarray(W, dtype=float) @ h + b\n"
            "            h = psi(a) if k == len(params) - 1 else phi(a)\n"
            "        rows.append(h)\n"
            "    return np.array(rows)"
        )},
        fails=["ex-02-forward"],
    ),
]
