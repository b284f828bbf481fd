"""Plausible wrong answers to 01_neuron. Each entry replaces answer cells (by grade_id)
of the solution; the round trip checks that every test cell in ``fails`` loses points."""

WRONG_ANSWERS = [
    dict(
        name="sigmoid-textbook-formula-overflows",
        replace={"answer-01-sigmoid": "def sigmoid(x):\n    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))"},
        fails=["ex-01-sigmoid-stable"],
    ),
    dict(
        name="sigmoid-clipped-loses-precision",
        replace={"answer-01-sigmoid": (
            "def sigmoid(x):\n"
            "    x = np.clip(np.asarray(x, dtype=float), -30, 30)\n"
            "    return 1 / (1 + np.exp(-x))"
        )},
        fails=["ex-01-sigmoid-stable"],
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
        fails=["ex-01-sigmoid"],
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
