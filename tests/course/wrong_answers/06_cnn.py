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
]
