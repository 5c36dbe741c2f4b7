"""``reportgen import``: a published report (.docx, .txt, .pdf) → a commented YAML draft."""
