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
    dict(
        name="unfreeze-sets-the-base-trainable-last",  # base.trainable = True afterwards unfreezes every layer again
        replace={"answer-07-unfreeze": (
            "def unfreeze_last_block(base, prefix='block5'):\n"
            "    for layer in base.layers:\n"
            "        layer.trainable = layer.name.startswith(prefix)\n"
            "    base.trainable = True\n"
            "    return base"
        )},
        fails=["ex-07-unfreeze"],
    ),
    dict(
        name="unfreeze-leaves-the-base-frozen",  # the prefix's layers stay frozen inside a frozen model
        replace={"answer-07-unfreeze": (
            "def unfreeze_last_block(base, prefix='block5'):\n"
            "    for layer in base.layers:\n"
            "        layer.trainable = layer.name.startswith(prefix)\n"
            "    return base"
        )},
        fails=["ex-07-unfreeze"],
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
    dict(
        name="freeze-each-layer",  # every layer of the model rather than the model itself
        replace={"answer-07-freeze": (
            "def freeze(model):\n"
            "    for layer in model.layers:\n"
            "        layer.trainable = False\n"
            "    return model"
        )},
    ),
    dict(
        name="freeze-each-weight",  # Keras 3 variables have their own trainable flag
        replace={"answer-07-freeze": (
            "def freeze(model):\n"
            "    for weight in model.weights:\n"
            "        weight.trainable = False\n"
            "    return model"
        )},
    ),
    dict(
        name="count-with-math-prod",
        replace={"answer-07-count": (
            "import math\n\n\n"
            "def count_trainable(model):\n"
            "    return sum(math.prod(w.shape) for w in model.trainable_weights)"
        )},
    ),
    dict(
        name="count-from-numpy-sizes",  # each trainable weight as an array, and its size
        replace={"answer-07-count": (
            "def count_trainable(model):\n"
            "    total = 0\n"
            "    for layer in model.layers:\n"
            "        for w in layer.trainable_weights:\n"
            "            total += keras.ops.convert_to_numpy(w).size\n"
            "    return int(total)"
        )},
    ),
    dict(
        name="head-on-the-base-output",  # a model from the base's own input to a head on base.output
        replace={"answer-07-head": (
            "def add_head(base, n_classes):\n"
            "    x = keras.layers.Flatten()(base.output)\n"
            "    return keras.Model(base.input, keras.layers.Dense(n_classes, activation='softmax')(x))"
        )},
    ),
    dict(
        name="head-with-a-softmax-layer",  # Dense without activation, then keras.layers.Softmax; no training=
        replace={"answer-07-head": (
            "def add_head(base, n_classes):\n"
            "    inputs = keras.Input(shape=base.input_shape[1:])\n"
            "    x = keras.layers.Flatten()(base(inputs))\n"
            "    x = keras.layers.Dense(n_classes)(x)\n"
            "    return keras.Model(inputs=inputs, outputs=keras.layers.Softmax()(x))"
        )},
    ),
    dict(
        name="augmentation-added-one-by-one-with-one-seed",  # .add, keywords, one seed, other fill mode
        replace={"answer-07-augment": (
            "def make_augmentation(seed=0):\n"
            "    pipeline = keras.Sequential(name='augment')\n"
            "    pipeline.add(keras.layers.RandomFlip(mode='horizontal', seed=seed))\n"
            "    pipeline.add(keras.layers.RandomRotation(factor=0.05, fill_mode='nearest', seed=seed))\n"
            "    pipeline.add(keras.layers.RandomTranslation(height_factor=0.1, width_factor=0.1,\n"
            "                                                fill_mode='nearest', seed=seed))\n"
            "    return pipeline"
        )},
    ),
    dict(
        name="unfreeze-layers-with-weights",  # only the layers that hold weights are set
        replace={"answer-07-unfreeze": (
            "def unfreeze_last_block(base, prefix='block5'):\n"
            "    base.trainable = True\n"
            "    for layer in base.layers:\n"
            "        if layer.weights:\n"
            "            layer.trainable = layer.name.startswith(prefix)\n"
            "    return base"
        )},
    ),
    dict(
        name="unfreeze-then-freeze-the-others",
        replace={"answer-07-unfreeze": (
            "def unfreeze_last_block(base, prefix='block5'):\n"
            "    base.trainable = True  # every layer trainable\n"
            "    for layer in base.layers:\n"
            "        if not layer.name.startswith(prefix):\n"
            "            layer.trainable = False\n"
            "    return base"
        )},
    ),
    dict(
        name="finetune-unfreezes-inline",  # the unfreezing written again rather than called
        replace={"answer-07-finetune": (
            "def compile_for_finetuning(model, base, base_lr, prefix='block5'):\n"
            "    base.trainable = True\n"
            "    for layer in base.layers:\n"
            "        layer.trainable = layer.name.startswith(prefix)\n"
            "    model.compile(optimizer=keras.optimizers.Adam(0.1 * base_lr),\n"
            "                  loss='sparse_categorical_crossentropy', metrics=['accuracy'])\n"
            "    return model"
        )},
    ),
    dict(
        name="finetune-with-loss-and-metric-objects",
        replace={"answer-07-finetune": (
            "def compile_for_finetuning(model, base, base_lr, prefix='block5'):\n"
            "    unfreeze_last_block(base, prefix=prefix)\n"
            "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=base_lr / 10.0),\n"
            "                  loss=keras.losses.SparseCategoricalCrossentropy(),\n"
            "                  metrics=[keras.metrics.SparseCategoricalAccuracy(name='accuracy')])\n"
            "    return model"
        )},
    ),
]
