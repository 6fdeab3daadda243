"""The live preview: server, file watcher, live reload and the incremental engine."""
