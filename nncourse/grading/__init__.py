"""Instructor grading: ``nncourse grade`` and ``nncourse check`` on nbgrader's API.

Small modules, in the order a submission meets them:

- :mod:`.intake`: find each student's notebook in a folder, a ``.zip`` or flat LMS files;
- :mod:`.notebooks`: read and validate a notebook, restore its test cells from the release;
- :mod:`.course`: the nbgrader course laid out inside the output folder;
- :mod:`.sandbox`: what the operating system offers to fence a student's kernel in;
- :mod:`.worker`: one student's autograde and feedback, in a subprocess;
- :mod:`.execute`, :mod:`.feedback`: nbgrader preprocessors (cell/notebook time caps,
  kernel death; hidden tests kept out of the feedback);
- :mod:`.status`: the statuses of a row of ``grades.csv`` and their messages;
- :mod:`.records`: ``grades.csv`` and the gradebook, written by the grading process only;
- :mod:`.runner`: the whole batch (jobs, watchdog, progress bar); :mod:`.check`: the
  student's self-check.

Nothing here is imported by the notebooks; nbgrader (the ``dev`` extra) is imported lazily.
"""
