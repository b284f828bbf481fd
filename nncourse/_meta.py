"""Where the course lives: the one place that names the repository, the release ref, the
distribution and where Colab installs it from.

Every notebook's set-up cell (``nncourse.release.colab.setup_cell_source``), the README's Colab and
Binder badges (``nncourse.release.links``) and ``nncourse set-ref`` read these constants. To
publish a release (``docs/releasing.md``): ``nncourse set-ref vX.Y.Z --index`` rewrites them, the
project's version and the set-up cells, and regenerates ``course/``; the README badges follow
on the next ``nncourse readme``.
"""

#: The public repository of the course (a fork changes this line and nothing else).
REPO_URL = "https://github.com/nncourse/deep-learning-course"

#: The git ref (tag or branch) that Binder builds and, from ``git``, Colab installs.
RELEASE_REF = "main"

#: The distribution that carries ``nnlib`` and ``nncourse`` (pyproject.toml's ``name``; a
#: test checks they agree). Not ``nnlib``: that name on the package index is another library.
DISTRIBUTION = "nncourse"

#: Where Colab's set-up cell installs the distribution from: ``"git"`` (``REPO_URL`` at
#: ``RELEASE_REF``) or ``"index"`` (``DISTRIBUTION==X.Y.Z`` of the release tag ``vX.Y.Z``,
#: from the package index, once it is uploaded there).
RELEASE_SOURCE = "git"
