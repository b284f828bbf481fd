"""Formulas of feedback pages as MathML (``nncourse.grading.task.mathml``): what is converted,
what is left alone (code, escaped dollars, prices), what a failed conversion shows, and a
rendered page that loads no MathJax."""

from __future__ import annotations

import re

import nbformat
import pytest

pytest.importorskip("latex2mathml")

from nncourse.grading.task.mathml import (  # noqa: E402 (after the skip)
    OfflineMath,
    find_formulas,
    latex_to_mathml,
    markdown_to_mathml,
)


def _maths(text: str) -> list[str]:
    return re.findall(r"<math\b.*?</math>", text)


def test_inline_and_display_formulas_become_mathml():
    out = markdown_to_mathml("A neuron $j$ sums $$\\sum_i w_i x_i$$ and adds $b_j$.")
    maths = _maths(out)
    assert len(maths) == 3 and "$" not in out
    assert 'display="inline"' in maths[0] and 'display="block"' in maths[1]
    assert "<msub>" in maths[2], "b_j is a subscript"
    assert out.startswith("A neuron <math") and out.endswith("</math>.")


def test_mathml_is_one_line_and_safe_from_markdown():
    out = latex_to_mathml("x_1 * y_2")
    assert "\n" not in out
    text = "".join(re.findall(r">([^<]*)<", out))
    assert not set(text) & set("_*\\`|"), "markdown would read these between the tags"


def test_code_spans_and_code_blocks_are_left_alone():
    markdown = "Run `$x$` or ``a $y$ b``.\n\n    $z$ indented\n\n```python\nprint('$w$')\n```\n~~~\n$v$\n~~~\n"
    assert find_formulas(markdown) == []
    assert markdown_to_mathml(markdown) == markdown


def test_escaped_dollars_and_prices_are_no_formulas():
    for text in ["It costs \\$5 and \\$6.", "It costs $5 and $6.", "A lone $ sign."]:
        assert find_formulas(text) == [], text
        assert markdown_to_mathml(text) == text


def test_an_inline_formula_does_not_cross_a_blank_line():
    assert find_formulas("a $x\n\ny$ b") == []


def test_a_formula_that_cannot_be_converted_is_shown_as_code():
    out = markdown_to_mathml("bad $\\frac{1}{$ here, good $x$")
    assert "` $\\frac{1}{$ `" in out, "the LaTeX source, with its dollars, in a code span"
    assert len(_maths(out)) == 1


def test_latex_to_mathml_names_the_formula_it_cannot_convert():
    with pytest.raises(ValueError, match=r"\\frac\{1\}\{"):
        latex_to_mathml("\\frac{1}{")


def test_offline_math_converts_markdown_cells_only():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("$x$"), nbformat.v4.new_code_cell("s = '$x$'")]
    nb, _ = OfflineMath(enabled=True).preprocess(nb, {})
    assert nb.cells[0].source.startswith("<math") and nb.cells[1].source == "s = '$x$'"


def test_feedback_exporter_writes_mathml_and_no_mathjax():
    from traitlets.config import Config

    from nncourse.grading.task.feedback import FeedbackHTMLExporter, configure_feedback

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("The sigmoid $\\sigma(x) = 1 / (1 + e^{-x})$.")]
    config = configure_feedback(Config())
    exporter = FeedbackHTMLExporter(config=config)
    exporter.register_preprocessor(OfflineMath)
    page, _ = exporter.from_notebook_node(nb)
    assert "<math" in page
    assert "MathJax.js" not in page and "x-mathjax-config" not in page
    assert not re.search(r"<script[^>]*\bsrc=[\"']https?://[^\"']*mathjax", page, re.IGNORECASE)
