"""The satisfaction tables."""
