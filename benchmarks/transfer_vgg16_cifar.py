"""Should I hug it? VGG16 (ImageNet) on CIFAR-10 animals vs vehicles, frozen then fine-tuned.

Needs network (or a Keras cache filled by ``nncourse fetch-data``): VGG16's ImageNet
weights without the top (58 MB) and CIFAR-10 (163 MB). Without them it says so, writes
nothing and exits with status 2. Run from the repository root on a machine with network::

    NNLIB_MODE=full python -m benchmarks.transfer_vgg16_cifar

It follows section 6 of ``07_transfer_learning`` in full mode: 5,000 training and 2,000
test images (half animals, half vehicles), 32x32 inputs through
``keras.applications.vgg16.preprocess_input``, the augmentation pipeline, a frozen base
with a Flatten + Dense(2, softmax) head trained 4 epochs with Adam (1e-3), then block5
unfrozen and 4 more epochs at 1e-4. Target: at least 90 % test accuracy. Writes
``results/transfer_vgg16_cifar.json``.
"""

from __future__ import annotations

import argparse
import time

import nnlib  # first: quiet TensorFlow

EPOCHS = 4
BATCH_SIZE = 64
BASE_LR = 1e-3


def main(argv=None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    import keras

    from nncourse.results import write_result
    from nnlib.data import load_hug_or_not, load_vgg16
    from references.transfer import add_head, compile_for_finetuning, count_trainable, freeze, make_augmentation

    nnlib.setup(seed=0)
    base, imagenet = load_vgg16(include_top=False, input_shape=(32, 32, 3))
    data = load_hug_or_not(n_train=5000, n_test=2000) if imagenet else None
    if not imagenet or data is None:
        print("transfer_vgg16_cifar needs VGG16's ImageNet weights and CIFAR-10 (network, or "
              "`nncourse fetch-data` beforehand): nothing measured, nothing written.")
        return 2
    preprocess = keras.applications.vgg16.preprocess_input
    x_train = preprocess(data.x_train.astype("float32"))
    x_test = preprocess(data.x_test.astype("float32"))
    freeze(base)
    inputs = keras.Input(shape=(32, 32, 3))
    model = keras.Model(inputs, add_head(base, 2)(make_augmentation(seed=0)(inputs)))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=BASE_LR),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x_train, data.y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=2)
    frozen_s = time.perf_counter() - start
    frozen = float(model.evaluate(x_test, data.y_test, verbose=0)[1])
    compile_for_finetuning(model, base, BASE_LR)
    n_finetuned = count_trainable(model)
    start = time.perf_counter()
    model.fit(x_train, data.y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=2)
    tuned_s = time.perf_counter() - start
    tuned = float(model.evaluate(x_test, data.y_test, verbose=0)[1])
    metrics = {
        "frozen_accuracy": round(frozen, 4),
        "finetuned_accuracy": round(tuned, 4),
        "frozen_train_seconds": round(frozen_s, 1),
        "finetune_train_seconds": round(tuned_s, 1),
        "finetuned_trainable_params": n_finetuned,
    }
    print(metrics)
    path = write_result(
        "transfer_vgg16_cifar",
        "VGG16 (ImageNet) on CIFAR-10 animals vs vehicles, frozen / block5 fine-tuned",
        metrics,
        data.source,
        targets={"finetuned_accuracy": ">= 0.90"},
        command="NNLIB_MODE=full python -m benchmarks.transfer_vgg16_cifar",
        notes=(f"5,000 train / 2,000 test images, 32x32, {EPOCHS} + {EPOCHS} epochs, batch {BATCH_SIZE}, "
               f"Adam {BASE_LR} then {BASE_LR / 10} with block5 unfrozen; augmentation flip/shift/rotate"),
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
