"""The portal tables."""
