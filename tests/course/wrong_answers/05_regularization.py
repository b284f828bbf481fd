"""Plausible wrong answers to 05_regularization. Each entry replaces answer cells (by
grade_id) of the solution; the round trip checks that every test cell in ``fails`` loses
points."""

_FORWARD_HEAD = (
    "def dropout_forward(h, p, rng, training=True):\n"
    "    if not 0.0 <= p < 1.0:\n"
    "        raise ValueError(p)\n"
    "    h = np.asarray(h, dtype=float)\n"
)

_BEST_MODEL = (
    "def best_model(val_scores, higher_is_better=True):\n"
    "    pick = max if higher_is_better else min\n"
    "    return pick(val_scores, key=lambda name: val_scores[name])\n\n\n"
)

_BEST_FROM_HISTORIES = (
    "def best_from_histories(histories, metric='accuracy'):\n"
    "    higher = metric == 'accuracy'\n"
    "    best = None\n"
    "    for name, history in histories.items():\n"
    "        values = np.asarray(history['val_' + metric], dtype=float)\n"
    "        epoch = int(np.argmax(values) if higher else np.argmin(values))\n"
    "        if best is None or (values[epoch] > best[0] if higher else values[epoch] < best[0]):\n"
    "            best = (values[epoch], name, epoch + 1)\n"
    "    return best[1], best[2]"
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
    dict(
        name="l2-penalty-with-a-half",  # the 1/2 of some textbooks: Keras' L2(lam) has none
        replace={"answer-05-penalty": (
            "def l1_l2_penalty(model, l1=0.0, l2=0.0):\n"
            "    total = 0.0\n"
            "    for layer in model.layers:\n"
            "        if isinstance(layer, keras.layers.Dense):\n"
            "            w = keras.ops.convert_to_numpy(layer.kernel)\n"
            "            total += l1 * np.sum(np.abs(w)) + 0.5 * l2 * np.sum(w ** 2)\n"
            "    return float(total)"
        )},
        fails=["ex-05-penalty"],
    ),
    dict(
        name="best-epoch-counted-from-0",
        replace={"answer-05-best-model": _BEST_MODEL + _BEST_FROM_HISTORIES.replace("name, epoch + 1)", "name, epoch)")},
        fails=["ex-05-best-from-histories"],
    ),
    # Exercise 6, the tuning exercise: choices that underfit (measured in benchmarks/regularization.py's
    # tuning grid: each misses both bars on TensorFlow and JAX) or that are ill formed. No regularization
    # at all is not among them: with 300 digits and at most 30 epochs it clears both bars (the grid's
    # none_30), as the notebook says.
    dict(
        name="tuning-one-epoch",  # the slides' dropout rates, but one epoch
        replace={"answer-05-tuning": (
            "def choose_regularization():\n"
            "    return {'input_dropout': 0.2, 'dropout': 0.5, 'l2': 0.0, 'epochs': 1, 'early_stopping': False}"
        )},
        fails=["ex-05-tuning"],
    ),
    dict(
        name="tuning-dropout-0.95",  # almost every hidden unit dropped: nothing gets through
        replace={"answer-05-tuning": (
            "def choose_regularization():\n"
            "    return {'input_dropout': 0.0, 'dropout': 0.95, 'l2': 0.0, 'epochs': 30, 'early_stopping': False}"
        )},
        fails=["ex-05-tuning"],
    ),
    dict(
        name="tuning-l2-too-large",  # lambda = 0.1: the penalty outweighs the data
        replace={"answer-05-tuning": (
            "def choose_regularization():\n"
            "    return {'input_dropout': 0.0, 'dropout': 0.0, 'l2': 0.1, 'epochs': 30, 'early_stopping': False}"
        )},
        fails=["ex-05-tuning"],
    ),
    dict(
        name="tuning-rates-in-percent",  # 20 and 50 for 0.2 and 0.5: not probabilities
        replace={"answer-05-tuning": (
            "def choose_regularization():\n"
            "    return {'input_dropout': 20, 'dropout': 50, 'l2': 0.0, 'epochs': 20, 'early_stopping': False}"
        )},
        fails=["ex-05-tuning"],
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
    dict(
        name="dropout-uniform-draw-with-astype-copy",  # rng.uniform is rng.random scaled; astype copies
        replace={"answer-05-dropout-forward": (
            "def dropout_forward(h, p, rng, training=True):\n"
            "    if p < 0 or p >= 1:\n"
            "        raise ValueError('p must be in [0, 1)')\n"
            "    h = np.asarray(h)\n"
            "    if training is False:\n"
            "        return h.astype(float), np.ones_like(h, dtype=bool)\n"
            "    keep = rng.uniform(0.0, 1.0, size=h.shape) >= p\n"
            "    return (h * keep / (1 - p)).astype(float), keep"
        )},
    ),
    dict(
        name="dropout-from-rng-choice",  # a draw of booleans with probabilities [p, 1 - p]
        replace={"answer-05-dropout-forward": (
            "def dropout_forward(h, p, rng, training=True):\n"
            "    if not 0 <= p < 1:\n"
            "        raise ValueError(p)\n"
            "    if not training:\n"
            "        return np.copy(h).astype(float), np.full(np.shape(h), True, dtype=bool)\n"
            "    mask = rng.choice([False, True], size=np.shape(h), p=[p, 1 - p])\n"
            "    out = np.zeros(np.shape(h))\n"
            "    out[mask] = np.asarray(h, dtype=float)[mask] / (1 - p)\n"
            "    return out, mask"
        )},
    ),
    dict(
        name="penalty-through-keras-regularizers",  # Keras' own regularizer called on each kernel
        replace={"answer-05-penalty": (
            "def l1_l2_penalty(model, l1=0.0, l2=0.0):\n"
            "    regularizer = keras.regularizers.L1L2(l1=l1, l2=l2)\n"
            "    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]\n"
            "    return float(sum(float(keras.ops.convert_to_numpy(regularizer(layer.kernel))) for layer in dense))"
        )},
    ),
    dict(
        name="penalty-from-get-weights-and-norms",  # the first array of a Dense layer's get_weights()
        replace={"answer-05-penalty": (
            "def l1_l2_penalty(model, l1=0.0, l2=0.0):\n"
            "    total = 0.0\n"
            "    for layer in model.layers:\n"
            "        if isinstance(layer, keras.layers.Dense):\n"
            "            kernel = layer.get_weights()[0].astype(np.float64).ravel()\n"
            "            total += l1 * np.linalg.norm(kernel, 1) + l2 * np.linalg.norm(kernel) ** 2\n"
            "    return float(total)"
        )},
    ),
    dict(
        name="penalty-over-variables-named-kernel",  # the model's variables, picked by name
        replace={"answer-05-penalty": (
            "def l1_l2_penalty(model, l1=0.0, l2=0.0):\n"
            "    kernels = [keras.ops.convert_to_numpy(v) for v in model.weights if v.name == 'kernel']\n"
            "    return float(sum(l1 * np.abs(w).sum() + l2 * np.square(w).sum() for w in kernels))"
        )},
    ),
    dict(
        name="backward-with-where",
        replace={"answer-05-dropout-backward": (
            "def dropout_backward(grad_out, mask, p):\n"
            "    return np.where(mask, np.asarray(grad_out, dtype=float) / (1.0 - p), 0.0)"
        )},
    ),
    dict(
        name="backward-mask-as-floats",
        replace={"answer-05-dropout-backward": (
            "def dropout_backward(grad_out, mask, p):\n"
            "    scale = 1.0 / (1.0 - p)\n"
            "    return grad_out * np.asarray(mask, dtype=float) * scale"
        )},
    ),
    dict(
        name="mlp-functional",  # a functional keras.Model: model.layers lists its InputLayer too
        replace={"answer-05-dropout-mlp": (
            "def dropout_mlp(n_inputs=784, n_hidden=(256, 256), n_classes=10):\n"
            "    inputs = keras.Input(shape=(n_inputs,))\n"
            "    x = keras.layers.Dropout(rate=0.2)(inputs)\n"
            "    for size in n_hidden:\n"
            "        x = keras.layers.Dense(size, activation=keras.activations.relu)(x)\n"
            "        x = keras.layers.Dropout(rate=0.5)(x)\n"
            "    outputs = keras.layers.Dense(n_classes, activation='softmax')(x)\n"
            "    return keras.Model(inputs, outputs)"
        )},
    ),
    dict(
        name="mlp-input-shape-and-add",  # the older input_shape= (Keras warns), layers added one by one
        replace={"answer-05-dropout-mlp": (
            "def dropout_mlp(n_inputs=784, n_hidden=(256, 256), n_classes=10):\n"
            "    model = keras.Sequential()\n"
            "    model.add(keras.layers.Dropout(1 - 0.8, input_shape=(n_inputs,)))\n"
            "    for size in n_hidden:\n"
            "        model.add(keras.layers.Dense(size, activation='relu'))\n"
            "        model.add(keras.layers.Dropout(0.5))\n"
            "    model.add(keras.layers.Dense(n_classes, activation='softmax'))\n"
            "    return model"
        )},
    ),
    dict(
        name="best-model-by-a-loop",  # strict comparisons keep the first of a tie
        replace={"answer-05-best-model": (
            "def best_model(val_scores, higher_is_better=True):\n"
            "    best_name, best_score = None, None\n"
            "    for name, score in val_scores.items():\n"
            "        if best_name is None or (score > best_score if higher_is_better else score < best_score):\n"
            "            best_name, best_score = name, score\n"
            "    return best_name\n\n\n"
        ) + _BEST_FROM_HISTORIES},
    ),
    dict(
        name="best-model-by-sorting",  # sorted() is stable, reverse=True included
        replace={"answer-05-best-model": (
            "def best_model(val_scores, higher_is_better=True):\n"
            "    ranked = sorted(val_scores.items(), key=lambda item: item[1], reverse=higher_is_better)\n"
            "    return ranked[0][0]\n\n\n"
        ) + _BEST_FROM_HISTORIES},
    ),
    dict(
        name="best-model-with-numpy",  # argmax and argmin return the first of a tie
        replace={"answer-05-best-model": (
            "def best_model(val_scores, higher_is_better=True):\n"
            "    names = list(val_scores)\n"
            "    values = np.array([val_scores[name] for name in names])\n"
            "    return names[int(np.argmax(values) if higher_is_better else np.argmin(values))]\n\n\n"
        ) + _BEST_FROM_HISTORIES},
    ),
    dict(
        name="best-from-histories-one-list",  # every (value, epoch) of every model in one list
        replace={"answer-05-best-model": _BEST_MODEL + (
            "def best_from_histories(histories, metric='accuracy'):\n"
            "    sign = 1 if metric == 'accuracy' else -1\n"
            "    candidates = [(name, epoch) for name in histories\n"
            "                  for epoch in range(1, len(histories[name]['val_' + metric]) + 1)]\n"
            "    return max(candidates, key=lambda c: sign * float(histories[c[0]]['val_' + metric][c[1] - 1]))"
        )},
    ),
    dict(
        name="best-from-histories-plain-loop",  # no NumPy: a loop over the epochs
        replace={"answer-05-best-model": _BEST_MODEL + (
            "def best_from_histories(histories, metric='accuracy'):\n"
            "    best, where = None, None\n"
            "    for name, history in histories.items():\n"
            "        for epoch, value in enumerate(history['val_' + metric], start=1):\n"
            "            if metric == 'loss':\n"
            "                value = -value\n"
            "            if best is None or value > best:\n"
            "                best, where = value, (name, epoch)\n"
            "    return where"
        )},
    ),
    # Exercise 6: other sound choices (each clears both bars on TensorFlow and JAX, seed 0)
    dict(
        name="tuning-l2-penalty",  # an L2 penalty instead of dropout, as a module-level dict
        replace={"answer-05-tuning": (
            "CHOICE = dict(input_dropout=0, dropout=0, l2=1e-3, epochs=20, early_stopping=False)\n\n\n"
            "def choose_regularization():\n"
            "    return dict(CHOICE)"
        )},
    ),
    dict(
        name="tuning-early-stopping",  # early stopping alone, with NumPy scalars
        replace={"answer-05-tuning": (
            "def choose_regularization():\n"
            "    choice = {'input_dropout': np.float64(0.0), 'dropout': np.float32(0.0), 'l2': 0}\n"
            "    choice.update(epochs=np.int64(30), early_stopping=np.bool_(True))\n"
            "    return choice"
        )},
    ),
    dict(
        name="tuning-dropout-with-early-stopping",  # the slides' rates, stopped on the validation loss
        replace={"answer-05-tuning": (
            "def choose_regularization():\n"
            "    return {'early_stopping': True, 'epochs': 30, 'l2': 0.0, 'dropout': 0.5, 'input_dropout': 0.2}"
        )},
    ),
]
