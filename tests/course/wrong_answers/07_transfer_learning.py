"""Plausible wrong answers to 07_transfer_learning. Each entry replaces answer cells (by
grade_id) of the solution; the round trip checks that every test cell in ``fails`` loses
points."""

WRONG_ANSWERS = [
    dict(
        name="freeze-leaves-dense-layers-trainable",
        replace={"answer-07-freeze": (
            "def freeze(model):\n"
            "    for layer in model.layers:\n"
            "        if 'conv' in layer.name:\n"
            "            layer.trainable = False\n"
            "    return model"
        )},
        fails=["ex-07-freeze"],
    ),
    dict(
        name="count-misses-biases",
        replace={"answer-07-count": (
            "def count_trainable(model):\n"
            "    return int(sum(int(np.prod(w.shape)) for w in model.trainable_weights if len(w.shape) > 1))"
        )},
        fails=["ex-07-count"],
    ),
    dict(
        name="count-includes-frozen-weights",
        replace={"answer-07-count": "def count_trainable(model):\n    return int(model.count_params())"},
        fails=["ex-07-count"],
    ),
    dict(
        name="head-on-the-last-convolution",
        replace={"answer-07-head": (
            "def add_head(base, n_classes):\n"
            "    features = base.layers[-2].output  # the last convolution, before the pooling\n"
            "    flat = keras.layers.Flatten()(features)\n"
            "    outputs = keras.layers.Dense(n_classes, activation='softmax')(flat)\n"
            "    return keras.Model(base.input, outputs)"
        )},
        fails=["ex-07-head"],
    ),
    dict(
        name="augmentation-active-at-inference",
        replace={"answer-07-augment": (
            "class AlwaysRandom(keras.layers.Layer):\n"
            "    def __init__(self, seed=0, **kwargs):\n"
            "        super().__init__(**kwargs)\n"
            "        self.flip = keras.layers.RandomFlip('horizontal', seed=seed)\n"
            "        self.shift = keras.layers.RandomTranslation(0.1, 0.1, fill_mode='reflect', seed=seed + 1)\n"
            "        self.turn = keras.layers.RandomRotation(0.05, fill_mode='reflect', seed=seed + 2)\n"
            "\n"
            "    def call(self, x, training=None):\n"
            "        # forcing training=True to 'make sure it works': it now also runs at inference\n"
            "        return self.turn(self.shift(self.flip(x, training=True), training=True), training=True)\n"
            "\n"
            "\n"
            "def make_augmentation(seed=0):\n"
            "    return keras.Sequential([AlwaysRandom(seed)])"
        )},
        fails=["ex-07-augment"],
    ),
    dict(
        name="finetuning-at-the-base-learning-rate",
        replace={"answer-07-finetune": (
            "def compile_for_finetuning(model, base, base_lr, prefix='block5'):\n"
            "    unfreeze_last_block(base, prefix)\n"
            "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base_lr),\n"
            "                  loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
            "    return model"
        )},
        fails=["ex-07-finetune"],
    ),
    dict(
        name="head-calls-the-base-in-training-mode",
        replace={"answer-07-head": (
            "def add_head(base, n_classes):\n"
            "    inputs = keras.Input(shape=tuple(base.input_shape[1:]))\n"
            "    features = base(inputs, training=True)  # 'we are training the head, after all'\n"
            "    flat = keras.layers.Flatten()(features)\n"
            "    outputs = keras.layers.Dense(n_classes, activation='softmax')(flat)\n"
            "    return keras.Model(inputs, outputs)"
        )},
        fails=["ex-07-head"],
    ),
    dict(
        name="augmentation-flip-only",
        replace={"answer-07-augment": (
            "def make_augmentation(seed=0):\n"
            "    return keras.Sequential([keras.layers.RandomFlip('horizontal', seed=seed)])"
        )},
        fails=["ex-07-augment"],
    ),
    dict(
        name="augmentation-factors-swapped",  # 5 % shift and 10 % of a turn instead of 10 % and 5 %
        replace={"answer-07-augment": (
            "def make_augmentation(seed=0):\n"
            "    return keras.Sequential([\n"
            "        keras.layers.RandomFlip('horizontal', seed=seed),\n"
            "        keras.layers.RandomTranslation(0.05, 0.05, fill_mode='reflect', seed=seed + 1),\n"
            "        keras.layers.RandomRotation(0.1, fill_mode='reflect', seed=seed + 2),\n"
            "    ])"
        )},
        fails=["ex-07-augment"],
    ),
    dict(
        name="augmentation-rotation-in-radians",  # 18 degrees written in radians: 0.31 of a turn, not 0.05
        replace={"answer-07-augment": (
            "def make_augmentation(seed=0):\n"
            "    return keras.Sequential([\n"
            "        keras.layers.RandomFlip('horizontal', seed=seed),\n"
            "        keras.layers.RandomTranslation(0.1, 0.1, fill_mode='reflect', seed=seed + 1),\n"
            "        keras.layers.RandomRotation(np.pi / 10, fill_mode='reflect', seed=seed + 2),\n"
            "    ])"
        )},
        fails=["ex-07-augment"],
    ),
]

#: Right answers written another valid way: each must keep full marks.
RIGHT_ANSWERS = [
    dict(
        name="head-as-a-sequential",  # the exercise allows a keras.Sequential
        replace={"answer-07-head": (
            "def add_head(base, n_classes):\n"
            "    return keras.Sequential([\n"
            "        keras.Input(shape=tuple(base.input_shape[1:])),\n"
            "        base,\n"
            "        keras.layers.Flatten(),\n"
            "        keras.layers.Dense(n_classes, activation='softmax'),\n"
            "    ])"
        )},
    ),
    dict(
        name="augmentation-ranges-in-another-order",  # factors as (lower, upper), layers in another order
        replace={"answer-07-augment": (
            "def make_augmentation(seed=0):\n"
            "    return keras.Sequential([\n"
            "        keras.layers.RandomTranslation(height_factor=(-0.1, 0.1), width_factor=(-0.1, 0.1),\n"
            "                                       fill_mode='reflect', seed=seed),\n"
            "        keras.layers.RandomRotation(factor=(-0.05, 0.05), fill_mode='reflect', seed=seed + 1),\n"
            "        keras.layers.RandomFlip(mode='horizontal', seed=seed + 2),\n"
            "    ])"
        )},
    ),
]
