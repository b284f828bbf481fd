"""Plausible wrong answers to 01_neuron. Each entry replaces answer cells (by grade_id)
of the solution; the round trip checks that every test cell in ``fails`` loses points."""

WRONG_ANSWERS = [
    dict(
        name="sigmoid-textbook-formula-overflows",
        replace={"answer-01-sigmoid": "def sigmoid(x):\n    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))"},
        fails=["ex-01-sigmoid-stable"],
    ),
    dict(
        # Clipped "to avoid the overflow" at a bound so small that the tails are visibly wrong:
        # sigma(-10) is 4.5e-5, not 0. (A clip at +-30 is within 1e-13 of the truth: a right answer.)
        name="sigmoid-clipped-at-10-wrong-tails",
        replace={"answer-01-sigmoid": (
            "def sigmoid(x):\n"
            "    x = np.clip(np.asarray(x, dtype=float), -10, 10)\n"
            "    return 1 / (1 + np.exp(-x))"
        )},
        fails=["ex-01-sigmoid", "ex-01-sigmoid-stable"],
    ),
    dict(
        name="sigmoid-in-place",
        replace={"answer-01-sigmoid": (
            "def sigmoid(x):\n"
            "    x = np.asarray(x, dtype=float)  # no copy when x is already a float array\n"
            "    pos = x >= 0\n"
            "    x[pos] = 1 / (1 + np.exp(-x[pos]))\n"
            "    x[~pos] = np.exp(x[~pos]) / (1 + np.exp(x[~pos]))\n"
            "    return x"
        )},
        fails=["ex-01-sigmoid"],
    ),
    dict(
        name="threshold-strict-inequality",
        replace={"answer-01-activations": (
            "def tanh(x):\n    return np.tanh(np.asarray(x, dtype=float))\n\n"
            "def threshold(x, beta=0.0):\n    return (np.asarray(x) > beta).astype(float)\n\n"
            "def relu(x):\n    return np.maximum(np.asarray(x, dtype=float), 0.0)"
        )},
        fails=["ex-01-threshold"],
    ),
    dict(
        name="tanh-from-exponentials",
        replace={"answer-01-activations": (
            "def tanh(x):\n    x = np.asarray(x, dtype=float)\n"
            "    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))\n\n"
            "def threshold(x, beta=0.0):\n    return (np.asarray(x) >= beta).astype(float)\n\n"
            "def relu(x):\n    return np.maximum(np.asarray(x, dtype=float), 0.0)"
        )},
        fails=["ex-01-tanh"],
    ),
    dict(
        name="sigmoid-prime-sign-error-and-relu-prime-at-zero",
        replace={"answer-01-derivatives": (
            "def sigmoid_prime(x):\n    s = sigmoid(x)\n    return s * (1 + s)\n\n"
            "def tanh_prime(x):\n    return 1 - tanh(x) ** 2\n\n"
            "def relu_prime(x):\n    return (np.asarray(x) >= 0).astype(float)"
        )},
        fails=["ex-01-derivatives"],
    ),
    dict(
        name="relu-prime-at-zero-is-one",
        replace={"answer-01-derivatives": (
            "def sigmoid_prime(x):\n    s = sigmoid(x)\n    return s * (1 - s)\n\n"
            "def tanh_prime(x):\n    return 1 - tanh(x) ** 2\n\n"
            "def relu_prime(x):\n    return (np.asarray(x) >= 0).astype(float)"
        )},
        fails=["ex-01-derivatives"],
    ),
    dict(
        name="bias-outside-activation",
        replace={"answer-01-forward": "def neuron_forward(X, w, b, phi):\n    return phi(X @ w) + b"},
        fails=["ex-01-forward"],
    ),
    dict(
        name="dense-bias-left-at-zero",
        replace={"answer-01-dense": (
            "def dense_neuron(w, b, activation):\n"
            "    layer = keras.layers.Dense(1, activation=activation)\n"
            "    layer.build((None, len(w)))\n"
            "    layer.set_weights([np.asarray(w, dtype='float32').reshape(-1, 1), np.zeros(1, dtype='float32')])\n"
            "    return layer"
        )},
        fails=["ex-01-dense"],
    ),
    dict(
        name="dense-activation-ignored",
        replace={"answer-01-dense": (
            "def dense_neuron(w, b, activation):\n"
            "    layer = keras.layers.Dense(1)\n"
            "    layer.build((None, len(w)))\n"
            "    layer.set_weights([np.asarray(w, dtype='float32').reshape(-1, 1), np.array([b], dtype='float32')])\n"
            "    return layer"
        )},
        fails=["ex-01-dense"],
    ),
    dict(
        name="sigmoid-sign-slip-alone",  # the later exercises are graded with references: they keep their points
        replace={"answer-01-sigmoid": "def sigmoid(x):\n    return 0.5 * (1.0 + np.tanh(-0.5 * np.asarray(x, dtype=float)))"},
        fails=["ex-01-sigmoid", "ex-01-sigmoid-stable"],
    ),
    dict(
        name="neuron-forward-loops-over-the-examples",
        replace={"answer-01-forward": (
            "def neuron_forward(X, w, b, phi):\n"
            "    X = np.asarray(X, dtype=float)\n"
            "    return np.array([phi(np.dot(x, w) + b) for x in X])"
        )},
        fails=["ex-01-forward"],
    ),
]

_ACTIVATIONS = (
    "def tanh(x):\n    {tanh}\n\n"
    "def threshold(x, beta=0.0):\n    {threshold}\n\n"
    "def relu(x):\n    {relu}"
)
_DERIVATIVES = (
    "def sigmoid_prime(x):\n    {sigmoid_prime}\n\n"
    "def tanh_prime(x):\n    {tanh_prime}\n\n"
    "def relu_prime(x):\n    {relu_prime}"
)
_DENSE = "def dense_neuron(w, b, activation):\n    {body}"

#: Correct answers written other valid ways: each must score full marks.
RIGHT_ANSWERS = [
    # ---- sigmoid: any overflow-free formula, float32 included (the text asks 1e-7, absolute)
    dict(name="sigmoid-tanh-form", replace={"answer-01-sigmoid": (
        "def sigmoid(x):\n    return 0.5 * (1 + np.tanh(np.asarray(x, dtype=float) / 2))")}),
    dict(name="sigmoid-scipy-expit", replace={"answer-01-sigmoid": (
        "from scipy.special import expit\n\n"
        "def sigmoid(x):\n    return expit(np.asarray(x, dtype=float))")}),
    dict(name="sigmoid-logaddexp", replace={"answer-01-sigmoid": (
        "def sigmoid(x):\n    return np.exp(-np.logaddexp(0.0, -np.asarray(x, dtype=float)))")}),
    dict(name="sigmoid-vectorize-math", replace={"answer-01-sigmoid": (
        "import math\n\n"
        "def _sigmoid_one(t):\n"
        "    if t >= 0:\n        return 1.0 / (1.0 + math.exp(-t))\n"
        "    z = math.exp(t)\n    return z / (1.0 + z)\n\n"
        "def sigmoid(x):\n    return np.vectorize(_sigmoid_one, otypes=[float])(x)")}),
    dict(name="sigmoid-masks-on-a-copy", replace={"answer-01-sigmoid": (
        "def sigmoid(x):\n"
        "    x = np.array(x, dtype=float)  # a copy\n"
        "    out = np.empty_like(x)\n"
        "    pos = x >= 0\n"
        "    out[pos] = 1 / (1 + np.exp(-x[pos]))\n"
        "    z = np.exp(x[~pos])\n"
        "    out[~pos] = z / (1 + z)\n"
        "    return out")}),
    dict(name="sigmoid-clipped-at-30", replace={"answer-01-sigmoid": (
        "def sigmoid(x):\n    return 1 / (1 + np.exp(-np.clip(np.asarray(x, dtype=float), -30, 30)))")}),
    dict(name="sigmoid-float32", replace={"answer-01-sigmoid": (
        "def sigmoid(x):\n"
        "    x = np.asarray(x, dtype=np.float32)\n"
        "    z = np.exp(-np.abs(x))\n"
        "    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))")}),
    # ---- tanh, threshold, relu
    dict(name="activations-where-heaviside-clip", replace={"answer-01-activations": _ACTIVATIONS.format(
        tanh="x = np.asarray(x, dtype=float)\n    return np.where(x >= 0, 1, -1) * (1 - np.exp(-2 * np.abs(x))) / (1 + np.exp(-2 * np.abs(x)))",
        threshold="return np.heaviside(np.asarray(x, dtype=float) - beta, 1.0)",
        relu="return np.clip(np.asarray(x, dtype=float), 0.0, None)")}),
    dict(name="activations-masks-and-products", replace={"answer-01-activations": _ACTIVATIONS.format(
        tanh="return 2 / (1 + np.exp(-2 * np.clip(np.asarray(x, dtype=float), -50, 50))) - 1",
        threshold="return np.where(np.asarray(x) >= beta, 1.0, 0.0)",
        relu="x = np.asarray(x, dtype=float)\n    return x * (x > 0)")}),
    dict(name="activations-from-lists", replace={"answer-01-activations": _ACTIVATIONS.format(
        tanh="return np.array(np.tanh(x), dtype=float)",
        threshold="x = np.asarray(x, dtype=float)\n    out = np.zeros_like(x)\n    out[x >= beta] = 1.0\n    return out",
        relu="x = np.array(x, dtype=float)\n    x[x < 0] = 0.0  # on a copy\n    return x")}),
    # ---- derivatives
    dict(name="derivatives-direct-formulas", replace={"answer-01-derivatives": _DERIVATIVES.format(
        sigmoid_prime="z = np.exp(-np.abs(np.asarray(x, dtype=float)))  # sigma' is even\n    return z / (1 + z) ** 2",
        tanh_prime="t = np.tanh(np.asarray(x, dtype=float))\n    return (1 - t) * (1 + t)",
        relu_prime="return np.heaviside(np.asarray(x, dtype=float), 0.0)")}),
    dict(name="derivatives-where", replace={"answer-01-derivatives": _DERIVATIVES.format(
        sigmoid_prime="s = 0.5 * (1 + np.tanh(np.asarray(x, dtype=float) / 2))\n    return s - s * s",
        tanh_prime="return 1 / np.cosh(np.clip(np.asarray(x, dtype=float), -300, 300)) ** 2",
        relu_prime="return np.where(np.asarray(x) > 0, 1.0, 0.0)")}),
    # ---- neuron_forward
    dict(name="forward-np-dot", replace={"answer-01-forward": (
        "def neuron_forward(X, w, b, phi):\n    return phi(np.dot(X, w) + b)")}),
    dict(name="forward-einsum", replace={"answer-01-forward": (
        "def neuron_forward(X, w, b, phi):\n    return phi(np.einsum('nd,d->n', X, w) + b)")}),
    dict(name="forward-broadcast-sum", replace={"answer-01-forward": (
        "def neuron_forward(X, w, b, phi):\n    return phi((np.asarray(X) * np.asarray(w)).sum(axis=1) + b)")}),
    dict(name="forward-matmul-column", replace={"answer-01-forward": (
        "def neuron_forward(X, w, b, phi):\n    return phi(np.matmul(X, np.reshape(w, (-1, 1))) + b)[:, 0]")}),
    # ---- dense_neuron
    dict(name="dense-assign", replace={"answer-01-dense": _DENSE.format(body=(
        "layer = keras.layers.Dense(1, activation=activation)\n"
        "    layer.build((None, len(w)))\n"
        "    layer.kernel.assign(np.reshape(w, (-1, 1)).astype('float32'))\n"
        "    layer.bias.assign(np.array([b], dtype='float32'))\n"
        "    return layer"))}),
    dict(name="dense-constant-initializers", replace={"answer-01-dense": _DENSE.format(body=(
        "layer = keras.layers.Dense(1, activation=activation,\n"
        "                           kernel_initializer=keras.initializers.Constant(np.reshape(w, (-1, 1))),\n"
        "                           bias_initializer=keras.initializers.Constant(b))\n"
        "    layer.build((None, len(w)))\n"
        "    return layer"))}),
    dict(name="dense-built-in-a-sequential", replace={"answer-01-dense": _DENSE.format(body=(
        "layer = keras.layers.Dense(1, activation=activation)\n"
        "    keras.Sequential([keras.Input(shape=(len(w),)), layer])\n"
        "    layer.set_weights([np.asarray(w, dtype='float32')[:, None], np.float32([b])])\n"
        "    return layer"))}),
    dict(name="dense-built-by-a-call", replace={"answer-01-dense": _DENSE.format(body=(
        "layer = keras.layers.Dense(1, activation=activation)\n"
        "    layer(np.zeros((1, len(w)), dtype='float32'))\n"
        "    layer.set_weights([np.asarray(w, dtype='float32').reshape(len(w), 1), np.asarray([b], dtype='float32')])\n"
        "    return layer"))}),
]
