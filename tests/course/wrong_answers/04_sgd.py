"""Plausible wrong answers to 04_sgd. Each entry replaces answer cells (by grade_id)
of the solution; the round trip checks that every test cell in ``fails`` loses points."""

_GOOD_SCHEDULE = (
    "def schedule(r, eps0, alpha):\n"
    "    return eps0 / (1.0 + np.asarray(r, dtype=float)) ** alpha\n\n"
)

WRONG_ANSWERS = [
    dict(
        name="minibatches-drawn-with-replacement",
        replace={"answer-04-minibatches": (
            "def minibatches(n, m, rng):\n"
            "    for _ in range(-(-n // m)):\n"
            "        yield rng.integers(0, n, size=min(m, n))"
        )},
        fails=["ex-04-minibatches"],
    ),
    dict(
        name="minibatches-drop-the-last-partial-batch",
        replace={"answer-04-minibatches": (
            "def minibatches(n, m, rng):\n"
            "    order = rng.permutation(n)\n"
            "    for k in range(max(n // m, 1)):\n"
            "        yield order[k * m:(k + 1) * m]"
        )},
        fails=["ex-04-minibatches"],
    ),
    dict(
        name="iterations-floor-and-alpha-one-half-accepted",
        replace={
            "answer-04-iterations": "def n_iterations(n, m, epochs):\n    return epochs * (n // m)",
            "answer-04-schedule": _GOOD_SCHEDULE + "def meets_conditions(alpha):\n    return 0.5 <= alpha <= 1",
        },
        fails=["ex-04-iterations", "ex-04-schedule"],
    ),
    dict(
        name="sgd-step-penalises-the-biases",
        replace={"answer-04-sgd-step": (
            "def sgd_step(params, grads, eps, lam):\n"
            "    return [(W - eps * (gW + 2 * lam * W), b - eps * (gb + 2 * lam * b))\n"
            "            for (W, b), (gW, gb) in zip(params, grads)]"
        )},
        fails=["ex-04-sgd-step"],
    ),
    dict(
        name="keras-weight-decay-lambda-not-2-lambda",
        replace={"answer-04-keras-sgd": (
            "def keras_sgd(eps, lam):\n"
            "    optimizer = keras.optimizers.SGD(learning_rate=eps, weight_decay=lam)\n"
            "    optimizer.exclude_from_weight_decay(var_names=['bias'])\n"
            "    return optimizer"
        )},
        fails=["ex-04-keras-sgd"],
    ),
    dict(
        name="train-loop-restarts-r-each-epoch",
        replace={"answer-04-train": (
            "def train_sgd(model, loss_fn, x, y, epochs, batch_size, learning_rate, lam, rng):\n"
            "    losses = []\n"
            "    for _ in range(epochs):\n"
            "        for r, batch in enumerate(minibatches(len(x), batch_size, rng)):\n"
            "            loss, grads = loss_and_gradients(model, loss_fn, x[batch], y[batch])\n"
            "            pairs = list(zip(grads[0::2], grads[1::2]))\n"
            "            set_params(model, sgd_step(get_params(model), pairs, learning_rate(r), lam))\n"
            "            losses.append(loss)\n"
            "    return losses"
        )},
        fails=["ex-04-training"],
    ),
    dict(
        name="step-without-penalty-alone",  # the training loop is graded with a reference step: it keeps its points
        replace={"answer-04-sgd-step": (
            "def sgd_step(params, grads, eps, lam):\n"
            "    return [(W - eps * gW, b - eps * gb) for (W, b), (gW, gb) in zip(params, grads)]"
        )},
        fails=["ex-04-sgd-step"],
    ),
]

_SWEEP_HEAD = "def sweep(settings, x, y, epochs):\n"
WRONG_ANSWERS += [
    dict(
        name="sweep-one-network-for-every-setting",  # each run goes on from the previous run's weights
        replace={"answer-04-sweep": _SWEEP_HEAD + (
            "    model, curves = digit_mlp(seed=0), {}\n"
            "    for batch_size, eps in settings:\n"
            "        curves[(batch_size, eps)] = train_sgd(model, loss_fn, x, y, epochs, batch_size,\n"
            "                                              lambda r: eps, 0.0, np.random.default_rng(0))\n"
            "    return curves"
        )},
        fails=["ex-04-sweep"],
    ),
    dict(
        name="sweep-one-generator-for-every-setting",  # later runs get other batches
        replace={"answer-04-sweep": _SWEEP_HEAD + (
            "    rng, curves = np.random.default_rng(0), {}\n"
            "    for batch_size, eps in settings:\n"
            "        curves[(batch_size, eps)] = train_sgd(digit_mlp(seed=0), loss_fn, x, y, epochs, batch_size,\n"
            "                                              lambda r: eps, 0.0, rng)\n"
            "    return curves"
        )},
        fails=["ex-04-sweep"],
    ),
    dict(
        name="sweep-decreasing-rate",  # the exercise asks for a constant rate
        replace={"answer-04-sweep": _SWEEP_HEAD + (
            "    curves = {}\n"
            "    for batch_size, eps in settings:\n"
            "        curves[(batch_size, eps)] = train_sgd(digit_mlp(seed=0), loss_fn, x, y, epochs, batch_size,\n"
            "                                              lambda r: eps / (1 + r), 0.0, np.random.default_rng(0))\n"
            "    return curves"
        )},
        fails=["ex-04-sweep"],
    ),
]

RIGHT_ANSWERS = [
    dict(
        name="sweep-as-a-dict-comprehension-with-keywords",
        replace={"answer-04-sweep": _SWEEP_HEAD + (
            "    return {(m, eps): train_sgd(model=digit_mlp(), loss_fn=loss_fn, x=x, y=y, epochs=epochs, batch_size=m,\n"
            "                                learning_rate=lambda r, eps=eps: eps, lam=0, rng=np.random.default_rng(0))\n"
            "            for m, eps in settings}"
        )},
    ),
]
