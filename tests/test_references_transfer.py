"""tests/references/transfer.py against Keras' own bookkeeping and NumPy, random shapes."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib  # noqa: F401
import keras

from tests.references.transfer import (add_head, compile_for_finetuning, count_trainable, freeze,
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
