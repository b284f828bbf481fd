"""Links that open a student notebook on Colab or Binder, at the pinned release ref.

The README's badges are generated from these functions, so they follow
:data:`nncourse._meta.REPO_URL` and :data:`nncourse._meta.RELEASE_REF` (``nncourse set-ref``
moves the ref). Both open the *student* notebook, ``course/<id>/<id>.ipynb``.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from nncourse._meta import RELEASE_REF, REPO_URL

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"


def github_slug(repo_url: str = REPO_URL) -> str:
    """``owner/name`` of a GitHub repository URL.

    Raises
    ------
    ValueError
        If ``repo_url`` is not ``https://github.com/<owner>/<name>``.
    """
    parts = urlsplit(repo_url)
    path = parts.path.strip("/").removesuffix(".git").split("/")
    if parts.netloc.lower() not in {"github.com", "www.github.com"} or len(path) != 2 or not all(path):
        raise ValueError(f"not a GitHub repository URL: {repo_url!r}")
    return "/".join(path)


def notebook_path(aid: str) -> str:
    """Path of the student notebook of assignment ``aid`` in the repository."""
    return f"course/{aid}/{aid}.ipynb"


def colab_url(aid: str, repo_url: str = REPO_URL, ref: str = RELEASE_REF) -> str:
    """Colab link to the student notebook of ``aid`` at ``ref``.

    Example: ``https://colab.research.google.com/github/OWNER/NAME/blob/REF/course/ID/ID.ipynb``.
    """
    return (
        f"https://colab.research.google.com/github/{github_slug(repo_url)}/blob/"
        f"{quote(ref, safe='/')}/{notebook_path(aid)}"
    )


def binder_url(aid: str | None = None, repo_url: str = REPO_URL, ref: str = RELEASE_REF) -> str:
    """mybinder.org link that builds the repository at ``ref`` and opens JupyterLab on the
    student notebook of ``aid`` (on the ``course/`` folder when ``aid`` is None).

    Example: ``https://mybinder.org/v2/gh/OWNER/NAME/REF?urlpath=lab/tree/course/ID/ID.ipynb``.
    """
    target = notebook_path(aid) if aid else "course"
    return (
        f"https://mybinder.org/v2/gh/{github_slug(repo_url)}/{quote(ref, safe='')}"
        f"?urlpath={quote('lab/tree/' + target, safe='/')}"
    )


def badges_markdown(aid: str, repo_url: str = REPO_URL, ref: str = RELEASE_REF) -> str:
    """The two Markdown badges (Colab, Binder) of one notebook, for the README."""
    return (
        f"[![Open in Colab]({COLAB_BADGE})]({colab_url(aid, repo_url, ref)}) "
        f"[![Launch Binder]({BINDER_BADGE})]({binder_url(aid, repo_url, ref)})"
    )
