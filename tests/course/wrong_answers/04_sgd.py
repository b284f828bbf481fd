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

# ------------------------------------------------------------------ momentum, Adam, sanity checks
_MOMENTUM_HEAD = "def momentum_step(theta, g, v, eps, mu):\n"
_ADAM_HEAD = "def adam_step(theta, g, state, r, eps, beta_1=0.9, beta_2=0.999, kappa=1e-7):\n"
_LN_K = "def expected_initial_loss(n_classes):\n    return float(np.log(n_classes))\n\n\n"
_INITIAL_HEAD = "def initial_loss(model, x, y):\n"
_OVERFIT_HEAD = "def overfit_tiny_batch(model, x, y, max_epochs):\n"

WRONG_ANSWERS += [
    dict(
        name="momentum-moves-theta-by-the-old-velocity",  # theta + v before v is updated
        replace={"answer-04-momentum": _MOMENTUM_HEAD + (
            "    new_v = mu * v - eps * g\n"
            "    return theta + v, new_v"
        )},
        fails=["ex-04-momentum"],
    ),
    dict(
        name="momentum-pytorch-velocity",  # the same path, but v is not Keras' velocity
        replace={"answer-04-momentum": _MOMENTUM_HEAD + (
            "    v = mu * v + g\n"
            "    return theta - eps * v, v"
        )},
        fails=["ex-04-momentum"],
    ),
    dict(
        name="adam-without-bias-correction",
        replace={"answer-04-adam": _ADAM_HEAD + (
            "    m, s = state\n"
            "    m = beta_1 * m + (1 - beta_1) * g\n"
            "    s = beta_2 * s + (1 - beta_2) * g**2\n"
            "    return theta - eps * m / (np.sqrt(s) + kappa), (m, s)"
        )},
        fails=["ex-04-adam"],
    ),
    dict(
        name="adam-kappa-added-to-the-corrected-root",  # Kingma and Ba's Algorithm 1, not Keras' formula
        replace={"answer-04-adam": _ADAM_HEAD + (
            "    m, s = state\n"
            "    m = beta_1 * m + (1 - beta_1) * g\n"
            "    s = beta_2 * s + (1 - beta_2) * g**2\n"
            "    m_hat, s_hat = m / (1 - beta_1 ** (r + 1)), s / (1 - beta_2 ** (r + 1))\n"
            "    return theta - eps * m_hat / (np.sqrt(s_hat) + kappa), (m, s)"
        )},
        fails=["ex-04-adam"],
    ),
    dict(
        name="initial-loss-log10",
        replace={"answer-04-initial-loss": (
            "def expected_initial_loss(n_classes):\n    return float(np.log10(n_classes))\n\n\n"
            + _INITIAL_HEAD + "    return float(loss_fn(y, model(x)))"
        )},
        fails=["ex-04-initial-loss"],
    ),
    dict(
        name="initial-loss-naive-softmax",  # exp of logits in the hundreds overflows
        replace={"answer-04-initial-loss": _LN_K + _INITIAL_HEAD + (
            "    z = model.predict(x, verbose=0)\n"
            "    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n"
            "    return float(-np.mean(np.log(p[np.arange(len(y)), y])))"
        )},
        fails=["ex-04-initial-loss"],
    ),
    dict(
        name="overfit-always-trains-max-epochs",  # no early stop: 100 updates for a batch fitted much sooner
        replace={"answer-04-overfit": _OVERFIT_HEAD + (
            "    for epoch in range(max_epochs):\n"
            "        model.train_on_batch(x, y)\n"
            "    right = np.all(np.argmax(model.predict_on_batch(x), axis=1) == y)\n"
            "    return max_epochs if right else None"
        )},
        fails=["ex-04-overfit"],
    ),
    dict(
        name="overfit-counts-epochs-from-zero",  # returns one less than the updates made
        replace={"answer-04-overfit": _OVERFIT_HEAD + (
            "    for epoch in range(max_epochs):\n"
            "        model.train_on_batch(x, y)\n"
            "        if np.all(np.argmax(model.predict_on_batch(x), axis=1) == y):\n"
            "            return epoch\n"
            "    return None"
        )},
        fails=["ex-04-overfit"],
    ),
    # Two slips to two exercises in one submission each (the round trip checks both lose points):
    dict(
        name="momentum-as-a-running-average-and-adam-kappa-under-the-root",
        replace={
            "answer-04-momentum": _MOMENTUM_HEAD + (
                "    v = mu * v - (1 - mu) * eps * g\n"
                "    return theta + v, v"
            ),
            "answer-04-adam": _ADAM_HEAD + (
                "    m, s = state\n"
                "    m = beta_1 * m + (1 - beta_1) * g\n"
                "    s = beta_2 * s + (1 - beta_2) * g**2\n"
                "    step = eps * np.sqrt(1 - beta_2 ** (r + 1)) / (1 - beta_1 ** (r + 1))\n"
                "    return theta - step * m / np.sqrt(s + kappa), (m, s)"
            ),
        },
        fails=["ex-04-momentum", "ex-04-adam"],
    ),
    dict(
        name="adam-bias-correction-with-beta-to-the-r-and-initial-loss-of-logits-read-as-probabilities",
        replace={
            "answer-04-adam": _ADAM_HEAD + (  # r counted from 0: beta ** 0 = 1 divides by 0
                "    m, s = state\n"
                "    m = beta_1 * m + (1 - beta_1) * g\n"
                "    s = beta_2 * s + (1 - beta_2) * g**2\n"
                "    step = eps * np.sqrt(1 - beta_2**r) / (1 - beta_1**r)\n"
                "    return theta - step * m / (np.sqrt(s) + kappa), (m, s)"
            ),
            "answer-04-initial-loss": _LN_K + _INITIAL_HEAD + (  # from_logits=False on a network of logits
                "    return float(keras.losses.SparseCategoricalCrossentropy()(y, model.predict(x, verbose=0)))"
            ),
        },
        fails=["ex-04-adam", "ex-04-initial-loss"],
    ),
]

RIGHT_ANSWERS += [
    # Exercise 8: momentum_step
    dict(
        name="momentum-in-place",
        replace={"answer-04-momentum": _MOMENTUM_HEAD + (
            "    v *= mu\n"
            "    v -= eps * g\n"
            "    theta += v\n"
            "    return theta, v"
        )},
    ),
    dict(
        name="momentum-theta-first-then-v-as-the-difference",
        replace={"answer-04-momentum": _MOMENTUM_HEAD + (
            "    new_theta = theta + mu * v - eps * g\n"
            "    return new_theta, mu * v - eps * g"
        )},
    ),
    dict(
        name="momentum-loop-over-entries",
        replace={"answer-04-momentum": _MOMENTUM_HEAD + (
            "    new_theta, new_v = np.empty_like(theta), np.empty_like(v)\n"
            "    for idx in np.ndindex(theta.shape):\n"
            "        new_v[idx] = mu * v[idx] - eps * g[idx]\n"
            "        new_theta[idx] = theta[idx] + new_v[idx]\n"
            "    return new_theta, new_v"
        )},
    ),
    # Exercise 9: adam_step
    dict(
        name="adam-corrected-averages-and-corrected-kappa",
        replace={"answer-04-adam": _ADAM_HEAD + (
            "    m, s = state\n"
            "    m = beta_1 * m + (1 - beta_1) * g\n"
            "    s = beta_2 * s + (1 - beta_2) * g * g\n"
            "    t = r + 1\n"
            "    m_hat, s_hat = m / (1 - beta_1**t), s / (1 - beta_2**t)\n"
            "    return theta - eps * m_hat / (np.sqrt(s_hat) + kappa / np.sqrt(1 - beta_2**t)), (m, s)"
        )},
    ),
    dict(
        name="adam-in-place-like-keras",
        replace={"answer-04-adam": _ADAM_HEAD + (
            "    m, s = state\n"
            "    m += (g - m) * (1 - beta_1)\n"
            "    s += (np.square(g) - s) * (1 - beta_2)\n"
            "    alpha = eps * np.sqrt(1 - np.power(beta_2, r + 1)) / (1 - np.power(beta_1, r + 1))\n"
            "    theta -= m * alpha / (np.sqrt(s) + kappa)\n"
            "    return theta, (m, s)"
        )},
    ),
    # Exercise 10: expected_initial_loss and initial_loss
    dict(
        name="initial-loss-numpy-log-softmax",
        replace={"answer-04-initial-loss": (
            "def expected_initial_loss(n_classes):\n    return -np.log(1 / n_classes)\n\n\n" + _INITIAL_HEAD + (
                "    z = model.predict(x, verbose=0).astype(np.float64)\n"
                "    z = z - z.max(axis=1, keepdims=True)\n"
                "    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))\n"
                "    return float(-log_p[np.arange(len(y)), y].mean())"
            )
        )},
    ),
    dict(
        name="initial-loss-keras-ops-log-softmax",
        replace={"answer-04-initial-loss": (
            "import math\n\n\ndef expected_initial_loss(n_classes):\n    return math.log(n_classes)\n\n\n"
            + _INITIAL_HEAD + (
                "    log_p = keras.ops.convert_to_numpy(keras.ops.log_softmax(model(x), axis=-1))\n"
                "    picked = np.take_along_axis(log_p, np.asarray(y).astype(int)[:, None], axis=1)\n"
                "    return float(-np.mean(picked))"
            )
        )},
    ),
    dict(
        name="initial-loss-evaluate",
        replace={"answer-04-initial-loss": _LN_K + _INITIAL_HEAD + (
            "    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n"
            "    return float(model.evaluate(x, y, verbose=0))"
        )},
    ),
    # Exercise 11: overfit_tiny_batch
    dict(
        name="overfit-fit-and-its-history",  # fit's accuracy is measured before the update: one epoch late at most
        replace={"answer-04-overfit": _OVERFIT_HEAD + (
            "    for epoch in range(1, max_epochs + 1):\n"
            "        history = model.fit(x, y, batch_size=len(x), epochs=1, verbose=0)\n"
            "        if history.history['accuracy'][-1] == 1.0:\n"
            "            return epoch\n"
            "    return None"
        )},
    ),
    dict(
        name="overfit-while-loop-fit-and-call",
        replace={"answer-04-overfit": _OVERFIT_HEAD + (
            "    epochs = 0\n"
            "    while epochs < max_epochs:\n"
            "        model.fit(x, y, batch_size=len(x), epochs=1, verbose=0, shuffle=False)\n"
            "        epochs += 1\n"
            "        predicted = keras.ops.convert_to_numpy(keras.ops.argmax(model(x), axis=-1))\n"
            "        if (predicted == np.asarray(y)).all():\n"
            "            return epochs\n"
            "    return None"
        )},
    ),
]
