"""The reference answers of 06_cnn against Keras, on random shapes, strides and paddings."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from references import cnn


def _keras_conv(x, kernels, bias, stride, padding):
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    out = keras.ops.conv(xp.astype("float32"), kernels.astype("float32"), strides=stride, padding="valid")
    return keras.ops.convert_to_numpy(out) + bias


@pytest.mark.parametrize("seed", range(8))
def test_conv2d_matches_keras_ops_conv(seed):
    rng = np.random.default_rng(seed)
    f = int(rng.integers(1, 5))
    stride = int(rng.integers(1, 4))
    padding = int(rng.integers(0, 3))
    n, c, n_filters = (int(v) for v in rng.integers(1, 4, size=3))
    h, w = (int(v) for v in rng.integers(f, f + 9, size=2))
    x = rng.normal(size=(n, h, w, c))
    kernels = rng.normal(size=(f, f, c, n_filters))
    bias = rng.normal(size=n_filters)
    out = cnn.conv2d(x, kernels, bias, stride=stride, padding=padding)
    expected = _keras_conv(x, kernels, bias, stride, padding)
    assert out.shape == expected.shape == (
        n, cnn.conv_output_size(h, f, padding, stride), cnn.conv_output_size(w, f, padding, stride), n_filters)
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


def test_conv2d_same_padding_matches_keras_layer():
    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, 9, 6, 3)).astype("float32")
    layer = keras.layers.Conv2D(4, 3, padding="same")
    expected = keras.ops.convert_to_numpy(layer(x))
    kernels, bias = layer.get_weights()
    np.testing.assert_allclose(cnn.conv2d(x, kernels, bias, padding=1), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("seed", range(5))
def test_conv2d_single_is_the_one_channel_case(seed):
    rng = np.random.default_rng(seed)
    image = rng.normal(size=(int(rng.integers(4, 9)), int(rng.integers(4, 9))))
    kernel = rng.normal(size=(int(rng.integers(1, 4)), int(rng.integers(1, 4))))
    loops = np.array([[np.sum(kernel * image[i:i + kernel.shape[0], j:j + kernel.shape[1]])
                       for j in range(image.shape[1] - kernel.shape[1] + 1)]
                      for i in range(image.shape[0] - kernel.shape[0] + 1)])
    np.testing.assert_allclose(cnn.conv2d_single(image, kernel), loops)
    np.testing.assert_allclose(cnn.conv2d(image[None, :, :, None], kernel[:, :, None, None])[0, :, :, 0], loops)


@pytest.mark.parametrize("mode, layer_cls", [("max", keras.layers.MaxPooling2D), ("mean", keras.layers.AveragePooling2D)])
@pytest.mark.parametrize("seed", range(4))
def test_pool2d_matches_keras_layers(mode, layer_cls, seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 4))
    stride = int(rng.integers(1, 4))
    x = rng.normal(size=(2, int(rng.integers(size, 11)), int(rng.integers(size, 11)), 3)).astype("float32")
    expected = keras.ops.convert_to_numpy(layer_cls(pool_size=size, strides=stride, padding="valid")(x))
    out = cnn.pool2d(x, size, stride, mode)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_pool2d_rejects_unknown_mode():
    with pytest.raises(ValueError):
        cnn.pool2d(np.zeros((1, 4, 4, 1)), 2, 2, "median")


@pytest.mark.parametrize("seed", range(6))
def test_formulas_match_keras_conv2d(seed):
    rng = np.random.default_rng(seed)
    f, s = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    c, n = int(rng.integers(1, 5)), int(rng.integers(1, 7))
    h = int(rng.integers(f, 20))
    layer = keras.layers.Conv2D(n, f, strides=s, padding="valid")
    out = layer.compute_output_shape((None, h, h + 3, c))
    layer.build((None, h, h + 3, c))
    assert out[1:] == (cnn.conv_output_size(h, f, 0, s), cnn.conv_output_size(h + 3, f, 0, s), n)
    assert layer.count_params() == cnn.conv_param_count(f, c, n)


def test_lenet5_shapes_and_parameters():
    model = cnn.lenet5()
    assert model.count_params() == 61_706
    shapes = [tuple(layer.output.shape[1:]) for layer in model.layers]
    assert shapes == [(28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16), (400,), (120,), (84,), (10,)]
    by_formula = (cnn.conv_param_count(5, 1, 6) + cnn.conv_param_count(5, 6, 16)
                  + sum(cnn.conv_param_count(1, d, n) for d, n in [(400, 120), (120, 84), (84, 10)]))
    assert by_formula == 61_706


def test_alexnet_shapes_and_parameters():
    model = cnn.alexnet()
    assert [tuple(layer.output.shape[1:]) for layer in model.layers] == cnn.ALEXNET_SHAPES
    assert model.count_params() == cnn.ALEXNET_PARAMS
    h = 227
    for f, s in [(11, 4), (3, 2)]:
        h = cnn.conv_output_size(h, f, 0, s)
    assert h == 27


# ----------------------------------------------------------------- the same numbers as the solution
# references/cnn.py computes the answers of solutions/06_cnn another way (sliding windows and
# one matrix product, where the notebook loops over the kernel's offsets): the same numbers up
# to the order of the sums, the same layers. The notebook's own definitions run next to it
# (see references/solution_code.py), so the two cannot drift apart.
@pytest.fixture(scope="module")
def solution():
    from references.solution_code import solution_namespace

    return solution_namespace("06_cnn", "conv2d_single", "conv_output_size", "conv_param_count", "conv2d",
                              "pool2d", "build_lenet5", "build_alexnet", "conv2d_backward", "max_pool_backward",
                              "batchnorm_forward", "batchnorm_backward")


def _architecture(model):
    """Input shape, and each layer's class and configuration, its name left out."""
    return [tuple(model.inputs[0].shape)] + [
        (type(layer).__name__, {k: v for k, v in layer.get_config().items() if k != "name"})
        for layer in model.layers]


@pytest.mark.parametrize("seed", range(6))
def test_convolution_pooling_and_formulas_match_the_solution(solution, seed):
    rng = np.random.default_rng(40 + seed)
    f, stride, padding = int(rng.integers(1, 5)), int(rng.integers(1, 4)), int(rng.integers(0, 3))
    n, c, n_filters = (int(v) for v in rng.integers(1, 4, size=3))
    h, w = (int(v) for v in rng.integers(f, f + 9, size=2))
    x, kernels, bias = rng.normal(size=(n, h, w, c)), rng.normal(size=(f, f, c, n_filters)), rng.normal(size=n_filters)
    ours = cnn.conv2d(x, kernels, bias, stride=stride, padding=padding)
    theirs = solution["conv2d"](x, kernels, bias, stride=stride, padding=padding)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    image, kernel = x[0, :, :, 0], kernels[:, :, 0, 0]
    np.testing.assert_allclose(cnn.conv2d_single(image, kernel), solution["conv2d_single"](image, kernel),
                               rtol=1e-12, atol=1e-12)
    size, pool_stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    if min(h, w) >= size:
        for mode in ("max", "mean"):
            ours, theirs = cnn.pool2d(x, size, pool_stride, mode), solution["pool2d"](x, size, pool_stride, mode)
            assert ours.shape == theirs.shape
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    for args in [(h, f, padding, stride), (227, 11, 0, 4), (55, 3, 0, 2), (224, 11, 0, 4)]:
        assert cnn.conv_output_size(*args) == solution["conv_output_size"](*args)
    assert cnn.conv_param_count(f, c, n_filters) == solution["conv_param_count"](f, c, n_filters)


def test_lenet5_and_alexnet_match_the_solution(solution):
    import gc

    assert _architecture(cnn.lenet5()) == _architecture(solution["build_lenet5"]())
    theirs = _architecture(solution["build_alexnet"]())  # 62 million weights: one model at a time
    gc.collect()
    assert _architecture(cnn.alexnet()) == theirs
    gc.collect()


# ----------------------------------------------------------------- backward passes against autodiff
# nnlib.gradients.input_gradients differentiates sum(f(inputs) * upstream) on the running
# backend (TensorFlow's GradientTape, jax.grad, PyTorch's autograd). Keras computes in
# float32 (JAX has no float64 without its 64-bit mode), hence tolerances of about 1e-4 of
# the gradients' scale; the finite differences below are float64 and tight.
def _close(ours, theirs, rel=1e-4):
    scale = max(1.0, float(np.max(np.abs(theirs))))
    assert np.shape(ours) == np.shape(theirs)
    assert float(np.max(np.abs(ours - theirs))) < rel * scale, float(np.max(np.abs(ours - theirs)))


def _finite_differences(loss, args, index, h=1e-6):
    grad = np.zeros_like(args[index])
    for idx in np.ndindex(grad.shape):
        up = [a.copy() for a in args]
        up[index][idx] += h
        down = [a.copy() for a in args]
        down[index][idx] -= h
        grad[idx] = (loss(*up) - loss(*down)) / (2 * h)
    return grad


@pytest.mark.parametrize("seed", range(6))
def test_conv2d_backward_matches_autodiff_and_finite_differences(seed):
    from nnlib.gradients import input_gradients

    rng = np.random.default_rng(70 + seed)
    f, stride, padding = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(0, 3))
    n, c, n_filters = (int(v) for v in rng.integers(1, 4, size=3))
    h, w = (int(v) for v in rng.integers(f, f + 6, size=2))
    x, kernels, bias = rng.normal(size=(n, h, w, c)), rng.normal(size=(f, f, c, n_filters)), rng.normal(size=n_filters)
    dout = rng.normal(size=cnn.conv2d(x, kernels, bias, stride, padding).shape)
    grads = cnn.conv2d_backward(dout, x, kernels, stride, padding)
    assert [g.shape for g in grads] == [x.shape, kernels.shape, bias.shape]

    def keras_conv(xt, kt, bt):
        xt = keras.ops.pad(xt, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
        return keras.ops.conv(xt, kt, strides=stride, padding="valid") + bt

    for ours, theirs in zip(grads, input_gradients(keras_conv, [x, kernels, bias], dout)):
        _close(ours, theirs)

    def loss(x_, k_, b_):
        return float(np.sum(cnn.conv2d(x_, k_, b_, stride, padding) * dout))

    for i, ours in enumerate(grads):
        np.testing.assert_allclose(ours, _finite_differences(loss, [x, kernels, bias], i), atol=1e-6)


@pytest.mark.parametrize("size, stride", [(2, 2), (3, 2), (2, 1), (3, 3)])
def test_max_pool_backward_matches_autodiff_and_finite_differences(size, stride):
    from nnlib.gradients import input_gradients

    rng = np.random.default_rng(size * 10 + stride)
    x = rng.normal(size=(2, 7, 8, 3))
    dout = rng.normal(size=cnn.pool2d(x, size, stride).shape)
    ours = cnn.max_pool_backward(dout, x, size, stride)
    (theirs,) = input_gradients(lambda t: keras.ops.max_pool(t, size, strides=stride, padding="valid"), [x], dout)
    _close(ours, theirs)
    np.testing.assert_allclose(
        ours, _finite_differences(lambda v: float(np.sum(cnn.pool2d(v, size, stride) * dout)), [x], 0), atol=1e-6)


def test_max_pool_backward_gives_a_tie_to_the_first_maximum():
    x = np.array([[3.0, 3.0], [1.0, 3.0]])[None, :, :, None]
    dx = cnn.max_pool_backward(np.array([[[[2.0]]]]), x, 2, 2)
    assert dx[0, :, :, 0].tolist() == [[2.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize("shape", [(6, 3), (2, 3, 4, 3)])
def test_batchnorm_forward_matches_keras_layer(shape):
    rng = np.random.default_rng(len(shape))
    x = rng.normal(loc=2.0, scale=3.0, size=shape).astype("float32")
    gamma, beta = rng.normal(size=3), rng.normal(size=3)
    mean0, var0 = rng.normal(size=3), rng.uniform(0.5, 2.0, size=3)
    layer = keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-2)
    layer.build(shape)
    layer.set_weights([gamma, beta, mean0, var0])
    y, mean, var = cnn.batchnorm_forward(x, gamma, beta, mean0, var0, True, momentum=0.9, kappa=1e-2)
    _close(y, keras.ops.convert_to_numpy(layer(x, training=True)))
    _close(mean, keras.ops.convert_to_numpy(layer.moving_mean))
    _close(var, keras.ops.convert_to_numpy(layer.moving_variance))
    y, mean_after, var_after = cnn.batchnorm_forward(x, gamma, beta, mean, var, False, momentum=0.9, kappa=1e-2)
    _close(y, keras.ops.convert_to_numpy(layer(x, training=False)))
    assert np.array_equal(mean_after, mean) and np.array_equal(var_after, var)


@pytest.mark.parametrize("shape", [(6, 3), (2, 3, 4, 3)])
def test_batchnorm_backward_matches_autodiff_and_finite_differences(shape):
    from nnlib.gradients import input_gradients

    rng = np.random.default_rng(10 + len(shape))
    x, gamma, beta = rng.normal(size=shape), rng.normal(size=3), rng.normal(size=3)
    dy = rng.normal(size=shape)
    kappa = 1e-3
    grads = cnn.batchnorm_backward(dy, x, gamma, kappa)
    axes = tuple(range(len(shape) - 1))

    def keras_batchnorm(xt, gt, bt):
        mean, var = keras.ops.moments(xt, axes=axes)
        return gt * (xt - mean) / keras.ops.sqrt(var + kappa) + bt

    for ours, theirs in zip(grads, input_gradients(keras_batchnorm, [x, gamma, beta], dy)):
        _close(ours, theirs, rel=1e-3)

    def loss(x_, g_, b_):
        return float(np.sum(cnn.batchnorm_forward(x_, g_, b_, np.zeros(3), np.ones(3), True, kappa=kappa)[0] * dy))

    for i, ours in enumerate(grads):
        np.testing.assert_allclose(ours, _finite_differences(loss, [x, gamma, beta], i), atol=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_backward_passes_and_batchnorm_match_the_solution(solution, seed):
    rng = np.random.default_rng(90 + seed)
    f, stride, padding = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(0, 3))
    n, c, n_filters = (int(v) for v in rng.integers(1, 4, size=3))
    h, w = (int(v) for v in rng.integers(f + 1, f + 8, size=2))
    x, kernels = rng.normal(size=(n, h, w, c)), rng.normal(size=(f, f, c, n_filters))
    dout = rng.normal(size=cnn.conv2d(x, kernels, None, stride, padding).shape)
    for ours, theirs in zip(cnn.conv2d_backward(dout, x, kernels, stride, padding),
                            solution["conv2d_backward"](dout, x, kernels, stride, padding)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    size, pool_stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    dout = rng.normal(size=cnn.pool2d(x, size, pool_stride).shape)
    np.testing.assert_allclose(cnn.max_pool_backward(dout, x, size, pool_stride),
                               solution["max_pool_backward"](dout, x, size, pool_stride), rtol=1e-12, atol=1e-12)
    gamma, beta, mean, var = rng.normal(size=c), rng.normal(size=c), rng.normal(size=c), rng.uniform(0.5, 2, size=c)
    for training in (True, False):
        for ours, theirs in zip(cnn.batchnorm_forward(x, gamma, beta, mean, var, training, 0.9, 1e-2),
                                solution["batchnorm_forward"](x, gamma, beta, mean, var, training, 0.9, 1e-2)):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    dy = rng.normal(size=x.shape)
    for ours, theirs in zip(cnn.batchnorm_backward(dy, x, gamma, 0.1), solution["batchnorm_backward"](dy, x, gamma, 0.1)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)
