"""nncourse: what instructors and maintainers run (the ``nncourse`` command).

Release the student notebooks, check every solution notebook, grade a class, write the
README's tables. It ships in the same distribution as :mod:`nnlib` (the library students
import) and may import it; nnlib never imports nncourse. See ``docs/architecture.md``.
"""

__version__ = "0.1.0"
