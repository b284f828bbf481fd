"""Instructor grading: ``nncourse grade``, ``nncourse grade-task`` and ``nncourse check``
on nbgrader's API.

A run is a client and its tasks. The client (:mod:`.runner`) finds the submissions,
builds one typed task per submission, runs the tasks on Dask and records each result;
a task (:mod:`.perform`) is a pure function that needs no folder shared with the client.

- :mod:`.intake`: find each student's notebook in a folder, a ``.zip`` or flat LMS files;
- :mod:`.course`: the nbgrader course laid out inside the output folder, and the
  assignment data every task carries;
- :mod:`.task`: the typed task input and result (and their files, for ``grade-task``);
- :mod:`.perform`: one task: a temporary nbgrader course, a watched worker process;
- :mod:`.notebooks`: read and validate a notebook, restore its test cells from the release;
- :mod:`.sandbox`: what the operating system offers to fence a student's kernel in;
- :mod:`.worker`: one student's autograde and feedback, in a subprocess;
- :mod:`.execute`, :mod:`.feedback`, :mod:`.mathml`: nbgrader preprocessors (cell and
  notebook time caps, kernel death; hidden tests kept out of the feedback; formulas as
  MathML);
- :mod:`.status`: the statuses of a row of ``grades.csv``, their precedence;
- :mod:`.cluster`: the Dask client (a local cluster or an existing scheduler);
- :mod:`.store`: the class gradebook on SQLite or PostgreSQL, written by the client only;
- :mod:`.late`: due dates, submission times, late penalties;
- :mod:`.runner`: the whole run (tasks, resume, progress bar, CSV files);
  :mod:`.check`: the student's self-check.

Nothing here is imported by the notebooks; nbgrader and Dask (the ``instructor`` extra)
are imported lazily.
"""
