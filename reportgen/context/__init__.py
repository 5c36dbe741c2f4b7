"""What a template sees: the documented context and the narrative as numbered paragraphs."""
