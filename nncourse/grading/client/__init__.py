"""The client side of grading: it finds the submissions, builds one typed task per
submission (:mod:`nncourse.grading.task`), runs the tasks on Dask and records each result
(:mod:`nncourse.grading.gradebook`); also the commands that read a run's output.

- :mod:`.intake`: find each student's notebook in a folder, a ``.zip`` or flat LMS files;
- :mod:`.course`: the nbgrader course laid out inside the output folder, and the
  assignment data every task carries;
- :mod:`.late`: due dates, submission times, late penalties;
- :mod:`.cluster`: the Dask client (a local cluster or an existing scheduler);
- :mod:`.runner`: the whole run (tasks, resume, progress bar, CSV files);
- :mod:`.after_due`: ``nncourse feedback --after-due``, every test once the due date passed;
- :mod:`.check`: the student's self-check (``nncourse check``).
"""
