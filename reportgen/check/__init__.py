"""Checking a report: derived figures and the rules, each finding at its file:line."""
