"""Formulas in feedback pages that render offline: LaTeX turned into MathML.

nbconvert's HTML pages load MathJax from a CDN, so a student who opens a feedback page
offline sees raw ``$\\sigma(x)$``. Browsers render MathML themselves, so the page is
written with MathML instead:

- :func:`markdown_to_mathml` converts each ``$...$`` and ``$$...$$`` of a markdown text
  (not inside a code span or a code block, not an escaped ``\\$``) with the
  ``latex2mathml`` package; a formula it cannot convert is shown as its LaTeX source in
  a code span, never dropped;
- :class:`OfflineMath` is the nbconvert preprocessor that applies it to markdown cells;
- :func:`no_mathjax_loader` replaces the template macro that writes the MathJax
  ``<script src=...>`` by one that writes nothing (nbgrader's feedback template calls it
  with its built-in CDN address, whatever ``HTMLExporter.mathjax_url`` says).

:func:`nncourse.grading.task.feedback.configure_feedback` installs both.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from nbconvert.preprocessors import Preprocessor

#: Characters that markdown would read inside the MathML text: written as entities.
_MARKDOWN_SPECIAL = set("\\`*_[]{}()#+-.!|$~<>&")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s")
_TEXT = re.compile(r">([^<]+)<")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Formula:
    """One formula of a markdown text: ``text[start:end]`` is it with its dollars."""

    start: int
    end: int
    latex: str
    display: bool


def _code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines of a markdown text that are code: fenced blocks (with their
    fences) and indented blocks (4 spaces or a tab after a blank line, outside a list)."""
    code, fence, in_list, previous_blank = set(), None, False, True
    for i, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is not None:
            code.add(i)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                    and not line.strip().strip(fence[0]):
                fence = None
            continue
        if match:
            fence = match.group(1)
            code.add(i)
            continue
        indented = line.startswith(("    ", "\t"))
        if line.strip() and indented and not in_list and (previous_blank or i - 1 in code):
            code.add(i)
            continue
        if line.strip():
            in_list = bool(_LIST_ITEM.match(line)) or (in_list and (indented or not previous_blank))
        previous_blank = not line.strip()
    return code


def _closing(text: str, start: int, delimiter: str) -> int:
    """Index of the unescaped ``delimiter`` closing a formula opened before ``start``, or -1.
    An inline formula does not cross a blank line, nor end on a space or before a digit."""
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if delimiter == "$" and _BLANK_LINE.match(text, i):
            return -1
        if text.startswith(delimiter, i):
            if delimiter == "$$":
                return i
            if text.startswith("$$", i):
                return -1
            if not text[i - 1].isspace() and not text[i + 1:i + 2].isdigit():
                return i
        i += 1
    return -1


def _prose_formulas(text: str, offset: int) -> list[Formula]:
    """The formulas of ``text`` (no code block in it); positions shifted by ``offset``."""
    found, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
        elif char == "`":
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = re.compile(r"(?<!`)" + "`" * run + r"(?!`)").search(text, i + run)
            i = close.end() if close else i + run
        elif text.startswith("$$", i):
            end = _closing(text, i + 2, "$$")
            if end < 0 or not text[i + 2:end].strip():
                i += 2
                continue
            found.append(Formula(offset + i, offset + end + 2, text[i + 2:end].strip(), True))
            i = end + 2
        elif char == "$" and text[i + 1:i + 2].strip():
            end = _closing(text, i + 1, "$")
            if end < 0:
                i += 1
                continue
            found.append(Formula(offset + i, offset + end + 1, text[i + 1:end], False))
            i = end + 1
        else:
            i += 1
    return found


def find_formulas(markdown: str) -> list[Formula]:
    """Every ``$...$`` and ``$$...$$`` formula of a markdown text, in order, outside code
    spans and code blocks; an escaped ``\\$`` opens and closes nothing.

    Parameters
    ----------
    markdown : str
        A markdown cell's source.

    Returns
    -------
    list of Formula
        Their positions, LaTeX sources (without the dollars) and whether each is a
        display formula (``$$``).
    """
    lines = markdown.split("\n")
    code = _code_lines(lines)
    found, chunk, chunk_start, position = [], [], 0, 0
    for i, line in enumerate(lines + [None]):
        if line is None or i in code:
            found += _prose_formulas("\n".join(chunk), chunk_start)
            chunk = []
            chunk_start = position + (len(line) + 1 if line is not None else 0)
        else:
            chunk.append(line)
        if line is not None:
            position += len(line) + 1
    return found


def _markdown_safe(mathml: str) -> str:
    """``mathml`` on one line, the text between its tags written as numeric entities where
    markdown would read it (``_``, ``*``, ``|``, backslashes...) or where it is not ASCII."""
    def escape(match):
        text = html.unescape(match.group(1))
        return ">" + "".join(f"&#{ord(c)};" if c in _MARKDOWN_SPECIAL or ord(c) > 126 else c
                             for c in text) + "<"
    return _TEXT.sub(escape, mathml.replace("\n", ""))


def latex_to_mathml(latex: str, display: bool = False) -> str:
    """One formula as a MathML ``<math>`` element.

    Raises
    ------
    ValueError
        When ``latex2mathml`` cannot convert it (the message names the formula).
    """
    from latex2mathml.converter import convert

    try:
        return _markdown_safe(convert(latex, display="block" if display else "inline"))
    except Exception as exc:  # latex2mathml raises many kinds: unknown command, bad nesting...
        raise ValueError(f"cannot convert the formula {latex!r} to MathML: {type(exc).__name__}: {exc}") from None


def _as_code(source: str) -> str:
    """``source`` as a markdown code span (its LaTeX shown as typed)."""
    longest = max((len(run) for run in re.findall(r"`+", source)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {source} {fence}"


def markdown_to_mathml(markdown: str) -> str:
    """``markdown`` with each formula (see :func:`find_formulas`) replaced by MathML; one
    that cannot be converted is shown as its LaTeX source (with its dollars) in a code span.
    """
    out, last = [], 0
    for formula in find_formulas(markdown):
        out.append(markdown[last:formula.start])
        try:
            out.append(latex_to_mathml(formula.latex, formula.display))
        except ValueError:
            out.append(_as_code(" ".join(markdown[formula.start:formula.end].split())))
        last = formula.end
    out.append(markdown[last:])
    return "".join(out)


class OfflineMath(Preprocessor):
    """nbconvert preprocessor: the formulas of every markdown cell as MathML
    (:func:`markdown_to_mathml`), so that a page renders them without MathJax."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = markdown_to_mathml(cell.source)
        return cell, resources


#: The template that nbconvert's ``{% from 'mathjax.html.j2' import mathjax %}`` finds
#: first: a ``mathjax`` macro that writes nothing.
NO_MATHJAX_TEMPLATE = "{%- macro mathjax(url='') -%}{%- endmacro -%}"


def no_mathjax_loader():
    """A Jinja loader for ``HTMLExporter.extra_loaders``: the page loads no MathJax."""
    from jinja2 import DictLoader

    return DictLoader({"mathjax.html.j2": NO_MATHJAX_TEMPLATE})
