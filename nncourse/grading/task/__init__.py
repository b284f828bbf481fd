"""One grading task: a pure function of its typed input to its typed result, that needs
no folder shared with the client, so it runs in a local process, on a Dask worker of
another machine, or from files (``nncourse grade-task``).

- :mod:`.task`: the typed task input and result (and their files, for ``grade-task``),
  the grader's version;
- :mod:`.perform`: one task: a temporary nbgrader course, handed to the grading worker
  and watched (memory, processes, time);
- :mod:`.resident`: this process's long-lived grading worker, restarted when it dies, breaches
  a limit or has graded its share;
- :mod:`.worker`: the grading worker: one student's autograde and feedback after another;
- :mod:`.forkserver`: warm kernels: a server that has imported Keras and nnlib forks each
  kernel into its submission's own sandbox;
- :mod:`.warm`: the kernel manager that asks the fork server for kernels, and the backends
  on which that is proven safe;
- :mod:`.notebooks`: read and validate a notebook, restore its test cells from the release;
- :mod:`.sandbox`: what the operating system offers to fence a student's kernel in;
- :mod:`.execute`: nbgrader preprocessor: cell and notebook time caps, kernel death;
- :mod:`.feedback`: nbgrader preprocessor: hidden tests kept out of the feedback;
- :mod:`.mathml`: nbconvert preprocessor: formulas of feedback pages as MathML, offline;
- :mod:`.messages`: notes a person can act on (a syntax error, an unchanged notebook).
"""
