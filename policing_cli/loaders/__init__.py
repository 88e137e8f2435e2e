"""Loaders: one module per input layout, each producing the canonical long table."""
