"""`python -m generator` runs the factcheck command."""

from generator.cli import run

run()
