"""The contracts service's aggregates (Contract (oppdragsavtale)) arrive with the contracts issue.

Until then it keeps one projection (projections.py): the parties a contract can name.
"""
