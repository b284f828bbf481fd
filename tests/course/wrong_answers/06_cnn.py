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
]
