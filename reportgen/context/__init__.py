"""What a template sees: the documented context, numbered paragraphs, placeholders and how figures print."""
