"""Reading input files: bytes to text, YAML to plain data with the line and column of every node, libyaml's errors in Chinese."""
