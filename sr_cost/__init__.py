"""sr-cost: what Schwartz Rounds cost a local authority, and what they may save."""

__version__ = "0.1.0"
