"""Where the course lives: the one place that names the repository and the release ref.

Every notebook's set-up cell (``nncourse.release.colab.setup_cell_source``), the README's Colab and
Binder badges (``nncourse.release.links``) and ``nncourse set-ref`` read these two constants. To
publish a release: ``nncourse set-ref vX.Y.Z`` rewrites the set-up cells, regenerates
``course/``, and the README badges follow on the next ``nncourse readme``.
"""

#: The public repository of the course (a fork changes this line and nothing else).
REPO_URL = "https://github.com/nncourse/deep-learning-course"

#: The git ref (tag or branch) that Colab installs ``nnlib`` from.
RELEASE_REF = "main"
