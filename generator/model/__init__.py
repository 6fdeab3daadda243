"""Model stage: checked content turned into frozen dataclasses."""
