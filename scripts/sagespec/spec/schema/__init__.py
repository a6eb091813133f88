"""The JSON Schemas of sagespec documents: one file of shared definitions (defs.schema.json) and a
thin wrapper per kind that `$ref`s it; bundle.py joins them into the single-file schema that
validation uses and editors read from specs/schema/."""
