"""The instructors' and maintainers' tools: the CLI, layout, release, links, check-all."""
