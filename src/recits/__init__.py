"""recits: collaborative qualitative analysis of peer narratives."""

__version__ = "0.1.0"
