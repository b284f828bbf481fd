"""Sub-commands of ``nncourse`` (one module each; see :mod:`nncourse.cli`)."""
