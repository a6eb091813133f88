"""The repository as data: YAML with positions, spec files, projects, overlays, names, protection."""
