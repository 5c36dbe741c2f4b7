"""Writing the files a user gets: the report and its 自评表 (.docx, .xlsx), PDFs, every output
name and replace check, atomic writes."""
