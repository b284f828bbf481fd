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
            "            pairs = [(gK.T, gb) for gK, gb in zip(grads[0::2], grads[1::2])]\n"
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

WRONG_ANSWERS += [
    dict(
        name="iterations-float-ceil",  # exact for small n, not for n = 10**18 + 1
        replace={"answer-04-iterations": (
            "def n_iterations(n, m, epochs):\n"
            "    import math\n"
            "    return epochs * math.ceil(n / m)"
        )},
        fails=["ex-04-iterations"],
    ),
    dict(
        name="sgd-step-penalty-gradient-without-the-2",
        replace={"answer-04-sgd-step": (
            "def sgd_step(params, grads, eps, lam):\n"
            "    return [(W - eps * (gW + lam * W), b - eps * gb) for (W, b), (gW, gb) in zip(params, grads)]"
        )},
        fails=["ex-04-sgd-step"],
    ),
    dict(
        name="train-loop-kernel-gradient-not-transposed",  # g_W must be the kernel's gradient transposed
        replace={"answer-04-train": (
            "def train_sgd(model, loss_fn, x, y, epochs, batch_size, learning_rate, lam, rng):\n"
            "    losses, r = [], 0\n"
            "    for _ in range(epochs):\n"
            "        for batch in minibatches(len(x), batch_size, rng):\n"
            "            loss, grads = loss_and_gradients(model, loss_fn, x[batch], y[batch])\n"
            "            pairs = list(zip(grads[0::2], grads[1::2]))\n"
            "            set_params(model, sgd_step(get_params(model), pairs, learning_rate(r), lam))\n"
            "            losses.append(loss)\n"
            "            r += 1\n"
            "    return losses"
        )},
        fails=["ex-04-training"],
    ),
    dict(
        name="schedule-integer-power",  # (1 + r) ** 2 of an int64 array overflows at r = 10**10
        replace={"answer-04-schedule": (
            "def schedule(r, eps0, alpha):\n"
            "    return eps0 / (1 + np.asarray(r)) ** alpha\n\n\n"
            "def meets_conditions(alpha):\n"
            "    return 0.5 < alpha <= 1"
        )},
        fails=["ex-04-schedule"],
    ),
]

_TRAIN_HEAD = "def train_sgd(model, loss_fn, x, y, epochs, batch_size, learning_rate, lam, rng):\n"
_SCHEDULE_HEAD = "def schedule(r, eps0, alpha):\n"

# Correct answers written other valid ways: each must score full marks.
RIGHT_ANSWERS = [
    # Exercise 1: minibatches
    dict(
        name="minibatches-list-by-array-split",
        replace={"answer-04-minibatches": (
            "def minibatches(n, m, rng):\n"
            "    return np.array_split(rng.permutation(n), range(m, n, m))"
        )},
    ),
    dict(
        name="minibatches-shuffled-arange-generator",
        replace={"answer-04-minibatches": (
            "def minibatches(n, m, rng):\n"
            "    order = np.arange(n)\n"
            "    rng.shuffle(order)\n"
            "    yield from (order[start:start + m] for start in range(0, n, m))"
        )},
    ),
    dict(
        name="minibatches-list-comprehension",
        replace={"answer-04-minibatches": (
            "def minibatches(n, m, rng):\n"
            "    order = rng.permutation(n)\n"
            "    return [order[k * m:(k + 1) * m] for k in range(-(-n // m))]"
        )},
    ),
    # Exercise 2: n_iterations
    dict(
        name="iterations-add-m-minus-one",
        replace={"answer-04-iterations": "def n_iterations(n, m, epochs):\n    return epochs * ((n + m - 1) // m)"},
    ),
    dict(
        name="iterations-divmod",
        replace={"answer-04-iterations": (
            "def n_iterations(n, m, epochs):\n"
            "    full, rest = divmod(n, m)\n"
            "    return epochs * (full + (1 if rest else 0))"
        )},
    ),
    dict(
        name="iterations-len-range",
        replace={"answer-04-iterations": "def n_iterations(n, m, epochs):\n    return epochs * len(range(0, n, m))"},
    ),
    dict(
        name="iterations-exact-fraction-ceil",
        replace={"answer-04-iterations": (
            "def n_iterations(n, m, epochs):\n"
            "    import math\n"
            "    from fractions import Fraction\n"
            "    return epochs * math.ceil(Fraction(n, m))"
        )},
    ),
    # Exercise 3: sgd_step
    dict(
        name="sgd-step-in-place",
        replace={"answer-04-sgd-step": (
            "def sgd_step(params, grads, eps, lam):\n"
            "    for (W, b), (gW, gb) in zip(params, grads):\n"
            "        W -= eps * (gW + 2 * lam * W)\n"
            "        b -= eps * gb\n"
            "    return params"
        )},
    ),
    dict(
        name="sgd-step-shrink-then-step-lists",
        replace={"answer-04-sgd-step": (
            "def sgd_step(params, grads, eps, lam):\n"
            "    new = []\n"
            "    for k in range(len(params)):\n"
            "        W, b = params[k]\n"
            "        gW, gb = grads[k]\n"
            "        new.append([(1 - 2 * eps * lam) * W - eps * gW, b - eps * gb])\n"
            "    return new"
        )},
    ),
    # Exercise 4: keras_sgd
    dict(
        name="keras-sgd-positional-arguments",
        replace={"answer-04-keras-sgd": (
            "def keras_sgd(eps, lam):\n"
            "    optimizer = keras.optimizers.SGD(eps, 0.0, False, 2 * lam)\n"
            "    optimizer.exclude_from_weight_decay(var_names=['bias'])\n"
            "    return optimizer"
        )},
    ),
    dict(
        name="keras-sgd-keywords-and-tuple",
        replace={"answer-04-keras-sgd": (
            "def keras_sgd(eps, lam):\n"
            "    sgd = keras.optimizers.SGD(learning_rate=eps, momentum=0.0, nesterov=False, weight_decay=lam * 2.0)\n"
            "    sgd.exclude_from_weight_decay(var_names=('bias',))\n"
            "    return sgd"
        )},
    ),
    # Exercise 5: schedule and meets_conditions
    dict(
        name="schedule-negative-power",
        replace={"answer-04-schedule": _SCHEDULE_HEAD + (
            "    return eps0 * (1.0 + r) ** -alpha\n\n\n"
            "def meets_conditions(alpha):\n"
            "    return alpha > 0.5 and alpha <= 1"
        )},
    ),
    dict(
        name="schedule-list-comprehension",
        replace={"answer-04-schedule": _SCHEDULE_HEAD + (
            "    values = [eps0 / (1 + float(k)) ** alpha for k in np.ravel(r)]\n"
            "    return np.array(values).reshape(np.shape(r))\n\n\n"
            "def meets_conditions(alpha):\n"
            "    sum_diverges = alpha <= 1\n"
            "    sum_of_squares_converges = 2 * alpha > 1\n"
            "    return bool(sum_diverges and sum_of_squares_converges)"
        )},
    ),
    dict(
        name="schedule-float-power",
        replace={"answer-04-schedule": _SCHEDULE_HEAD + (
            "    return eps0 / np.float_power(np.add(r, 1), alpha)\n\n\n"
            "def meets_conditions(alpha):\n"
            "    return 1 / 2 < alpha <= 1"
        )},
    ),
    # Exercise 6: train_sgd
    dict(
        name="train-r-from-the-losses-module-call",
        replace={"answer-04-train": _TRAIN_HEAD + (
            "    import nnlib.gradients\n"
            "    losses = []\n"
            "    for epoch in range(epochs):\n"
            "        for idx in minibatches(len(x), batch_size, rng):\n"
            "            loss, g = nnlib.gradients.loss_and_gradients(model, loss_fn, x[idx], y[idx])\n"
            "            params = get_params(model)\n"
            "            grads = [(g[2 * k].T, g[2 * k + 1]) for k in range(len(params))]\n"
            "            set_params(model, sgd_step(params, grads, learning_rate(len(losses)), lam))\n"
            "            losses.append(float(loss))\n"
            "    return losses"
        )},
    ),
    dict(
        name="train-counter-and-set-weights",
        replace={"answer-04-train": _TRAIN_HEAD + (
            "    import itertools\n"
            "    counter, losses = itertools.count(), []\n"
            "    for _ in range(epochs):\n"
            "        for batch in minibatches(len(x), batch_size, rng):\n"
            "            loss, grads = loss_and_gradients(model, loss_fn, x[batch], y[batch])\n"
            "            pairs = [(gk.T, gb) for gk, gb in zip(grads[::2], grads[1::2])]\n"
            "            new = sgd_step(get_params(model), pairs, learning_rate(next(counter)), lam)\n"
            "            model.set_weights([v for W, b in new for v in (np.transpose(W), b)])\n"
            "            losses.append(loss)\n"
            "    return losses"
        )},
    ),
    # Exercise 7: sweep
    dict(
        name="sweep-as-a-dict-comprehension-with-keywords",
        replace={"answer-04-sweep": _SWEEP_HEAD + (
            "    return {(m, eps): train_sgd(model=digit_mlp(), loss_fn=loss_fn, x=x, y=y, epochs=epochs, batch_size=m,\n"
            "                                learning_rate=lambda r, eps=eps: eps, lam=0, rng=np.random.default_rng(0))\n"
            "            for m, eps in settings}"
        )},
    ),
    dict(
        name="sweep-dict-of-zip-with-a-rate-factory",
        replace={"answer-04-sweep": _SWEEP_HEAD + (
            "    def constant(eps):\n"
            "        return lambda r: eps\n"
            "    runs = [train_sgd(digit_mlp(seed=0), loss_fn, x, y, epochs, m, constant(eps), 0.0, np.random.default_rng(0))\n"
            "            for m, eps in settings]\n"
            "    return dict(zip([tuple(s) for s in settings], runs))"
        )},
    ),
]
