"""The command line: ``ipt-check`` (check.py) and ``./dev linkcheck`` (linkcheck.py)."""
