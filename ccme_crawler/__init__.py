"""ccme-crawler: an archival crawler for the CCME website."""

__version__ = "0.1.0"
