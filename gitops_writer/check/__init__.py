"""`gitops-writer check`: read the whole repository once and report what does not fit together.

The package imports nothing itself: a request reads only `check.requested`, without the rest.
"""
