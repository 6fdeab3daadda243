"""Output sinks for a page plan: disk (staging and atomic swap) and memory (the preview)."""
