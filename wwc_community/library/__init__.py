"""The practice library: guides and practices with their evidence, and their reuse."""
