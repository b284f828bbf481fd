"""Grades for a learning-management system: ``nncourse export``.

From the :class:`~nncourse.scores.GradeRow` s of one or more ``grades.csv`` (one or several
assignments) to the CSV an LMS imports, joined to that LMS's class list (the *roster*).
An export loses nothing and overwrites nothing:

- two submissions of one assignment whose ids are one LMS user once case, spaces and
  Unicode form are ignored stop the export, naming both, unless ``--map`` says who each is
  (:mod:`.identity`, :mod:`.table`);
- a row whose status is not ``ok`` is left out and listed (``--failed-as-zero`` writes 0
  on purpose), so that the LMS keeps what it holds (:meth:`.table.GradeTable.score`);
- a roster student with nothing graded in this run keeps their LMS grade: Canvas gets
  their current cell back, Moodle gets no row for them;
- a submitter who is not on the roster is listed, and their rows of ``grades.csv`` go to
  ``<output stem>.unmatched.csv`` beside the output;
- Moodle's grade item maximum is checked before anything is written (:mod:`.moodle`).

``docs/grading.md`` tabulates what each format does with each kind of row. Modules:

- :mod:`.identity`: how student ids are compared, and ``--map``;
- :mod:`.table`: the grades by student and assignment, and which score is written;
- :mod:`.roster`: read a roster CSV, find which of its columns holds our student ids, join;
- :mod:`.options`: the per-assignment options (``--column``, ``--max``, ``--scale-to``);
- :mod:`.csvio`: CSV dialects in, scores and files out;
- :mod:`.result`: :class:`ExportResult` and the unmatched file;
- :mod:`.canvas`: a Canvas gradebook import, built on the instructor's own gradebook export;
- :mod:`.moodle`: a Moodle "Import grades from CSV file" file;
- :mod:`.plain`: a plain CSV, wide (one column per assignment) or long (one row per grade).

The scores written are ``GradeRow.score``, after any late penalty.
"""

from __future__ import annotations

from nncourse.export.csvio import format_score, write_csv
from nncourse.export.options import parse_titles
from nncourse.export.result import ExportResult, unmatched_path, write_unmatched
from nncourse.export.table import GradeTable, grade_table

#: The formats ``nncourse export --format`` offers, each with the module that writes it.
FORMATS = {"canvas": "nncourse.export.canvas", "moodle": "nncourse.export.moodle",
           "csv": "nncourse.export.plain", "csv-long": "nncourse.export.plain"}

__all__ = ["FORMATS", "ExportResult", "GradeTable", "format_score", "grade_table", "parse_titles", "unmatched_path",
           "write_csv", "write_unmatched"]
