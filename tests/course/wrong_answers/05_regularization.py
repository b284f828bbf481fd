"""Plausible wrong answers to 05_regularization. Each entry replaces answer cells (by
grade_id) of the solution; the round trip checks that every test cell in ``fails`` loses
points."""

_FORWARD_HEAD = (
    "def dropout_forward(h, p, rng, training=True):\n"
    "    if not 0.0 <= p < 1.0:\n"
    "        raise ValueError(p)\n"
    "    h = np.asarray(h, dtype=float)\n"
)

WRONG_ANSWERS = [
    dict(
        name="dropout-without-rescaling",
        replace={
            "answer-05-dropout-forward": _FORWARD_HEAD + (
                "    if not training:\n"
                "        return h.copy(), np.ones(h.shape, dtype=bool)\n"
                "    mask = rng.random(h.shape) >= p\n"
                "    return h * mask, mask"
            ),
            "answer-05-dropout-backward": (
                "def dropout_backward(grad_out, mask, p):\n"
                "    return np.asarray(grad_out, dtype=float) * mask"
            ),
        },
        fails=["ex-05-dropout-forward", "ex-05-dropout-backward"],
    ),
    dict(
        name="dropout-active-at-test-time",
        replace={"answer-05-dropout-forward": _FORWARD_HEAD + (
            "    mask = rng.random(h.shape) >= p\n"
            "    return h * mask / (1.0 - p), mask"
        )},
        fails=["ex-05-dropout-test-time"],
    ),
    dict(
        name="p-read-as-keep-probability",
        replace={"answer-05-dropout-forward": _FORWARD_HEAD + (
            "    if not training:\n"
            "        return h.copy(), np.ones(h.shape, dtype=bool)\n"
            "    mask = rng.random(h.shape) < p\n"
            "    return h * mask / p, mask"
        )},
        fails=["ex-05-dropout-forward"],
    ),
    dict(
        name="backward-draws-a-new-mask",
        replace={"answer-05-dropout-backward": (
            "def dropout_backward(grad_out, mask, p):\n"
            "    new_mask = np.random.default_rng(0).random(np.shape(grad_out)) >= p\n"
            "    return np.asarray(grad_out, dtype=float) * new_mask / (1.0 - p)"
        )},
        fails=["ex-05-dropout-backward"],
    ),
    dict(
        name="dropout-rates-swapped-and-penalty-on-biases",
        replace={
            "answer-05-dropout-mlp": (
                "def dropout_mlp(n_inputs=784, n_hidden=(256, 256), n_classes=10):\n"
                "    layers = [keras.Input(shape=(n_inputs,)), keras.layers.Dropout(0.5)]\n"
                "    for units in n_hidden:\n"
                "        layers += [keras.layers.Dense(units, activation='relu'), keras.layers.Dropout(0.2)]\n"
                "    layers.append(keras.layers.Dense(n_classes, activation='softmax'))\n"
                "    return keras.Sequential(layers)"
            ),
            "answer-05-penalty": (
                "def l1_l2_penalty(model, l1=0.0, l2=0.0):\n"
                "    total = 0.0\n"
                "    for w in model.get_weights():  # kernels and biases alike\n"
                "        total += l1 * np.sum(np.abs(w)) + l2 * np.sum(w ** 2)\n"
                "    return float(total)"
            ),
        },
        fails=["ex-05-dropout-mlp", "ex-05-penalty"],
    ),
    dict(
        name="chosen-on-training-score-and-loss-maximised",
        replace={"answer-05-best-model": (
            "def best_model(val_scores, higher_is_better=True):\n"
            "    return max(val_scores, key=lambda name: val_scores[name])\n\n\n"
            "def best_from_histories(histories, metric='accuracy'):\n"
            "    best = None\n"
            "    for name, history in histories.items():\n"
            "        values = np.asarray(history[metric], dtype=float)  # training values\n"
            "        epoch = int(np.argmax(values))\n"
            "        if best is None or values[epoch] > best[0]:\n"
            "            best = (values[epoch], name, epoch + 1)\n"
            "    return best[1], best[2]"
        )},
        fails=["ex-05-best-model", "ex-05-best-from-histories"],
    ),
    dict(
        name="dropout-one-draw-for-every-unit",
        replace={"answer-05-dropout-forward": _FORWARD_HEAD + (
            "    if not training:\n"
            "        return h.copy(), np.ones(h.shape, dtype=bool)\n"
            "    mask = np.full(h.shape, rng.random() >= p)\n"
            "    return h * mask / (1.0 - p), mask"
        )},
        fails=["ex-05-dropout-forward"],
    ),
    dict(
        name="dropout-drawn-from-numpy-global-generator",
        replace={"answer-05-dropout-forward": _FORWARD_HEAD + (
            "    if not training:\n"
            "        return h.copy(), np.ones(h.shape, dtype=bool)\n"
            "    mask = np.random.random(h.shape) >= p\n"
            "    return h * mask / (1.0 - p), mask"
        )},
        fails=["ex-05-dropout-forward"],
    ),
]

#: Correct answers written another valid way: each must score full marks.
RIGHT_ANSWERS = [
    dict(
        name="dropout-keeps-where-u-below-1-minus-p",
        replace={"answer-05-dropout-forward": _FORWARD_HEAD + (
            "    if not training:\n"
            "        return h.copy(), np.ones(h.shape, dtype=bool)\n"
            "    mask = rng.random(h.shape) < 1.0 - p\n"
            "    return h * mask / (1.0 - p), mask"
        )},
    ),
    dict(
        name="dropout-from-a-binomial-draw",
        replace={"answer-05-dropout-forward": _FORWARD_HEAD + (
            "    if not training:\n"
            "        return np.array(h, dtype=float), np.full(np.shape(h), True)\n"
            "    mask = rng.binomial(1, 1.0 - p, size=h.shape).astype(bool)\n"
            "    return np.where(mask, h / (1.0 - p), 0.0), mask"
        )},
    ),
]
