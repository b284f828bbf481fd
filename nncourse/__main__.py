"""``python -m nncourse``: the same as the ``nncourse`` command."""

import sys

from nncourse.cli import main

sys.exit(main())
