"""Reference answers of 06_cnn: convolution, pooling, shape and parameter formulas, and
the LeNet-5 and AlexNet builders. Checked in ``tests/course/test_references_cnn.py`` against
``keras.ops.conv``, Keras' pooling layers and ``count_params()``.

Conventions (those of the notebook and of Keras, ``data_format="channels_last"``):
images ``x`` of shape (n, h, w, C); kernels of shape (f, f, C, N); the "convolution" is
the cross-correlation ``out[i, j] = sum_{u, v} K[u, v] I[i + u, j + v]`` (no flip), with
the kernel's offsets (u, v), the channels c = 1..C, filter size f, stride s, padding p and
N filters, as in the course's notation.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv_output_size(h: int, f: int, p: int = 0, s: int = 1) -> int:
    """floor((h + 2p - f) / s) + 1: the output size of a convolution or pooling window."""
    return (h + 2 * p - f) // s + 1


def conv_param_count(f: int, C: int, N: int) -> int:  # noqa: N803 (the course's symbols)
    """((f * f * C) + 1) * N: weights and biases of N filters of size f x f x C."""
    return (f * f * C + 1) * N


def conv2d_single(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Valid cross-correlation of one (h, w) image with one (fh, fw) kernel.

    Returns (h - fh + 1, w - fw + 1) with ``out[i, j] = sum_{u, v} K[u, v] I[i + u, j + v]``.
    """
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    windows = sliding_window_view(image, kernel.shape)  # (h', w', kh, kw)
    return np.einsum("ijuv,uv->ij", windows, kernel)


def conv2d(x: np.ndarray, kernels: np.ndarray, bias: np.ndarray | None = None, stride: int = 1,
           padding: int = 0) -> np.ndarray:
    """Cross-correlation of a batch with N filters, with zero padding and a stride.

    Parameters
    ----------
    x : ndarray, shape (n, h, w, C)
    kernels : ndarray, shape (f, f, C, N) (Keras' layout; rectangular kernels work too)
    bias : ndarray, shape (N,), optional
    stride, padding : int
        The same stride in both directions; ``padding`` zeros on each of the four sides.

    Returns
    -------
    ndarray, shape (n, h', w', N), with h' = floor((h + 2p - f) / s) + 1
    """
    x = np.asarray(x, dtype=float)
    kernels = np.asarray(kernels, dtype=float)
    fh, fw, c, n_filters = kernels.shape
    if padding:
        x = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    windows = sliding_window_view(x, (fh, fw), axis=(1, 2))[:, ::stride, ::stride]  # (n, h', w', c, fh, fw)
    n, oh, ow = windows.shape[:3]
    cols = windows.reshape(n * oh * ow, c * fh * fw)
    out = cols @ kernels.transpose(2, 0, 1, 3).reshape(c * fh * fw, n_filters)
    out = out.reshape(n, oh, ow, n_filters)
    if bias is not None:
        out = out + np.asarray(bias, dtype=float)
    return out


def pool2d(x: np.ndarray, size: int, stride: int | None = None, mode: str = "max") -> np.ndarray:
    """Max or mean pooling of (n, h, w, C) over size x size windows moved by ``stride``.

    Returns (n, h', w', C) with h' = floor((h - size) / stride) + 1 (no padding).
    """
    stride = size if stride is None else stride
    x = np.asarray(x, dtype=float)
    windows = sliding_window_view(x, (size, size), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "max":
        return windows.max(axis=(-2, -1))
    if mode == "mean":
        return windows.mean(axis=(-2, -1))
    raise ValueError(f"mode must be 'max' or 'mean', not {mode!r}")


def lenet5(activation: str = "relu"):
    """LeNet-5 in its common Keras form: 61,706 parameters, input (32, 32, 1)."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(32, 32, 1)),
            layers.Conv2D(6, 5, activation=activation),  # (28, 28, 6)
            layers.AveragePooling2D(2),  # (14, 14, 6)
            layers.Conv2D(16, 5, activation=activation),  # (10, 10, 16)
            layers.AveragePooling2D(2),  # (5, 5, 16)
            layers.Flatten(),  # (400,)
            layers.Dense(120, activation=activation),
            layers.Dense(84, activation=activation),
            layers.Dense(10, activation="softmax"),
        ],
        name="lenet5",
    )


#: AlexNet's table: the output shape of each layer (Flatten included) for a 227 x 227 x 3 input.
ALEXNET_SHAPES = [
    (55, 55, 96), (27, 27, 96), (27, 27, 256), (13, 13, 256), (13, 13, 384),
    (13, 13, 384), (13, 13, 256), (6, 6, 256), (9216,), (4096,), (4096,), (1000,),
]

#: Parameters of the single-stream AlexNet of the table (no grouped convolutions).
ALEXNET_PARAMS = 62_378_344


def alexnet():
    """AlexNet as in its table (227 x 227 x 3 input, one stream, no normalisation layers)."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(shape=(227, 227, 3)),
            layers.Conv2D(96, 11, strides=4, activation="relu"),
            layers.MaxPooling2D(3, strides=2),
            layers.Conv2D(256, 5, padding="same", activation="relu"),
            layers.MaxPooling2D(3, strides=2),
            layers.Conv2D(384, 3, padding="same", activation="relu"),
            layers.Conv2D(384, 3, padding="same", activation="relu"),
            layers.Conv2D(256, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(3, strides=2),
            layers.Flatten(),
            layers.Dense(4096, activation="relu"),
            layers.Dense(4096, activation="relu"),
            layers.Dense(1000, activation="softmax"),
        ],
        name="alexnet",
    )


# ----------------------------------------------------------------- backward passes
def conv2d_backward(dout: np.ndarray, x: np.ndarray, kernels: np.ndarray, stride: int = 1,
                    padding: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``sum(conv2d(x, kernels, bias, stride, padding) * dout)``.

    Parameters
    ----------
    dout : ndarray, shape (n, h', w', N)
        The gradient of the loss with respect to the convolution's output.
    x : ndarray, shape (n, h, w, C)
    kernels : ndarray, shape (f, f, C, N)
    stride, padding : int
        As in :func:`conv2d`.

    Returns
    -------
    dx : ndarray, shape (n, h, w, C)
    dkernels : ndarray, shape (f, f, C, N)
    dbias : ndarray, shape (N,)

    Written with sliding windows (im2col): ``dkernels`` is one matrix product of the
    windows with ``dout``; ``dx`` scatters each window's gradient back with ``np.add.at``
    (the notebook loops over the kernel's offsets instead).
    """
    x = np.asarray(x, dtype=float)
    kernels = np.asarray(kernels, dtype=float)
    dout = np.asarray(dout, dtype=float)
    fh, fw, c, n_filters = kernels.shape
    n, h, w, _ = x.shape
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    windows = sliding_window_view(xp, (fh, fw), axis=(1, 2))[:, ::stride, ::stride]  # (n, h', w', C, fh, fw)
    oh, ow = windows.shape[1:3]
    rows = windows.reshape(n * oh * ow, c * fh * fw)
    grads = dout.reshape(n * oh * ow, n_filters)
    dkernels = (rows.T @ grads).reshape(c, fh, fw, n_filters).transpose(1, 2, 0, 3)
    dbias = grads.sum(axis=0)
    dwindows = (grads @ kernels.transpose(2, 0, 1, 3).reshape(c * fh * fw, n_filters).T).reshape(
        n, oh, ow, c, fh, fw)
    ii = (np.arange(oh) * stride)[:, None, None, None] + np.arange(fh)[None, None, :, None]  # (h', 1, fh, 1)
    jj = (np.arange(ow) * stride)[None, :, None, None] + np.arange(fw)[None, None, None, :]  # (1, w', 1, fw)
    dxp = np.zeros_like(xp)
    # dxp[:, i s + u, j s + v, c] += dwindows[:, i, j, c, u, v]
    np.add.at(dxp, (slice(None), ii, jj), dwindows.transpose(0, 1, 2, 4, 5, 3))
    dx = dxp[:, padding:padding + h, padding:padding + w, :]
    return dx, dkernels, dbias


def max_pool_backward(dout: np.ndarray, x: np.ndarray, size: int, stride: int | None = None) -> np.ndarray:
    """Gradient of ``sum(pool2d(x, size, stride, "max") * dout)`` with respect to ``x``.

    Each window's gradient goes to its maximum (to the first one in row-major order when
    several tie, as ``np.argmax`` picks); a value that is the maximum of several
    overlapping windows gets the sum of their gradients.

    Returns
    -------
    ndarray, shape of ``x``
    """
    stride = size if stride is None else stride
    x = np.asarray(x, dtype=float)
    dout = np.asarray(dout, dtype=float)
    windows = sliding_window_view(x, (size, size), axis=(1, 2))[:, ::stride, ::stride]  # (n, h', w', C, s, s)
    n, oh, ow, c = windows.shape[:4]
    flat = windows.reshape(n, oh, ow, c, size * size).argmax(axis=-1)
    rows = (np.arange(oh) * stride)[None, :, None, None] + flat // size
    cols = (np.arange(ow) * stride)[None, None, :, None] + flat % size
    dx = np.zeros_like(x)
    idx_n = np.arange(n)[:, None, None, None]
    idx_c = np.arange(c)[None, None, None, :]
    np.add.at(dx, (idx_n, rows, cols, idx_c), dout)
    return dx


def batchnorm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, moving_mean: np.ndarray,
                      moving_var: np.ndarray, training: bool, momentum: float = 0.99,
                      kappa: float = 1e-3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch normalisation of ``x`` (any shape, features on the last axis), as Keras'
    ``BatchNormalization(momentum=momentum, epsilon=kappa)``.

    Training: the statistics of the batch (over every axis but the last; the variance
    with 1/m), and the moving averages updated as
    ``moving = momentum * moving + (1 - momentum) * batch``. Inference: the moving
    averages, returned unchanged.

    Returns
    -------
    y : ndarray, shape of ``x``
    moving_mean, moving_var : ndarray, shape (C,)
        New arrays (the arguments are not changed).
    """
    x = np.asarray(x, dtype=float)
    axes = tuple(range(x.ndim - 1))
    moving_mean = np.array(moving_mean, dtype=float)
    moving_var = np.array(moving_var, dtype=float)
    if training:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
        moving_mean = momentum * moving_mean + (1 - momentum) * mean
        moving_var = momentum * moving_var + (1 - momentum) * var
    else:
        mean, var = moving_mean, moving_var
    y = gamma * (x - mean) / np.sqrt(var + kappa) + beta
    return y, moving_mean, moving_var


def batchnorm_backward(dy: np.ndarray, x: np.ndarray, gamma: np.ndarray,
                       kappa: float = 1e-3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of ``sum(batchnorm_forward(x, gamma, beta, ..., training=True)[0] * dy)``
    with respect to ``x``, ``gamma`` and ``beta`` (the batch statistics depend on ``x``).

    Written as the chain rule through each step of the forward pass (mean, centred
    values, variance, scale), not with the closed form the notebook derives.

    Returns
    -------
    dx : ndarray, shape of ``x``
    dgamma, dbeta : ndarray, shape (C,)
    """
    x = np.asarray(x, dtype=float)
    dy = np.asarray(dy, dtype=float)
    axes = tuple(range(x.ndim - 1))
    m = x.size // x.shape[-1]
    mean = x.mean(axis=axes)
    centred = x - mean
    var = (centred**2).mean(axis=axes)
    inv_std = 1.0 / np.sqrt(var + kappa)
    x_hat = centred * inv_std
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * x_hat).sum(axis=axes)
    dx_hat = dy * gamma
    dinv_std = (dx_hat * centred).sum(axis=axes)
    dvar = dinv_std * -0.5 * (var + kappa) ** -1.5
    dcentred = dx_hat * inv_std + dvar * 2 * centred / m
    dx = dcentred - dcentred.sum(axis=axes) / m
    return dx, dgamma, dbeta
