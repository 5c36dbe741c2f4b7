"""Reference pages, the JSON Schema and the starter file, generated from the code."""
