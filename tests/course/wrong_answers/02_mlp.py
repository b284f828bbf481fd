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
    "TAU = 1e-7\n\n"
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
                clip_p="np.clip(np.asarray(p, dtype=float), TAU, 1 - TAU)",
                clip_P="np.clip(np.asarray(P, dtype=float), TAU, 1 - TAU)",
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

_LOSSES_ANY = (
    "TAU = 1e-7\n\n"
    "def squared_l2_loss(Y, F):\n    {l2}\n\n"
    "def binary_cross_entropy(y, p):\n    {bce}\n\n"
    "def categorical_cross_entropy(Y, P):\n    {cce}"
)
_PENALTY = (
    "def penalty(params, kind='l2'):\n    {penalty}\n\n"
    "def l2_penalty_gradient(params):\n    {gradient}"
)

#: Correct answers written other valid ways: each must score full marks.
RIGHT_ANSWERS = [
    # ---- softmax
    dict(name="softmax-scipy", replace={"answer-02-softmax": (
        "from scipy.special import softmax as _scipy_softmax\n\n"
        "def softmax(Z):\n    return _scipy_softmax(np.asarray(Z, dtype=float), axis=-1)")}),
    dict(name="softmax-logsumexp", replace={"answer-02-softmax": (
        "from scipy.special import logsumexp\n\n"
        "def softmax(Z):\n"
        "    Z = np.asarray(Z, dtype=float)\n"
        "    return np.exp(Z - logsumexp(Z, axis=-1, keepdims=True))")}),
    dict(name="softmax-keras-ops", replace={"answer-02-softmax": (
        "def softmax(Z):\n"
        "    return keras.ops.convert_to_numpy(keras.ops.softmax(np.asarray(Z, dtype=float), axis=-1))")}),
    dict(name="softmax-row-by-row", replace={"answer-02-softmax": (
        "def _softmax_row(z):\n"
        "    e = np.exp(z - np.max(z))\n"
        "    return e / np.sum(e)\n\n"
        "def softmax(Z):\n    return np.apply_along_axis(_softmax_row, -1, np.asarray(Z, dtype=float))")}),
    # ---- forward pass
    dict(name="forward-functools-reduce", replace={"answer-02-forward": (
        "from functools import reduce\n\n"
        "def mlp_forward(X, params, phi, psi):\n"
        "    *hidden, (W_out, b_out) = params\n"
        "    H = reduce(lambda H, Wb: phi(H @ np.transpose(Wb[0]) + Wb[1]), hidden, np.asarray(X, dtype=float))\n"
        "    return psi(H @ np.transpose(W_out) + b_out)")}),
    dict(name="forward-einsum-and-slices", replace={"answer-02-forward": (
        "def mlp_forward(X, params, phi, psi):\n"
        "    H = np.asarray(X, dtype=float)\n"
        "    for W, b in params[:-1]:\n"
        "        H = phi(np.einsum('nl,ml->nm', H, W) + b)\n"
        "    W, b = params[-1]\n"
        "    return psi(np.einsum('nl,ml->nm', H, W) + b)")}),
    dict(name="forward-columns-then-transpose", replace={"answer-02-forward": (
        "def mlp_forward(X, params, phi, psi):\n"
        "    H = np.asarray(X, dtype=float).T  # one example per column, as in the formulas\n"
        "    for k, (W, b) in enumerate(params):\n"
        "        A = (W @ H + np.reshape(b, (-1, 1))).T  # activations work on rows (softmax)\n"
        "        H = (psi(A) if k == len(params) - 1 else phi(A)).T\n"
        "    return H.T")}),
    # ---- Keras model
    dict(name="keras-functional-api", replace={"answer-02-keras": (
        "def keras_mlp(params, activation, output_activation):\n"
        "    inputs = keras.Input(shape=(np.shape(params[0][0])[1],))\n"
        "    h = inputs\n"
        "    for k, (W, b) in enumerate(params):\n"
        "        layer = keras.layers.Dense(np.shape(W)[0], activation=output_activation if k == len(params) - 1 else activation)\n"
        "        h = layer(h)\n"
        "        layer.set_weights([np.asarray(W, dtype='float32').T, np.asarray(b, dtype='float32')])\n"
        "    return keras.Model(inputs, h)")}),
    dict(name="keras-sequential-add-constant-initializers", replace={"answer-02-keras": (
        "def keras_mlp(params, activation, output_activation):\n"
        "    model = keras.Sequential()\n"
        "    model.add(keras.Input(shape=(np.shape(params[0][0])[1],)))\n"
        "    for k, (W, b) in enumerate(params):\n"
        "        model.add(keras.layers.Dense(\n"
        "            np.shape(W)[0], activation=output_activation if k == len(params) - 1 else activation,\n"
        "            kernel_initializer=keras.initializers.Constant(np.transpose(W)),\n"
        "            bias_initializer=keras.initializers.Constant(b)))\n"
        "    return model")}),
    dict(name="keras-sequential-build-and-layer-weights", replace={"answer-02-keras": (
        "def keras_mlp(params, activation, output_activation):\n"
        "    names = [activation] * (len(params) - 1) + [output_activation]\n"
        "    model = keras.Sequential([keras.layers.Dense(len(b), activation=a) for (W, b), a in zip(params, names)])\n"
        "    model.build((None, np.shape(params[0][0])[1]))\n"
        "    for layer, (W, b) in zip(model.layers, params):\n"
        "        layer.set_weights([np.array(W, dtype='float32').T, np.array(b, dtype='float32')])\n"
        "    return model")}),
    # ---- parameter count
    dict(name="params-loop", replace={"answer-02-params": (
        "def count_parameters(layer_sizes):\n"
        "    total = 0\n"
        "    for k in range(1, len(layer_sizes)):\n"
        "        total += layer_sizes[k - 1] * layer_sizes[k] + layer_sizes[k]\n"
        "    return int(total)")}),
    dict(name="params-comprehension", replace={"answer-02-params": (
        "def count_parameters(layer_sizes):\n"
        "    return sum([n_in * n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:])])")}),
    dict(name="params-numpy", replace={"answer-02-params": (
        "def count_parameters(layer_sizes):\n"
        "    s = np.asarray(layer_sizes)\n"
        "    return int(np.sum((s[:-1] + 1) * s[1:]))")}),
    dict(name="params-keras-count-params", replace={"answer-02-params": (
        "def count_parameters(layer_sizes):\n"
        "    sizes = [int(n) for n in layer_sizes]\n"
        "    model = keras.Sequential([keras.Input(shape=(sizes[0],))] + [keras.layers.Dense(n) for n in sizes[1:]])\n"
        "    return int(model.count_params())")}),
    # ---- losses
    # Keras' float64 is float32 on JAX without its 64-bit mode: graded where Keras computes float64.
    dict(name="losses-keras-float64", needs_keras_float64=True, replace={"answer-02-losses": _LOSSES_ANY.format(
        l2="Y, F = np.asarray(Y, dtype=float), np.asarray(F, dtype=float)\n"
           "    return float(Y.shape[-1] * keras.losses.MeanSquaredError(dtype='float64')(Y, F))",
        bce="return float(keras.losses.BinaryCrossentropy(dtype='float64')(np.asarray(y, dtype=float), np.asarray(p, dtype=float)))",
        cce="return float(keras.losses.CategoricalCrossentropy(dtype='float64')(np.asarray(Y, dtype=float), np.asarray(P, dtype=float)))")}),
    dict(name="losses-einsum-where-and-true-class", replace={"answer-02-losses": _LOSSES_ANY.format(
        l2="D = np.asarray(Y, dtype=float) - np.asarray(F, dtype=float)\n"
           "    return float(np.einsum('ij,ij->', D, D) / len(D))",
        bce="p = np.clip(np.asarray(p, dtype=float), TAU, 1 - TAU)\n"
            "    return float(-np.mean(np.where(np.asarray(y) == 1, np.log(p), np.log(1 - p))))",
        cce="P = np.clip(np.asarray(P, dtype=float), TAU, 1 - TAU)\n"
            "    return float(-np.mean(np.log(P[np.arange(len(P)), np.argmax(Y, axis=1)])))")}),
    dict(name="losses-norms-and-loops", replace={"answer-02-losses": _LOSSES_ANY.format(
        l2="return float(np.mean(np.linalg.norm(np.asarray(Y, dtype=float) - np.asarray(F, dtype=float), axis=1) ** 2))",
        bce="total = 0.0\n"
            "    for yi, pi in zip(y, p):\n"
            "        pi = min(max(float(pi), TAU), 1 - TAU)\n"
            "        total -= np.log(pi) if yi == 1 else np.log(1 - pi)\n"
            "    return float(total / len(y))",
        cce="logs = np.log(np.clip(np.asarray(P, dtype=float), TAU, 1 - TAU))\n"
            "    return float(-np.sum(np.asarray(Y) * logs) / len(logs))")}),
    # ---- penalty and its gradient
    dict(name="penalty-frobenius-norm", replace={"answer-02-penalty": _PENALTY.format(
        penalty="if kind == 'l2':\n"
                "        return float(sum(np.linalg.norm(W, 'fro') ** 2 for W, _ in params))\n"
                "    return float(sum(np.linalg.norm(np.ravel(W), 1) for W, _ in params))",
        gradient="grads = []\n"
                 "    for W, b in params:\n"
                 "        grads.append((2 * np.asarray(W, dtype=float), np.zeros_like(b, dtype=float)))\n"
                 "    return grads")}),
    dict(name="penalty-einsum-and-products", replace={"answer-02-penalty": _PENALTY.format(
        penalty="terms = {'l2': lambda W: np.einsum('ml,ml->', W, W), 'l1': lambda W: np.sum(np.abs(W))}[kind]\n"
                "    return float(sum(terms(np.asarray(W, dtype=float)) for W, _ in params))",
        gradient="return [(np.asarray(W, dtype=float) + np.asarray(W, dtype=float), 0.0 * np.asarray(b, dtype=float))\n"
                 "            for W, b in params]")}),
    dict(name="penalty-sum-of-w-times-w", replace={"answer-02-penalty": _PENALTY.format(
        penalty="total = 0.0\n"
                "    for W, _ in params:\n"
                "        W = np.asarray(W, dtype=float)\n"
                "        total += np.sum(W * W) if kind == 'l2' else np.sum(np.abs(W))\n"
                "    return float(total)",
        gradient="return [(2.0 * np.array(W, dtype=float), np.zeros(len(b))) for W, b in params]")}),
]
