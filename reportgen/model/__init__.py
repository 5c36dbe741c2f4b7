"""The department's data as typed models (pydantic), the numbers people type, schema errors at their YAML node."""
