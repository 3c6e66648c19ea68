"""The package's version, at the bottom of the layers: the parser stamps it on what it stores."""

__version__ = "0.1.0"
