"""The check pipeline shared by check, build and serve: per-report work, workers and the cache."""
