"""Where the course lives: the one place that names the repository and the release ref.

Every notebook's set-up cell (``nnlib.colab.setup_cell_source``), the README's Colab and
Binder badges (``nnlib.links``) and ``nncourse set-ref`` read these two constants. To
publish a release: ``nncourse set-ref vX.Y.Z`` rewrites the set-up cells, regenerates
``course/``, and the README badges follow on the next ``nncourse readme``.
"""

#: The public repository of the course (a fork changes this line and nothing else).
REPO_URL = "https://github.com/nncourse/deep-learning-course"

#: The git ref (tag or branch) that Colab installs ``nnlib`` from.
RELEASE_REF = "main"

#: Assignment ids, in teaching order (DESIGN.md).
ASSIGNMENTS = (
    "01_neuron",
    "02_mlp",
    "03_backprop",
    "04_sgd",
    "05_regularization",
    "06_cnn",
    "07_transfer_learning",
)
