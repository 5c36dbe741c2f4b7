"""Many departments at once: batch rendering with worker processes, the bureau's overview, the progress display."""
