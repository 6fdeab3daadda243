"""Content stage: read the project's files, validate them against the schema, check cross-file rules."""
