"""`python -m generator` runs the factcheck command."""

import sys

from .cli import main

sys.exit(main())
