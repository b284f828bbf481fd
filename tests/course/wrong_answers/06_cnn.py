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
]

#: Right answers written another valid way: each must keep full marks.
RIGHT_ANSWERS = [
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
            "    return np.einsum('nijcmk,mkcf->nijf', windows, kernels) + np.asarray(bias, dtype=float)"
        )},
    ),
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
]
