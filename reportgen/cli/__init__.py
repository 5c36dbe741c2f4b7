"""The command line: typer commands, their Chinese texts, the process around them; each command calls one core function."""
