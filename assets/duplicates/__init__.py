"""Multi-site duplicates: one transmission captured by several sites or recorders."""
