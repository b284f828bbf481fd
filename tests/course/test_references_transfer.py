"""references/transfer.py against Keras' own bookkeeping and NumPy, random shapes."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib  # noqa: F401
import keras

from references.transfer import (add_head, compile_for_finetuning, count_trainable, freeze,
                                       make_augmentation, unfreeze_last_block)


def small_base(rng):
    """A random small VGG-like base: 2 blocks with random widths, random input size."""
    size, c1, c2 = int(rng.integers(8, 17)) * 2, int(rng.integers(2, 6)), int(rng.integers(2, 6))
    inputs = keras.Input(shape=(size, size, 3))
    x = keras.layers.Conv2D(c1, 3, padding="same", name="block1_conv1")(inputs)
    x = keras.layers.MaxPooling2D(name="block1_pool")(x)
    x = keras.layers.Conv2D(c2, 3, padding="same", name="block2_conv1")(x)
    x = keras.layers.MaxPooling2D(name="block2_pool")(x)
    return keras.Model(inputs, x), (size, c1, c2)


@pytest.mark.parametrize("seed", [0, 1])
def test_freeze_count_and_unfreeze(seed):
    rng = np.random.default_rng(seed)
    base, (size, c1, c2) = small_base(rng)
    assert count_trainable(base) == (27 + 1) * c1 + (9 * c1 + 1) * c2 == base.count_params()
    assert freeze(base) is base and count_trainable(base) == 0 and base.trainable_weights == []
    unfreeze_last_block(base, "block2")
    assert count_trainable(base) == (9 * c1 + 1) * c2
    assert [w.path.split("/")[0] for w in base.trainable_weights] == ["block2_conv1"] * 2


@pytest.mark.parametrize("seed", [0, 1])
def test_head_is_softmax_of_dense_on_the_flattened_output(seed):
    rng = np.random.default_rng(seed)
    base, (size, c1, c2) = small_base(rng)
    n_classes = int(rng.integers(2, 7))
    model = add_head(base, n_classes)
    x = rng.normal(size=(3, size, size, 3)).astype("float32")
    kernel, bias = model.layers[-1].get_weights()
    features = keras.ops.convert_to_numpy(base(x)).reshape(3, -1)
    assert kernel.shape == ((size // 4) ** 2 * c2, n_classes)
    logits = features @ kernel + bias
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    expected /= expected.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), expected, atol=1e-5)
    freeze(base)
    assert count_trainable(model) == (features.shape[1] + 1) * n_classes


def test_augmentation_random_only_in_training():
    images = np.random.default_rng(2).uniform(0, 255, size=(4, 24, 20, 3)).astype("float32")
    augment = make_augmentation(seed=0)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(augment(images, training=False)), images)
    out = keras.ops.convert_to_numpy(augment(images, training=True))
    assert out.shape == images.shape and not np.allclose(out, images)


def test_compile_for_finetuning_divides_the_learning_rate():
    base, _ = small_base(np.random.default_rng(3))
    model = add_head(freeze(base), 2)
    compile_for_finetuning(model, base, 0.05, prefix="block2")
    assert np.isclose(float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)), 0.005)
    assert not base.get_layer("block1_conv1").trainable and base.get_layer("block2_conv1").trainable


class _Probe(keras.layers.Layer):
    """The identity, which records the ``training`` value of each call."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, x, training=None):
        self.seen.append(training)
        return x


def test_what_07_says_about_training_false():
    """07's footnote on ``base(inputs, training=False)``, as the Keras the course runs does it:
    the written False reaches the base when the model is called without ``training``; ``fit``
    overrides it with True; a frozen BatchNormalization keeps its running averages all the
    same; a frozen Dropout still drops. When this test fails, the footnote needs a look."""
    probe = _Probe()
    inputs = keras.Input(shape=(4,))
    base = keras.Model(inputs, probe(inputs))
    outer_inputs = keras.Input(shape=(4,))
    model = keras.Model(outer_inputs, keras.layers.Dense(1)(base(outer_inputs, training=False)))
    x, y = np.ones((8, 4), "float32"), np.zeros((8, 1), "float32")
    probe.seen.clear()
    model(x)
    assert probe.seen == [False]
    probe.seen.clear()
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert True in probe.seen, f"fit no longer overrides training=False: {probe.seen}"

    # a frozen BatchNormalization under training=True: running averages, none updated
    bn = keras.layers.BatchNormalization()
    data = np.random.default_rng(0).normal(3.0, 2.0, size=(64, 4)).astype("float32")
    bn(data)
    bn.trainable = False
    before = keras.ops.convert_to_numpy(bn.moving_mean).copy()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(bn(data, training=True)),
                               keras.ops.convert_to_numpy(bn(data, training=False)), rtol=1e-6)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(bn.moving_mean), before)

    # a frozen Dropout still drops under training=True
    dropout = keras.layers.Dropout(0.5, seed=1)
    dropout.trainable = False
    assert not np.allclose(keras.ops.convert_to_numpy(dropout(np.ones((4, 64), "float32"), training=True)), 1.0)


# ----------------------------------------------------------------- the same as the solution
# references/transfer.py copies the answers of solutions/07_transfer_learning; these tests
# run the notebook's own definitions next to it (see references/solution_code.py).
@pytest.fixture(scope="module")
def solution():
    from references.solution_code import solution_namespace

    return solution_namespace("07_transfer_learning", "freeze", "count_trainable", "add_head",
                              "make_augmentation", "unfreeze_last_block", "compile_for_finetuning")


def _architecture(model):
    """Each layer's class, configuration (its name left out) and trainable flag; a nested
    model (the base) and the input layer by their class only (their names differ)."""
    return [(type(layer).__name__, layer.trainable) if isinstance(layer, (keras.Model, keras.layers.InputLayer))
            else (type(layer).__name__, layer.trainable,
                  {k: v for k, v in layer.get_config().items() if k != "name"})
            for layer in model.layers]


def _twin_bases(seed):
    """Two small bases with the same layers and weights."""
    ours, shape = small_base(np.random.default_rng(seed))
    theirs, _ = small_base(np.random.default_rng(seed))
    theirs.set_weights(ours.get_weights())
    return ours, theirs, shape


@pytest.mark.parametrize("seed", [0, 1])
def test_freezing_heads_and_finetuning_match_the_solution(solution, seed):
    ours, theirs, (size, _, _) = _twin_bases(seed)
    assert count_trainable(ours) == solution["count_trainable"](theirs)
    assert freeze(ours) is ours and solution["freeze"](theirs) is theirs
    assert count_trainable(ours) == solution["count_trainable"](theirs) == 0
    n_classes = 2 + seed
    our_model, their_model = add_head(ours, n_classes), solution["add_head"](theirs, n_classes)
    their_model.set_weights(our_model.get_weights())
    assert _architecture(our_model) == _architecture(their_model)
    assert count_trainable(our_model) == solution["count_trainable"](their_model)
    x = np.random.default_rng(seed).normal(size=(2, size, size, 3)).astype("float32")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(our_model(x)), keras.ops.convert_to_numpy(their_model(x)))
    assert unfreeze_last_block(ours, "block2") is ours and solution["unfreeze_last_block"](theirs, "block2") is theirs
    assert _architecture(ours) == _architecture(theirs)
    freeze(ours)
    freeze(theirs)
    compile_for_finetuning(our_model, ours, 0.05, prefix="block2")
    solution["compile_for_finetuning"](their_model, theirs, 0.05, prefix="block2")
    assert _architecture(ours) == _architecture(theirs)
    assert count_trainable(our_model) == solution["count_trainable"](their_model) > 0
    assert our_model.optimizer.get_config() | {"name": None} == their_model.optimizer.get_config() | {"name": None}
    assert our_model.loss == their_model.loss


def test_augmentation_matches_the_solution(solution):
    ours, theirs = make_augmentation(seed=3), solution["make_augmentation"](seed=3)
    assert ours.name == theirs.name and _architecture(ours) == _architecture(theirs)
    images = np.random.default_rng(4).uniform(0, 255, size=(4, 24, 20, 3)).astype("float32")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(ours(images, training=True)),
                                  keras.ops.convert_to_numpy(theirs(images, training=True)))
