"""Building blocks of scripts/kernel-oracle.py (Python 3 standard library only)."""
