"""Example tumorbench plugin package."""
