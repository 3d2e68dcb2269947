"""The portal has no tables: it reads through the practices below it and writes through their
operations (docs/portal.md)."""
