"""Credits that name people: the validator, cross-checks with labor records, the end roll and the artist record.

Read-only: the operations that change credits live in :mod:`services.credit_fixes`.
"""
