"""Links that open a notebook of the course on Colab or Binder, from :mod:`nnlib._meta`."""

from __future__ import annotations

from urllib.parse import quote

from nnlib._meta import RELEASE_REF, REPO_URL


def _github_path(repo_url: str = REPO_URL) -> str:
    """``owner/name`` of a GitHub repository URL."""
    prefix = "https://github.com/"
    if not repo_url.startswith(prefix):
        raise ValueError(f"not a GitHub URL: {repo_url}")
    return repo_url[len(prefix):].strip("/")


def colab_url(aid: str, ref: str = RELEASE_REF, repo_url: str = REPO_URL) -> str:
    """Colab link to the student notebook ``course/<aid>/<aid>.ipynb`` at ``ref``."""
    return f"https://colab.research.google.com/github/{_github_path(repo_url)}/blob/{ref}/course/{aid}/{aid}.ipynb"


def binder_url(aid: str, ref: str = RELEASE_REF, repo_url: str = REPO_URL) -> str:
    """Binder link that opens JupyterLab on the student notebook at ``ref``."""
    urlpath = quote(f"lab/tree/course/{aid}/{aid}.ipynb", safe="")
    return f"https://mybinder.org/v2/gh/{_github_path(repo_url)}/{ref}?urlpath={urlpath}"
