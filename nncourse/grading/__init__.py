"""Instructor grading: ``nncourse grade``, ``nncourse grade-task`` and ``nncourse check``
on nbgrader's API.

How a grade is made: client -> task -> gradebook. The client finds the submissions,
builds one typed task per submission and runs the tasks on Dask; a task is a pure
function that needs no folder shared with the client, so it runs anywhere; the client
records each result in the gradebook.

- :mod:`.client`: the client side of a run (intake, the nbgrader course, late penalties,
  the Dask client, the run itself), and the after-due feedback and student's self-check;
- :mod:`.task`: one task: its typed input and result, the watched worker process, the
  sandbox, the nbgrader preprocessors;
- :mod:`.gradebook`: the class gradebook on SQLite or PostgreSQL, written by the client only;
- :mod:`.status`: the statuses of a row of ``grades.csv``, their precedence (shared by all).

Nothing here is imported by the notebooks; nbgrader and Dask (the ``instructor`` extra)
are imported lazily.
"""
