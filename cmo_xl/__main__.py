"""``python -m cmo_xl``."""

import sys

from cmo_xl.cli import main

sys.exit(main())
