"""Transfer learning offline: the small CNN pretrained on the digits 0-4, reused for 5-9.

With 10 labelled images of each digit 5-9 (50 images), compare on the digits 5-9 of the
test split:

- **pretrained**: the base of :func:`nnlib.data.load_digits_cnn` (pretrained on
  0-4 only), frozen, with a new Flatten + softmax head;
- **fine-tuned**: the pretrained model above, then its last block (``block2``) unfrozen
  and trained for :data:`FINETUNE_EPOCHS` more epochs at a tenth of the learning rate;
- **scratch**: the same network, every weight trained from random values on the same
  50 images with the same optimizer and epochs;
- **plain-pretrained**: as *pretrained*, but with a base pretrained on 0-4 the plain way
  (no distortions, no dropout, :data:`PLAIN_PRETRAIN_EPOCHS` epochs), trained here: what
  the way of pretraining is worth.

Averaged over 5 seeds (each seed draws other images and other initial weights).
Target: pretrained beats scratch by at least 10 points. Writes
``results/transfer_digits.json``. Run from the repository root::

    NNLIB_OFFLINE=1 NNLIB_MODE=full python -m benchmarks.transfer_digits
"""

from __future__ import annotations

import argparse

import numpy as np

import nnlib  # first: quiet TensorFlow
import keras

from benchmarks.pretrain_digits import pretrain
from nncourse.results import write_result
from nnlib.data import digits_base, load_digits_cnn, load_mnist, stratified_subset
from references.transfer import add_head, compile_for_finetuning, freeze

NEW_DIGITS = (5, 6, 7, 8, 9)
PER_CLASS = 10
SEEDS = (0, 1, 2, 3, 4)
EPOCHS = 100
BATCH_SIZE = 10
LEARNING_RATE = 3e-3
FINETUNE_EPOCHS = 50
#: Epochs of the comparison base pretrained on the plain images (it fits them by then).
PLAIN_PRETRAIN_EPOCHS = 10


def few_shot_split(data, per_class: int = PER_CLASS, seed: int = 0):
    """``per_class`` training images of each new digit, and every new digit of the test split.

    Returns x_few (n, 28, 28, 1) float32 0-255, y_few (n,) in 0-4 (digit - 5), and the same
    for the test set.
    """
    train = np.isin(data.y_train, NEW_DIGITS)
    x_tr, y_tr = data.x_train[train], data.y_train[train] - NEW_DIGITS[0]
    pick = stratified_subset(y_tr, per_class * len(NEW_DIGITS), seed=seed)
    test = np.isin(data.y_test, NEW_DIGITS)
    x_te, y_te = data.x_test[test], data.y_test[test] - NEW_DIGITS[0]
    as_input = lambda x: x[..., None].astype("float32")  # noqa: E731
    return as_input(x_tr[pick]), y_tr[pick], as_input(x_te), y_te


def train_and_test(model, x, y, x_test, y_test, epochs=EPOCHS, lr=LEARNING_RATE):
    """Fit on (x, y) with Adam and return the test accuracy."""
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=epochs, batch_size=BATCH_SIZE, verbose=0)
    return float(model.evaluate(x_test, y_test, verbose=0)[1])


def frozen_transfer(base_model, x, y, x_test, y_test):
    """Test accuracy of ``base_model``'s base, frozen, with a new head trained on (x, y);
    returns ``(accuracy, model, base)``."""
    base = freeze(base_model.get_layer("digits_base"))
    model = add_head(base, len(NEW_DIGITS))
    return train_and_test(model, x, y, x_test, y_test), model, base


def run_seed(data, seed: int, plain_cnn):
    """Test accuracies (pretrained, fine-tuned, scratch, plain-pretrained) for one seed."""
    x, y, x_test, y_test = few_shot_split(data, seed=seed)
    keras.utils.set_random_seed(seed)
    pretrained, model, base = frozen_transfer(load_digits_cnn(), x, y, x_test, y_test)
    compile_for_finetuning(model, base, LEARNING_RATE, prefix="block2")
    model.fit(x, y, epochs=FINETUNE_EPOCHS, batch_size=BATCH_SIZE, verbose=0)
    finetuned = float(model.evaluate(x_test, y_test, verbose=0)[1])
    keras.utils.set_random_seed(seed)
    scratch = train_and_test(add_head(digits_base(), len(NEW_DIGITS)), x, y, x_test, y_test)
    keras.utils.set_random_seed(seed)
    plain = frozen_transfer(plain_cnn, x, y, x_test, y_test)[0]
    return pretrained, finetuned, scratch, plain


def main(argv=None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    nnlib.setup(seed=0)
    data = load_mnist(n_train=None, n_test=None)
    # the shipped weights' recipe without its distortions and dropout, for comparison
    plain_cnn = pretrain(epochs=PLAIN_PRETRAIN_EPOCHS, plain=True, data=data)[0]
    rows = [run_seed(data, s, plain_cnn) for s in SEEDS]
    for s, (p, f, sc, pl) in zip(SEEDS, rows):
        print(f"seed {s}: pretrained {p:.3f}  fine-tuned {f:.3f}  scratch {sc:.3f}  plain-pretrained {pl:.3f}")
    pre, fin, scr, pla = np.array(rows).T
    metrics = {
        "pretrained_accuracy": round(float(pre.mean()), 4),
        "finetuned_accuracy": round(float(fin.mean()), 4),
        "scratch_accuracy": round(float(scr.mean()), 4),
        "plain_pretrained_accuracy": round(float(pla.mean()), 4),
        "gain_points": round(float(100 * (pre.mean() - scr.mean())), 1),
        "pretrained_accuracy_std": round(float(pre.std()), 4),
        "scratch_accuracy_std": round(float(scr.std()), 4),
        "n_test": int(np.isin(data.y_test, NEW_DIGITS).sum()),
    }
    print(metrics)
    path = write_result(
        "transfer_digits",
        "Transfer, digits 0-4 -> 5-9, 10 labels a class (pretrained vs scratch)",
        metrics,
        data.source,
        targets={"gain_points": ">= 10"},
        command="NNLIB_OFFLINE=1 NNLIB_MODE=full python -m benchmarks.transfer_digits",
        notes=(f"{PER_CLASS} images per digit 5-9, {EPOCHS} epochs, Adam lr {LEARNING_RATE}, batch "
               f"{BATCH_SIZE}; pretrained = frozen base of nnlib/weights/digits04_cnn.keras (python -m "
               f"benchmarks.pretrain_digits: 0-4 only, distorted images, dropout 0.7) + new Flatten/softmax head; fine-tuned = then block2 unfrozen, {FINETUNE_EPOCHS} more epochs at lr/10; plain-pretrained = frozen base pretrained on 0-4 for {PLAIN_PRETRAIN_EPOCHS} epochs without distortions or dropout; mean over seeds {list(SEEDS)}; test = every 5-9 of the test split"),
    )
    print(f"wrote {path}")
    return 0 if metrics["gain_points"] >= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
