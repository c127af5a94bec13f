"""The write side: every change a person makes to the studio's records goes through a function here.

A service takes the session first and the acting :class:`data.identity.Identity` second, checks the actor's role,
validates, writes through ``data/``, records an audit event with the old and new values, and brings derived data
(rollups, findings) up to date in the same transaction. Pages and command lines call services; nothing in
``analytics/``, ``generation/`` or ``data/`` imports them.
"""
