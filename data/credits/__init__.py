"""Credits as they are published: the grammar of credit strings, and whether a credited name is a person or an
organization (with the evidence for the call). No database: the importers and the credit validator both use it.

* :mod:`data.credits.parts` — roles, parentheticals, episode scopes and markers around one credited name.
* :mod:`data.credits.madb_strings` — the Media Arts Database's credit strings, in each grammar it publishes.
* :mod:`data.credits.organizations` — person or organization, and why.
"""
