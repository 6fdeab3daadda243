"""Editors' tools: scaffolding, history checks, JSON Schema and field docs."""
