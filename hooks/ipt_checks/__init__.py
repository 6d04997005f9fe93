"""Checks that keep the IPT site trustworthy.

Plain functions that take text and return problems, so they run the same in
the MkDocs hooks, in the standalone ``ipt-check`` command and in unit tests.
"""
