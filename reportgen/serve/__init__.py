"""``reportgen serve``: a local web page over a folder's data files, doing what the commands do."""
