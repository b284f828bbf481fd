"""Plausible wrong answers to 06_cnn. Each entry replaces answer cells (by grade_id)
of the solution; the round trip checks that every test cell in ``fails`` loses points."""

_CONV2D = '''def conv2d(x, kernels, bias, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    kernels = np.asarray(kernels, dtype=float)
    fh, fw, c, n_filters = kernels.shape
    x = np.pad(x, {pad})
    n, h, w, _ = x.shape
    out_h, out_w = (h - fh) // stride + 1, (w - fw) // stride + 1
    out = np.zeros((n, out_h, out_w, n_filters))
    for m in range(fh):
        for k in range(fw):
            touched = x[:, m:m + stride * (out_h - 1) + 1:stride, k:k + stride * (out_w - 1) + 1:stride, :]
            out += {product}
    return out + np.asarray(bias, dtype=float)'''

_ALEXNET = """def build_alexnet():
    conv = keras.layers.Conv2D
    return keras.Sequential([
        keras.Input(shape=(227, 227, 3)),
        conv(96, 11, strides=4, activation={act}),
        {pool},
        conv(256, 5, padding="same", activation={act}),
        {pool},
        conv(384, 3, padding="same", activation={act}),
        conv(384, 3, padding="same", activation={act}),
        conv(256, 3, padding="same", activation={act}),
        {pool},
        keras.layers.Flatten(),
        keras.layers.Dense(4096, activation={act}),
        keras.layers.Dense(4096, activation={act}),
        keras.layers.Dense(1000, activation="softmax"),
    ])"""


_CONV2D_BACKWARD = """def conv2d_backward(dout, x, kernels, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    kernels = np.asarray(kernels, dtype=float)
    dout = np.asarray(dout, dtype=float)
    f = kernels.shape[0]
    n, h, w, _ = x.shape
    out_h, out_w = dout.shape[1:3]
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))
    dxp, dkernels = np.zeros_like(xp), np.zeros_like(kernels)
    for u in range(f):
        for v in range(f):
            rows = slice(u, u + stride * (out_h - 1) + 1, stride)
            cols = slice(v, v + stride * (out_w - 1) + 1, stride)
            dkernels[u, v] = np.tensordot(xp[:, rows, cols, :], dout, axes=([0, 1, 2], [0, 1, 2]))
            dxp[:, {scatter}, :] += dout @ kernels[u, v].T
    return {crop}, dkernels, {dbias}"""

_BATCHNORM_FORWARD = """def batchnorm_forward(x, gamma, beta, moving_mean, moving_var, training, momentum=0.99, kappa=1e-3):
    x = np.asarray(x, dtype=float)
    axes = {axes}
    if training:
        mean, var = x.mean(axis=axes), {var}
        new_mean = {update_mean}
        new_var = {update_var}
    else:
        mean, var = moving_mean, moving_var
        new_mean, new_var = np.array(moving_mean, dtype=float), np.array(moving_var, dtype=float)
    return gamma * (x - mean) / ({scale}) + beta, new_mean, new_var"""

_BATCHNORM_BACKWARD = """def batchnorm_backward(dy, x, gamma, kappa=1e-3):
    x = np.asarray(x, dtype=float)
    dy = np.asarray(dy, dtype=float)
    axes = tuple(range(x.ndim - 1))
    m = x.size // x.shape[-1]
    inv_std = 1.0 / np.sqrt(x.var(axis=axes) + kappa)
    x_hat = (x - x.mean(axis=axes)) * inv_std
    return {dx}, {dgamma}, dy.sum(axis=axes)"""



def _batchnorm_forward(var="x.var(axis=axes)", update="momentum * {old} + (1 - momentum) * {new}",
                       scale="np.sqrt(var + kappa)", axes="tuple(range(x.ndim - 1))"):
    """The solution's forward pass with one piece changed."""
    return _BATCHNORM_FORWARD.format(var=var, update_mean=update.format(old="moving_mean", new="mean"),
                                     update_var=update.format(old="moving_var", new="var"), scale=scale, axes=axes)


_RESIDUAL = """def residual_block(inputs, filters, stride=1):
    h = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(inputs)
    h = keras.layers.BatchNormalization()(h)
    h = keras.layers.ReLU()(h)
    h = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
    {branch_end}
    shortcut = inputs
    if {condition}:
        shortcut = keras.layers.Conv2D(filters, 1, strides={proj_stride}, use_bias=False)(inputs)
        shortcut = keras.layers.BatchNormalization()(shortcut)
    return {out}"""

WRONG_ANSWERS = [
    dict(
        name="conv2d-single-flipped-kernel",  # a true convolution instead of the course's cross-correlation
        replace={"answer-06-conv2d-single": (
            "def conv2d_single(image, kernel):\n"
            "    image = np.asarray(image, dtype=float)\n"
            "    kernel = np.asarray(kernel, dtype=float)[::-1, ::-1]\n"
            "    kh, kw = kernel.shape\n"
            "    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))\n"
            "    for i in range(out.shape[0]):\n"
            "        for j in range(out.shape[1]):\n"
            "            out[i, j] = np.sum(kernel * image[i:i + kh, j:j + kw])\n"
            "    return out"
        )},
        fails=["ex-06-conv2d-single"],
    ),
    dict(
        name="output-size-off-by-one",
        replace={"answer-06-output-size": "def conv_output_size(h, f, p=0, s=1):\n    return (h + 2 * p - f) // s"},
        fails=["ex-06-output-size"],
    ),
    dict(
        name="param-count-without-bias",
        replace={"answer-06-param-count": "def conv_param_count(f, c, n):\n    return f * f * c * n"},
        fails=["ex-06-param-count"],
    ),
    dict(
        name="conv2d-padding-on-one-side",
        replace={"answer-06-conv2d": _CONV2D.format(
            pad="((0, 0), (padding, 0), (padding, 0), (0, 0))", product="touched @ kernels[m, k]")},
        fails=["ex-06-conv2d-stride-padding"],
    ),
    dict(
        name="conv2d-channels-not-summed",  # only the first input channel is used
        replace={"answer-06-conv2d": _CONV2D.format(
            pad="((0, 0), (padding, padding), (padding, padding), (0, 0))",
            product="touched[..., :1] @ kernels[m, k, :1]")},
        fails=["ex-06-conv2d"],
    ),
    dict(
        name="pool2d-window-moved-by-size-not-stride",
        replace={"answer-06-pool2d": (
            "def pool2d(x, size=2, stride=2, mode='max'):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    n, h, w, c = x.shape\n"
            "    out_h, out_w = (h - size) // stride + 1, (w - size) // stride + 1\n"
            "    out = np.zeros((n, out_h, out_w, c))\n"
            "    for i in range(out_h):\n"
            "        for j in range(out_w):\n"
            "            window = x[:, i * size:i * size + size, j * size:j * size + size, :]\n"
            "            out[:, i, j, :] = window.max(axis=(1, 2)) if mode == 'max' else window.mean(axis=(1, 2))\n"
            "    return out"
        )},
        fails=["ex-06-pool2d"],
    ),
    dict(
        name="conv2d-loops-over-output-positions",  # right values, but not vectorised as asked
        replace={"answer-06-conv2d": (
            "def conv2d(x, kernels, bias, stride=1, padding=0):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    kernels = np.asarray(kernels, dtype=float)\n"
            "    fh, fw, c, n_filters = kernels.shape\n"
            "    x = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))\n"
            "    n, h, w, _ = x.shape\n"
            "    out_h, out_w = (h - fh) // stride + 1, (w - fw) // stride + 1\n"
            "    out = np.zeros((n, out_h, out_w, n_filters))\n"
            "    for i in range(out_h):\n"
            "        for j in range(out_w):\n"
            "            window = x[:, i * stride:i * stride + fh, j * stride:j * stride + fw, :]\n"
            "            out[:, i, j, :] = np.tensordot(window, kernels, axes=([1, 2, 3], [0, 1, 2]))\n"
            "    return out + np.asarray(bias, dtype=float)"
        )},
        fails=["ex-06-conv2d"],
    ),
    dict(
        name="alexnet-pooling-2x2",  # the slides' "max-pooling 2x2": same shapes, not AlexNet's pooling
        replace={"answer-06-alexnet": _ALEXNET.format(pool="keras.layers.MaxPooling2D(2)", act="'relu'")},
        fails=["ex-06-alexnet"],
    ),
    dict(
        name="alexnet-without-hidden-activations",  # only the final softmax: a linear network until then
        replace={"answer-06-alexnet": _ALEXNET.format(pool="keras.layers.MaxPooling2D(3, strides=2)", act="None")},
        fails=["ex-06-alexnet"],
    ),
    dict(
        name="conv2d-single-slides-swapped-indices",  # the slides' K(m, n) I(i + n, j + m)
        replace={"answer-06-conv2d-single": (
            "def conv2d_single(image, kernel):\n"
            "    image = np.asarray(image, dtype=float)\n"
            "    kernel = np.asarray(kernel, dtype=float)\n"
            "    fh, fw = kernel.shape\n"
            "    out = np.zeros((image.shape[0] - fw + 1, image.shape[1] - fh + 1))\n"
            "    for i in range(out.shape[0]):\n"
            "        for j in range(out.shape[1]):\n"
            "            out[i, j] = sum(kernel[u, v] * image[i + v, j + u] for u in range(fh) for v in range(fw))\n"
            "    return out"
        )},
        fails=["ex-06-conv2d-single"],
    ),
    dict(
        name="pool2d-mean-divided-by-size",  # a window's sum divided by its side, not by its size * size values
        replace={"answer-06-pool2d": (
            "def pool2d(x, size=2, stride=2, mode='max'):\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(x, dtype=float), (size, size), axis=(1, 2))\n"
            "    windows = windows[:, ::stride, ::stride]\n"
            "    return windows.max(axis=(4, 5)) if mode == 'max' else windows.sum(axis=(4, 5)) / size"
        )},
        fails=["ex-06-pool2d"],
    ),
    dict(
        name="lenet5-max-pooling",  # the same shapes and parameters, but not the table's average pooling
        replace={"answer-06-lenet5": (
            "def build_lenet5():\n"
            "    return keras.Sequential([\n"
            "        keras.Input(shape=(32, 32, 1)),\n"
            "        keras.layers.Conv2D(6, 5, activation='relu'),\n"
            "        keras.layers.MaxPooling2D(2),\n"
            "        keras.layers.Conv2D(16, 5, activation='relu'),\n"
            "        keras.layers.MaxPooling2D(2),\n"
            "        keras.layers.Flatten(),\n"
            "        keras.layers.Dense(120, activation='relu'),\n"
            "        keras.layers.Dense(84, activation='relu'),\n"
            "        keras.layers.Dense(10, activation='softmax'),\n"
            "    ])"
        )},
        fails=["ex-06-lenet5"],
    ),
    # ------------------------------------------------------------ Exercise 4b: backward pass of conv2d
    dict(
        name="conv2d-backward-crops-top-left",  # the padding's margin cut off the bottom and right only
        replace={"answer-06-conv2d-backward": _CONV2D_BACKWARD.format(
            crop="dxp[:, :h, :w, :]", dbias="dout.sum(axis=(0, 1, 2))", scatter="rows, cols")},
        fails=["ex-06-conv2d-backward"],
    ),
    dict(
        name="conv2d-backward-loops-over-images",  # right values, one image at a time: not vectorised
        replace={"answer-06-conv2d-backward": (
            "def conv2d_backward(dout, x, kernels, stride=1, padding=0):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    kernels = np.asarray(kernels, dtype=float)\n"
            "    f = kernels.shape[0]\n"
            "    n, h, w, _ = x.shape\n"
            "    out_h, out_w = dout.shape[1:3]\n"
            "    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))\n"
            "    dxp, dkernels = np.zeros_like(xp), np.zeros_like(kernels)\n"
            "    for i in range(n):\n"
            "        for u in range(f):\n"
            "            for v in range(f):\n"
            "                rows = slice(u, u + stride * (out_h - 1) + 1, stride)\n"
            "                cols = slice(v, v + stride * (out_w - 1) + 1, stride)\n"
            "                dkernels[u, v] += np.tensordot(xp[i, rows, cols], dout[i], axes=([0, 1], [0, 1]))\n"
            "                dxp[i, rows, cols] += dout[i] @ kernels[u, v].T\n"
            "    return dxp[:, padding:padding + h, padding:padding + w], dkernels, np.sum(dout, axis=(0, 1, 2))"
        )},
        fails=["ex-06-conv2d-backward"],
    ),
    # ------------------------------------------------------------ Exercise 5b: backward pass of max pooling
    dict(
        name="max-pool-backward-overlaps-not-added",  # fancy-index assignment keeps one window's gradient per value
        replace={"answer-06-max-pool-backward": (
            "def max_pool_backward(dout, x, size=2, stride=2):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(1, 2))[:, ::stride, ::stride]\n"
            "    n, out_h, out_w, c = windows.shape[:4]\n"
            "    best = windows.reshape(n, out_h, out_w, c, size * size).argmax(axis=-1)\n"
            "    rows = np.arange(out_h)[None, :, None, None] * stride + best // size\n"
            "    cols = np.arange(out_w)[None, None, :, None] * stride + best % size\n"
            "    dx = np.zeros_like(x)\n"
            "    dx[np.arange(n)[:, None, None, None], rows, cols, np.arange(c)] += dout  # duplicates: the last one wins\n"
            "    return dx"
        )},
        fails=["ex-06-max-pool-backward"],
    ),
    dict(
        name="max-pool-backward-loops-over-positions",  # right values, not vectorised
        replace={"answer-06-max-pool-backward": (
            "def max_pool_backward(dout, x, size=2, stride=2):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    dx = np.zeros_like(x)\n"
            "    n, out_h, out_w, c = np.shape(dout)\n"
            "    for i in range(out_h):\n"
            "        for j in range(out_w):\n"
            "            window = x[:, i * stride:i * stride + size, j * stride:j * stride + size, :]\n"
            "            mask = window == window.max(axis=(1, 2), keepdims=True)\n"
            "            dx[:, i * stride:i * stride + size, j * stride:j * stride + size, :] += mask * dout[:, i:i + 1, j:j + 1, :]\n"
            "    return dx"
        )},
        fails=["ex-06-max-pool-backward"],
    ),
    # ------------------------------------------------------------ Exercise 8: batch normalisation, forward
    dict(
        name="batchnorm-forward-unbiased-variance",  # np.var(ddof=1): Keras divides by m
        replace={"answer-06-batchnorm-forward": _batchnorm_forward(var="x.var(axis=axes, ddof=1)")},
        fails=["ex-06-batchnorm-forward"],
    ),
    dict(
        name="batchnorm-forward-momentum-swapped",  # the new batch weighted by momentum (PyTorch's convention)
        replace={"answer-06-batchnorm-forward": _batchnorm_forward(
            update="(1 - momentum) * {old} + momentum * {new}")},
        fails=["ex-06-batchnorm-forward"],
    ),
    # ------------------------------------------------------------ Exercise 9: batch normalisation, backward
    dict(
        name="batchnorm-backward-statistics-held-constant",  # only the direct path: mu_B and sigma_B as constants
        replace={"answer-06-batchnorm-backward": _BATCHNORM_BACKWARD.format(
            dx="gamma * inv_std * dy", dgamma="(dy * x_hat).sum(axis=axes)")},
        fails=["ex-06-batchnorm-backward"],
    ),
    dict(
        name="batchnorm-backward-variance-path-missing",  # the mean's path, not the variance's
        replace={"answer-06-batchnorm-backward": _BATCHNORM_BACKWARD.format(
            dx="gamma * inv_std * (dy - dy.mean(axis=axes))", dgamma="(dy * x_hat).sum(axis=axes)")},
        fails=["ex-06-batchnorm-backward"],
    ),
    # ------------------------------------------------------------ Exercise 10: residual block
    dict(
        name="residual-block-relu-before-the-sum",  # ReLU at the end of the branch, none after the sum
        replace={"answer-06-residual-block": _RESIDUAL.format(
            branch_end="h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))",
            condition="stride != 1 or inputs.shape[-1] != filters", proj_stride="stride",
            out="keras.layers.Add()([h, shortcut])")},
        fails=["ex-06-residual-block"],
    ),
    dict(
        name="residual-block-projection-without-stride",  # the 1x1 projection keeps the size: the sum fails
        replace={"answer-06-residual-block": _RESIDUAL.format(
            branch_end="h = keras.layers.BatchNormalization()(h)",
            condition="stride != 1 or inputs.shape[-1] != filters", proj_stride="1",
            out="keras.layers.ReLU()(keras.layers.Add()([h, shortcut]))")},
        fails=["ex-06-residual-block"],
    ),
]

#: Right answers written another valid way: each must keep full marks. Entries that replace
#: different answer cells share one submission in the round trip.
RIGHT_ANSWERS = [
    # ------------------------------------------------------------ Exercise 1: one channel
    dict(
        name="conv2d-single-sliding-windows-einsum",  # no loop at all
        replace={"answer-06-conv2d-single": (
            "def conv2d_single(image, kernel):\n"
            "    kernel = np.asarray(kernel, dtype=float)\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(image, dtype=float), kernel.shape)\n"
            "    return np.einsum('ijuv,uv->ij', windows, kernel)"
        )},
    ),
    dict(
        name="conv2d-single-scipy-correlate2d",  # a library call that computes exactly this sum
        replace={"answer-06-conv2d-single": (
            "from scipy.signal import correlate2d\n"
            "\n"
            "\n"
            "def conv2d_single(image, kernel):\n"
            "    return correlate2d(np.asarray(image, dtype=float), np.asarray(kernel, dtype=float), mode='valid')"
        )},
    ),
    dict(
        name="conv2d-single-loops-over-output-positions",  # the text allows two loops over the output
        replace={"answer-06-conv2d-single": (
            "def conv2d_single(image, kernel):\n"
            "    fh, fw = np.shape(kernel)\n"
            "    h, w = np.shape(image)\n"
            "    out = np.empty((h - fh + 1, w - fw + 1))\n"
            "    for i in range(h - fh + 1):\n"
            "        for j in range(w - fw + 1):\n"
            "            out[i, j] = np.sum(np.asarray(kernel) * np.asarray(image)[i:i + fh, j:j + fw])\n"
            "    return out"
        )},
    ),
    dict(
        name="conv2d-single-windows-tensordot",  # an integer image and kernel give integers: the text asks no dtype
        replace={"answer-06-conv2d-single": (
            "from numpy.lib.stride_tricks import sliding_window_view\n"
            "\n"
            "\n"
            "def conv2d_single(image, kernel):\n"
            "    kernel = np.asarray(kernel)\n"
            "    return np.tensordot(sliding_window_view(np.asarray(image), kernel.shape), kernel, axes=2)"
        )},
    ),
    dict(
        name="conv2d-single-scipy-convolve2d-flipped-back",  # a true convolution of the flipped kernel
        replace={"answer-06-conv2d-single": (
            "import scipy.signal\n"
            "\n"
            "\n"
            "def conv2d_single(image, kernel):\n"
            "    return scipy.signal.convolve2d(image, np.asarray(kernel, dtype=float)[::-1, ::-1], mode='valid')"
        )},
    ),
    # ------------------------------------------------------------ Exercise 2: output size
    dict(
        name="output-size-math-floor",
        replace={"answer-06-output-size": (
            "import math\n"
            "\n"
            "\n"
            "def conv_output_size(h, f, p=0, s=1):\n"
            "    return math.floor((h + 2 * p - f) / s) + 1"
        )},
    ),
    dict(
        name="output-size-floor-division-no-cast",
        replace={"answer-06-output-size": "def conv_output_size(h, f, p=0, s=1):\n    return (h + 2 * p - f) // s + 1"},
    ),
    dict(
        name="output-size-int-truncation",  # int() rounds towards 0: the same as floor for f <= h + 2p
        replace={"answer-06-output-size": "def conv_output_size(h, f, p=0, s=1):\n    return int((h + 2 * p - f) / s) + 1"},
    ),
    dict(
        name="output-size-counts-window-starts",
        replace={"answer-06-output-size": (
            "def conv_output_size(h, f, p=0, s=1):\n"
            "    return len(range(0, h + 2 * p - f + 1, s))  # the first rows of the windows that fit"
        )},
    ),
    # ------------------------------------------------------------ Exercise 3: parameter count
    dict(
        name="param-count-keras-conv2d",  # build the layer and ask it
        replace={"answer-06-param-count": (
            "def conv_param_count(f, C, N):\n"
            "    layer = keras.layers.Conv2D(N, f)\n"
            "    layer.build((None, f, f, C))\n"
            "    return layer.count_params()"
        )},
    ),
    dict(
        name="param-count-expanded",  # weights, then biases; other argument names
        replace={"answer-06-param-count": (
            "def conv_param_count(f, c, n):\n"
            "    weights = f ** 2 * c * n\n"
            "    return weights + n"
        )},
    ),
    dict(
        name="param-count-numpy-prod",
        replace={"answer-06-param-count": (
            "def conv_param_count(f, C, N):\n"
            "    return int(np.prod([f, f, C]) + 1) * N"
        )},
    ),
    # ------------------------------------------------------------ Exercise 4: N filters, stride, padding
    dict(
        name="conv2d-sliding-windows-einsum",  # vectorised without any Python loop
        replace={"answer-06-conv2d": (
            "from numpy.lib.stride_tricks import sliding_window_view\n"
            "\n"
            "\n"
            "def conv2d(x, kernels, bias, stride=1, padding=0):\n"
            "    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (padding, padding), (padding, padding), (0, 0)))\n"
            "    kernels = np.asarray(kernels, dtype=float)\n"
            "    windows = sliding_window_view(x, kernels.shape[:2], axis=(1, 2))[:, ::stride, ::stride]\n"
            "    return np.einsum('nijcuv,uvcq->nijq', windows, kernels) + np.asarray(bias, dtype=float)"
        )},
    ),
    dict(
        name="conv2d-sliding-windows-tensordot",
        replace={"answer-06-conv2d": (
            "def conv2d(x, kernels, bias, stride=1, padding=0):\n"
            "    p = padding\n"
            "    x = np.pad(np.asarray(x, dtype=float), [(0, 0), (p, p), (p, p), (0, 0)], mode='constant')\n"
            "    f = np.shape(kernels)[0]\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(x, (f, f), axis=(1, 2))  # (n, ., ., C, f, f)\n"
            "    windows = windows[:, ::stride, ::stride]\n"
            "    return np.tensordot(windows, kernels, axes=([4, 5, 3], [0, 1, 2])) + bias"
        )},
    ),
    dict(
        name="conv2d-im2col-one-matrix-product",  # windows as the rows of a matrix, filters as its columns
        replace={"answer-06-conv2d": (
            "def conv2d(x, kernels, bias, stride=1, padding=0):\n"
            "    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (padding, padding), (padding, padding), (0, 0)))\n"
            "    f, _, c, n_filters = np.shape(kernels)\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(x, (f, f), axis=(1, 2))[:, ::stride, ::stride]\n"
            "    n, out_h, out_w = windows.shape[:3]\n"
            "    rows = windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * out_h * out_w, f * f * c)\n"
            "    columns = np.asarray(kernels, dtype=float).reshape(f * f * c, n_filters)\n"
            "    return (rows @ columns).reshape(n, out_h, out_w, n_filters) + bias"
        )},
    ),
    dict(
        name="conv2d-loop-over-filters-zero-array-padding",  # the text allows a loop over the filters
        replace={"answer-06-conv2d": (
            "def conv2d(x, kernels, bias, stride=1, padding=0):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    kernels = np.asarray(kernels, dtype=float)\n"
            "    n, h, w, c = x.shape\n"
            "    f = kernels.shape[0]\n"
            "    padded = np.zeros((n, h + 2 * padding, w + 2 * padding, c))\n"
            "    padded[:, padding:padding + h, padding:padding + w, :] = x\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(padded, (f, f), axis=(1, 2))[:, ::stride, ::stride]\n"
            "    maps = []\n"
            "    for q in range(kernels.shape[-1]):  # one filter at a time\n"
            "        weights = kernels[:, :, :, q].transpose(2, 0, 1)  # (C, f, f), as the windows' last axes\n"
            "        maps.append((windows * weights).sum(axis=(3, 4, 5)) + bias[q])\n"
            "    return np.stack(maps, axis=-1)"
        )},
    ),
    dict(
        name="conv2d-offsets-einsum-zero-array-padding",  # the hint's loop, with einsum and no np.pad
        replace={"answer-06-conv2d": (
            "def conv2d(x, kernels, bias, stride=1, padding=0):\n"
            "    n, h, w, c = np.shape(x)\n"
            "    f = np.shape(kernels)[0]\n"
            "    padded = np.zeros((n, h + 2 * padding, w + 2 * padding, c))\n"
            "    padded[:, padding:padding + h, padding:padding + w] = x\n"
            "    out_h = (h + 2 * padding - f) // stride + 1\n"
            "    out_w = (w + 2 * padding - f) // stride + 1\n"
            "    out = np.zeros((n, out_h, out_w, np.shape(kernels)[-1]))\n"
            "    for u in range(f):\n"
            "        for v in range(f):\n"
            "            touched = padded[:, u::stride, v::stride][:, :out_h, :out_w]\n"
            "            out += np.einsum('nijc,cq->nijq', touched, kernels[u][v])\n"
            "    return out + bias"
        )},
    ),
    # ------------------------------------------------------------ Exercise 5: pooling
    dict(
        name="pool2d-sliding-windows",
        replace={"answer-06-pool2d": (
            "from numpy.lib.stride_tricks import sliding_window_view\n"
            "\n"
            "\n"
            "def pool2d(x, size=2, stride=2, mode='max'):\n"
            "    windows = sliding_window_view(np.asarray(x, dtype=float), (size, size), axis=(1, 2))[:, ::stride, ::stride]\n"
            "    return windows.max(axis=(4, 5)) if mode == 'max' else windows.mean(axis=(4, 5))"
        )},
    ),
    dict(
        name="pool2d-loops-over-output-positions",  # the text allows loops here
        replace={"answer-06-pool2d": (
            "def pool2d(x, size=2, stride=2, mode='max'):\n"
            "    n, h, w, c = np.shape(x)\n"
            "    out_h, out_w = (h - size) // stride + 1, (w - size) // stride + 1\n"
            "    reduce = np.max if mode == 'max' else np.mean\n"
            "    out = np.zeros((n, out_h, out_w, c))\n"
            "    for i in range(out_h):\n"
            "        for j in range(out_w):\n"
            "            window = np.asarray(x)[:, i * stride:i * stride + size, j * stride:j * stride + size, :]\n"
            "            out[:, i, j, :] = reduce(window, axis=(1, 2))\n"
            "    return out"
        )},
    ),
    dict(
        name="pool2d-reshape-when-windows-tile",  # reshape for side-by-side windows, sliding windows otherwise
        replace={"answer-06-pool2d": (
            "def pool2d(x, size=2, stride=2, mode='max'):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    n, h, w, c = x.shape\n"
            "    out_h, out_w = (h - size) // stride + 1, (w - size) // stride + 1\n"
            "    if stride == size:\n"
            "        blocks = x[:, :out_h * size, :out_w * size].reshape(n, out_h, size, out_w, size, c)\n"
            "        axes = (2, 4)\n"
            "    else:\n"
            "        blocks = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(1, 2))[:, ::stride, ::stride]\n"
            "        axes = (4, 5)\n"
            "    return blocks.max(axis=axes) if mode == 'max' else blocks.mean(axis=axes)"
        )},
    ),
    dict(
        name="pool2d-index-arrays",  # the windows gathered by fancy indexing, float32 kept float32
        replace={"answer-06-pool2d": (
            "def pool2d(x, size=2, stride=2, mode='max'):\n"
            "    x = np.asarray(x)\n"
            "    out_h, out_w = (x.shape[1] - size) // stride + 1, (x.shape[2] - size) // stride + 1\n"
            "    rows = (np.arange(out_h) * stride)[:, None] + np.arange(size)  # (h', size)\n"
            "    cols = (np.arange(out_w) * stride)[:, None] + np.arange(size)  # (w', size)\n"
            "    windows = x[:, rows[:, :, None, None], cols[None, None, :, :], :]  # (n, h', size, w', size, C)\n"
            "    return windows.max(axis=(2, 4)) if mode == 'max' else windows.mean(axis=(2, 4))"
        )},
    ),
    # ------------------------------------------------------------ Exercise 6: LeNet-5
    dict(
        name="lenet5-functional-api",
        replace={"answer-06-lenet5": (
            "def build_lenet5():\n"
            "    inputs = keras.Input(shape=(32, 32, 1))\n"
            "    h = keras.layers.Conv2D(6, 5, activation='relu')(inputs)\n"
            "    h = keras.layers.AveragePooling2D(2)(h)\n"
            "    h = keras.layers.Conv2D(16, 5, activation='relu')(h)\n"
            "    h = keras.layers.AveragePooling2D(2)(h)\n"
            "    h = keras.layers.Flatten()(h)\n"
            "    h = keras.layers.Dense(120, activation='relu')(h)\n"
            "    h = keras.layers.Dense(84, activation='relu')(h)\n"
            "    outputs = keras.layers.Dense(10, activation='softmax')(h)\n"
            "    return keras.Model(inputs, outputs, name='lenet5')"
        )},
    ),
    dict(
        name="lenet5-add-aliases-and-tuples",  # AvgPool2D alias, tuples, explicit 'valid', activation functions
        replace={"answer-06-lenet5": (
            "def build_lenet5():\n"
            "    model = keras.Sequential(name='LeNet5')\n"
            "    model.add(keras.layers.Input(shape=(32, 32, 1)))\n"
            "    model.add(keras.layers.Conv2D(filters=6, kernel_size=(5, 5), strides=(1, 1), padding='valid',\n"
            "                                  activation=keras.activations.relu))\n"
            "    model.add(keras.layers.AvgPool2D(pool_size=(2, 2), strides=(2, 2)))\n"
            "    model.add(keras.layers.Conv2D(filters=16, kernel_size=(5, 5), padding='valid',\n"
            "                                  activation=keras.activations.relu))\n"
            "    model.add(keras.layers.AvgPool2D(pool_size=(2, 2)))\n"
            "    model.add(keras.layers.Flatten())\n"
            "    for units in (120, 84):\n"
            "        model.add(keras.layers.Dense(units, activation=keras.activations.relu))\n"
            "    model.add(keras.layers.Dense(10, activation=keras.activations.softmax))\n"
            "    return model"
        )},
    ),
    dict(
        name="lenet5-input-shape-argument",  # the input's shape on the first layer: Keras warns, the test does not mind
        replace={"answer-06-lenet5": (
            "def build_lenet5():\n"
            "    return keras.Sequential([\n"
            "        keras.layers.Conv2D(6, 5, activation='relu', input_shape=(32, 32, 1)),\n"
            "        keras.layers.AveragePooling2D(2),\n"
            "        keras.layers.Conv2D(16, 5, activation='relu'),\n"
            "        keras.layers.AveragePooling2D(2),\n"
            "        keras.layers.Flatten(),\n"
            "        keras.layers.Dense(120, activation='relu'),\n"
            "        keras.layers.Dense(84, activation='relu'),\n"
            "        keras.layers.Dense(10, activation='softmax'),\n"
            "    ])"
        )},
    ),
    # ------------------------------------------------------------ Exercise 7: AlexNet
    dict(
        name="alexnet-spelled-out",  # MaxPool2D alias, tuples, activation functions instead of names
        replace={"answer-06-alexnet": (
            "def build_alexnet():\n"
            "    relu = keras.activations.relu\n"
            "    model = keras.Sequential()\n"
            "    model.add(keras.Input(shape=(227, 227, 3)))\n"
            "    model.add(keras.layers.Conv2D(96, (11, 11), strides=(4, 4), padding='valid', activation=relu))\n"
            "    model.add(keras.layers.MaxPool2D(pool_size=(3, 3), strides=(2, 2)))\n"
            "    model.add(keras.layers.Conv2D(256, (5, 5), padding='same', activation=relu))\n"
            "    model.add(keras.layers.MaxPool2D(pool_size=(3, 3), strides=(2, 2)))\n"
            "    for filters in (384, 384, 256):\n"
            "        model.add(keras.layers.Conv2D(filters, (3, 3), padding='same', activation=relu))\n"
            "    model.add(keras.layers.MaxPool2D(pool_size=(3, 3), strides=(2, 2)))\n"
            "    model.add(keras.layers.Flatten())\n"
            "    model.add(keras.layers.Dense(4096, activation=relu))\n"
            "    model.add(keras.layers.Dense(4096, activation=relu))\n"
            "    model.add(keras.layers.Dense(1000, activation=keras.activations.softmax))\n"
            "    return model"
        )},
    ),
    dict(
        name="alexnet-functional-api",
        replace={"answer-06-alexnet": (
            "def build_alexnet():\n"
            "    inputs = keras.Input(shape=(227, 227, 3))\n"
            "    h = keras.layers.Conv2D(96, 11, strides=4, activation='relu')(inputs)\n"
            "    h = keras.layers.MaxPooling2D(pool_size=3, strides=2)(h)\n"
            "    h = keras.layers.Conv2D(256, 5, strides=1, padding='same', activation='relu')(h)\n"
            "    h = keras.layers.MaxPooling2D(pool_size=3, strides=2)(h)\n"
            "    for filters in [384, 384, 256]:\n"
            "        h = keras.layers.Conv2D(filters, 3, padding='same', activation='relu')(h)\n"
            "    h = keras.layers.MaxPooling2D(pool_size=3, strides=2)(h)\n"
            "    h = keras.layers.Flatten()(h)\n"
            "    h = keras.layers.Dense(4096, activation='relu')(h)\n"
            "    h = keras.layers.Dense(4096, activation='relu')(h)\n"
            "    return keras.Model(inputs, keras.layers.Dense(1000, activation='softmax')(h))"
        )},
    ),
    dict(
        name="alexnet-input-shape-argument",  # the input's shape on the first layer: Keras warns, the test does not mind
        replace={"answer-06-alexnet": (
            "def build_alexnet():\n"
            "    pool = dict(pool_size=(3, 3), strides=(2, 2), padding='valid')\n"
            "    layers = [keras.layers.Conv2D(96, 11, strides=4, activation='relu', input_shape=(227, 227, 3)),\n"
            "              keras.layers.MaxPooling2D(**pool),\n"
            "              keras.layers.Conv2D(256, 5, padding='same', activation='relu'),\n"
            "              keras.layers.MaxPooling2D(**pool)]\n"
            "    layers += [keras.layers.Conv2D(n, 3, padding='same', activation='relu') for n in (384, 384, 256)]\n"
            "    layers += [keras.layers.MaxPooling2D(**pool), keras.layers.Flatten(),\n"
            "               keras.layers.Dense(4096, activation='relu'), keras.layers.Dense(4096, activation='relu'),\n"
            "               keras.layers.Dense(1000, activation='softmax')]\n"
            "    return keras.Sequential(layers)"
        )},
    ),
    # ------------------------------------------------------------ Exercise 4b: backward pass of conv2d
    dict(
        name="conv2d-backward-im2col-add-at",  # the windows as rows of a matrix; np.add.at scatters them back
        replace={"answer-06-conv2d-backward": (
            "def conv2d_backward(dout, x, kernels, stride=1, padding=0):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    kernels = np.asarray(kernels, dtype=float)\n"
            "    f, _, c, n_filters = kernels.shape\n"
            "    n, h, w, _ = x.shape\n"
            "    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(xp, (f, f), axis=(1, 2))[:, ::stride, ::stride]\n"
            "    out_h, out_w = windows.shape[1:3]\n"
            "    rows = windows.transpose(0, 1, 2, 4, 5, 3).reshape(-1, f * f * c)  # (n h' w', f f C)\n"
            "    grads = np.reshape(dout, (-1, n_filters))\n"
            "    dkernels = (rows.T @ grads).reshape(f, f, c, n_filters)\n"
            "    dwindows = (grads @ kernels.reshape(-1, n_filters).T).reshape(n, out_h, out_w, f, f, c)\n"
            "    ii = (np.arange(out_h) * stride)[:, None, None, None] + np.arange(f)[None, None, :, None]\n"
            "    jj = (np.arange(out_w) * stride)[None, :, None, None] + np.arange(f)[None, None, None, :]\n"
            "    dxp = np.zeros_like(xp)\n"
            "    np.add.at(dxp, (slice(None), ii, jj), dwindows)\n"
            "    return dxp[:, padding:padding + h, padding:padding + w], dkernels, grads.sum(axis=0)"
        )},
    ),
    dict(
        name="conv2d-backward-offsets-einsum-zero-array",  # einsum, a zero array instead of np.pad, no copies of dout
        replace={"answer-06-conv2d-backward": (
            "def conv2d_backward(dout, x, kernels, stride=1, padding=0):\n"
            "    n, h, w, c = np.shape(x)\n"
            "    f = np.shape(kernels)[0]\n"
            "    p, s = padding, stride\n"
            "    padded = np.zeros((n, h + 2 * p, w + 2 * p, c))\n"
            "    padded[:, p:p + h, p:p + w] = x\n"
            "    grad = np.zeros_like(padded)\n"
            "    dkernels = np.zeros(np.shape(kernels))\n"
            "    out_h, out_w = np.shape(dout)[1:3]\n"
            "    for u in range(f):\n"
            "        for v in range(f):\n"
            "            r, q = slice(u, u + s * out_h, s), slice(v, v + s * out_w, s)\n"
            "            dkernels[u, v] = np.einsum('nijc,nijk->ck', padded[:, r, q], dout)\n"
            "            grad[:, r, q] += np.einsum('nijk,ck->nijc', dout, kernels[u, v])\n"
            "    return grad[:, p:p + h, p:p + w], dkernels, np.einsum('nijk->k', dout)"
        )},
    ),
    dict(
        name="conv2d-backward-full-convolution",  # dx as a convolution of the dilated, padded dout with the flipped kernels
        replace={"answer-06-conv2d-backward": (
            "def conv2d_backward(dout, x, kernels, stride=1, padding=0):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    kernels = np.asarray(kernels, dtype=float)\n"
            "    dout = np.asarray(dout, dtype=float)\n"
            "    f, _, c, n_filters = kernels.shape\n"
            "    n, h, w, _ = x.shape\n"
            "    out_h, out_w = dout.shape[1:3]\n"
            "    hp, wp = h + 2 * padding, w + 2 * padding\n"
            "    # dout with stride - 1 zeros between its values, f - 1 zeros around, and the rows no window reached\n"
            "    spread = np.zeros((n, hp + f - 1, wp + f - 1, n_filters))\n"
            "    spread[:, f - 1:f - 1 + stride * (out_h - 1) + 1:stride, f - 1:f - 1 + stride * (out_w - 1) + 1:stride] = dout\n"
            "    flipped = kernels[::-1, ::-1].transpose(0, 1, 3, 2)  # (f, f, N, C)\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(spread, (f, f), axis=(1, 2))  # (n, hp, wp, N, f, f)\n"
            "    dxp = np.einsum('nijquv,uvqc->nijc', windows, flipped)\n"
            "    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding), (0, 0)))\n"
            "    xw = np.lib.stride_tricks.sliding_window_view(xp, (f, f), axis=(1, 2))[:, ::stride, ::stride]\n"
            "    dkernels = np.einsum('nijcuv,nijq->uvcq', xw, dout)\n"
            "    return dxp[:, padding:padding + h, padding:padding + w], dkernels, dout.sum(axis=(0, 1, 2))"
        )},
    ),
    # ------------------------------------------------------------ Exercise 5b: backward pass of max pooling
    dict(
        name="max-pool-backward-mask-every-maximum",  # ties: every maximum gets the gradient (the tests have none)
        replace={"answer-06-max-pool-backward": (
            "def max_pool_backward(dout, x, size=2, stride=2):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    out_h, out_w = np.shape(dout)[1:3]\n"
            "    parts = [(slice(u, u + stride * (out_h - 1) + 1, stride), slice(v, v + stride * (out_w - 1) + 1, stride))\n"
            "             for u in range(size) for v in range(size)]\n"
            "    pooled = x[:, parts[0][0], parts[0][1]]\n"
            "    for r, c in parts[1:]:\n"
            "        pooled = np.maximum(pooled, x[:, r, c])\n"
            "    dx = np.zeros(x.shape)\n"
            "    for r, c in parts:\n"
            "        dx[:, r, c] += (x[:, r, c] == pooled) * dout\n"
            "    return dx"
        )},
    ),
    dict(
        name="max-pool-backward-argmax-add-at",  # np.argmax over each window, np.add.at adds the overlaps
        replace={"answer-06-max-pool-backward": (
            "def max_pool_backward(dout, x, size=2, stride=2):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(1, 2))[:, ::stride, ::stride]\n"
            "    n, out_h, out_w, c = windows.shape[:4]\n"
            "    best = windows.reshape(n, out_h, out_w, c, size * size).argmax(axis=-1)\n"
            "    u, v = np.unravel_index(best, (size, size))\n"
            "    rows = np.arange(out_h)[None, :, None, None] * stride + u\n"
            "    cols = np.arange(out_w)[None, None, :, None] * stride + v\n"
            "    dx = np.zeros_like(x)\n"
            "    np.add.at(dx, (np.arange(n)[:, None, None, None], rows, cols, np.arange(c)), dout)\n"
            "    return dx"
        )},
    ),
    # ------------------------------------------------------------ Exercise 8: batch normalisation, forward
    dict(
        name="batchnorm-forward-reshaped-rows",  # every value of a feature as the rows of a (m, C) matrix
        replace={"answer-06-batchnorm-forward": (
            "def batchnorm_forward(x, gamma, beta, moving_mean, moving_var, training, momentum=0.99, kappa=1e-3):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    rows = x.reshape(-1, x.shape[-1])\n"
            "    if training:\n"
            "        mean = rows.sum(axis=0) / len(rows)\n"
            "        var = ((rows - mean) ** 2).sum(axis=0) / len(rows)\n"
            "        new_mean = moving_mean + (1 - momentum) * (mean - moving_mean)  # the same update, rearranged\n"
            "        new_var = moving_var + (1 - momentum) * (var - moving_var)\n"
            "    else:\n"
            "        mean, var, new_mean, new_var = moving_mean, moving_var, moving_mean.copy(), moving_var.copy()\n"
            "    y = (rows - mean) / np.sqrt(var + kappa) * gamma + beta\n"
            "    return y.reshape(x.shape), new_mean, new_var"
        )},
    ),
    dict(
        name="batchnorm-forward-keepdims-early-return",  # keepdims statistics, inference returned early
        replace={"answer-06-batchnorm-forward": (
            "def batchnorm_forward(x, gamma, beta, moving_mean, moving_var, training, momentum=0.99, kappa=1e-3):\n"
            "    x = np.array(x, dtype=np.float64)\n"
            "    axes = tuple(range(x.ndim))[:-1]\n"
            "    mu = np.mean(x, axis=axes, keepdims=True)\n"
            "    sigma2 = np.mean((x - mu) ** 2, axis=axes, keepdims=True)\n"
            "    if not training:\n"
            "        mu, sigma2 = np.asarray(moving_mean), np.asarray(moving_var)\n"
            "        return gamma * (x - mu) / np.sqrt(sigma2 + kappa) + beta, np.copy(moving_mean), np.copy(moving_var)\n"
            "    x_hat = (x - mu) / np.sqrt(sigma2 + kappa)\n"
            "    new_mean = momentum * np.asarray(moving_mean) + (1.0 - momentum) * mu.ravel()\n"
            "    new_var = momentum * np.asarray(moving_var) + (1.0 - momentum) * sigma2.ravel()\n"
            "    return gamma * x_hat + beta, new_mean, new_var"
        )},
    ),
    # ------------------------------------------------------------ Exercise 9: batch normalisation, backward
    dict(
        name="batchnorm-backward-step-by-step",  # the chain rule through each step of the forward pass
        replace={"answer-06-batchnorm-backward": (
            "def batchnorm_backward(dy, x, gamma, kappa=1e-3):\n"
            "    x = np.asarray(x, dtype=float)\n"
            "    axes = tuple(range(x.ndim - 1))\n"
            "    m = x.size / x.shape[-1]\n"
            "    mu = x.mean(axis=axes)\n"
            "    xc = x - mu\n"
            "    var = (xc ** 2).mean(axis=axes)\n"
            "    std = np.sqrt(var + kappa)\n"
            "    x_hat = xc / std\n"
            "    dbeta = dy.sum(axis=axes)\n"
            "    dgamma = (dy * x_hat).sum(axis=axes)\n"
            "    dx_hat = dy * gamma\n"
            "    dstd = -(dx_hat * xc).sum(axis=axes) / std**2\n"
            "    dvar = dstd / (2 * std)\n"
            "    dxc = dx_hat / std + 2 * xc * dvar / m\n"
            "    dmu = -dxc.sum(axis=axes)\n"
            "    return dxc + dmu / m, dgamma, dbeta"
        )},
    ),
    dict(
        name="batchnorm-backward-rows-and-means",  # reshaped to (m, C), the closed form with means
        replace={"answer-06-batchnorm-backward": (
            "def batchnorm_backward(dy, x, gamma, kappa=1e-3):\n"
            "    shape = np.shape(x)\n"
            "    x = np.reshape(x, (-1, shape[-1])).astype(float)\n"
            "    g = np.reshape(dy, x.shape)\n"
            "    x_hat = (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + kappa)\n"
            "    dx = gamma / np.sqrt(x.var(axis=0) + kappa) * (g - g.mean(axis=0) - x_hat * (g * x_hat).mean(axis=0))\n"
            "    return dx.reshape(shape), (g * x_hat).sum(axis=0), g.sum(axis=0)"
        )},
    ),
    # ------------------------------------------------------------ Exercise 10: residual block
    dict(
        name="residual-block-sequential-branch",  # the main branch as a Sequential, keras.layers.add, Activation
        replace={"answer-06-residual-block": (
            "def residual_block(inputs, filters, stride=1):\n"
            "    branch = keras.Sequential([\n"
            "        keras.layers.Conv2D(filters, (3, 3), strides=(stride, stride), padding='same', use_bias=False),\n"
            "        keras.layers.BatchNormalization(),\n"
            "        keras.layers.Activation('relu'),\n"
            "        keras.layers.Conv2D(filters, (3, 3), padding='same', use_bias=False),\n"
            "        keras.layers.BatchNormalization(),\n"
            "    ])\n"
            "    same_shape = stride == 1 and inputs.shape[-1] == filters\n"
            "    shortcut = inputs if same_shape else keras.layers.BatchNormalization()(\n"
            "        keras.layers.Conv2D(filters, (1, 1), strides=(stride, stride), padding='valid', use_bias=False)(inputs))\n"
            "    return keras.layers.Activation('relu')(keras.layers.add([branch(inputs), shortcut]))"
        )},
    ),
    dict(
        name="residual-block-projection-same-padding",  # a 1x1 projection with padding='same', relu as a function
        replace={"answer-06-residual-block": (
            "def residual_block(inputs, filters, stride=1):\n"
            "    channels = keras.ops.shape(inputs)[-1]\n"
            "    conv = lambda f, k, s: keras.layers.Conv2D(f, k, strides=s, padding='same', use_bias=False)\n"
            "    h = keras.layers.BatchNormalization()(conv(filters, 3, stride)(inputs))\n"
            "    h = keras.layers.Activation(keras.activations.relu)(h)\n"
            "    h = keras.layers.BatchNormalization()(conv(filters, 3, 1)(h))\n"
            "    if stride > 1 or channels != filters:\n"
            "        inputs = keras.layers.BatchNormalization()(conv(filters, 1, stride)(inputs))\n"
            "    return keras.layers.ReLU()(keras.layers.Add()([inputs, h]))"
        )},
    ),
]
