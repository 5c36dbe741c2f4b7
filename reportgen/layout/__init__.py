"""Layouts: the outline files (chapters, sections, numbering) and where layout folders are found."""
