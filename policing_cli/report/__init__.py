"""The pure domain core: periods, areas, categories and the figures of a report."""
