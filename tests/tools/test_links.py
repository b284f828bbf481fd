"""nncourse.release.links: the Colab and Binder URLs the README's badges use."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from nncourse.release import links
from nncourse._meta import RELEASE_REF, REPO_URL
from tests.course_tools import ROOT, assignments

IDS = assignments()


@pytest.mark.parametrize("aid", IDS)
def test_binder_url_opens_jupyterlab_on_the_student_notebook(aid):
    url = urlsplit(links.binder_url(aid))
    assert (url.scheme, url.netloc) == ("https", "mybinder.org")
    prefix, host, owner, name, ref = url.path.strip("/").split("/")
    assert (prefix, host) == ("v2", "gh")
    assert f"https://github.com/{owner}/{name}" == REPO_URL and unquote(ref) == RELEASE_REF
    (urlpath,) = parse_qs(url.query)["urlpath"]
    assert urlpath == f"lab/tree/course/{aid}/{aid}.ipynb"
    assert (ROOT / urlpath.removeprefix("lab/tree/")).is_file()


def test_binder_url_without_an_id_opens_the_course_folder():
    (urlpath,) = parse_qs(urlsplit(links.binder_url()).query)["urlpath"]
    assert urlpath == "lab/tree/course" and (ROOT / "course").is_dir()


@pytest.mark.parametrize("aid", IDS)
def test_colab_url_points_at_the_student_notebook_at_the_ref(aid):
    url = links.colab_url(aid)
    prefix = "https://colab.research.google.com/github/"
    assert url.startswith(prefix)
    slug, rest = url[len(prefix):].split("/blob/")
    assert f"https://github.com/{slug}" == REPO_URL
    ref, path = rest.split("/", 1)
    assert ref == RELEASE_REF and path == f"course/{aid}/{aid}.ipynb" and (ROOT / path).is_file()


def test_refs_with_a_slash_are_encoded_for_binder():
    url = links.binder_url("01_neuron", repo_url="https://github.com/a/b", ref="release/2026")
    assert url == "https://mybinder.org/v2/gh/a/b/release%2F2026?urlpath=lab/tree/course/01_neuron/01_neuron.ipynb"
    assert links.colab_url("01_neuron", "https://github.com/a/b.git", "v1.0") == (
        "https://colab.research.google.com/github/a/b/blob/v1.0/course/01_neuron/01_neuron.ipynb"
    )


@pytest.mark.parametrize("bad", ["https://gitlab.com/a/b", "https://github.com/a", "github.com/a/b", "https://github.com/a/b/c"])
def test_github_slug_rejects_what_is_not_a_github_repository(bad):
    with pytest.raises(ValueError):
        links.github_slug(bad)


def test_badges_markdown_holds_both_links():
    md = links.badges_markdown("01_neuron")
    assert links.colab_url("01_neuron") in md and links.binder_url("01_neuron") in md
    assert md.count("](") == 4
