"""`python -m generator` runs the factcheck command."""

import sys

from generator.cli import main

sys.exit(main())
