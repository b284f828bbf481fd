"""Training histories for the library tests of metrics and curves."""

from __future__ import annotations


class FakeHistory:
    """Stands for keras.callbacks.History: metrics under ``.history``."""

    def __init__(self, history):
        self.history = history


def random_history(rng, epochs: int) -> dict[str, list[float]]:
    """Loss and accuracy, training and validation, ``epochs`` random values each."""
    return {
        "loss": list(rng.uniform(0, 2, epochs)), "val_loss": list(rng.uniform(0, 2, epochs)),
        "accuracy": list(rng.uniform(0, 1, epochs)), "val_accuracy": list(rng.uniform(0, 1, epochs)),
    }
