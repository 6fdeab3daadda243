"""factcheck: a static site generator for fact-check reports."""

__version__ = "0.1.0"
