"""Reading sources: bytes to text, sidecars, HTML pages and feed items."""
