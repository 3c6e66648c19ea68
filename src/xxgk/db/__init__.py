"""The database (``db``): one database for the store, the register and the web application's users.

Below all three, which use it alike: ``engine.py`` (the URL, engines per backend, write
transactions, migrating to head on open), the tables of every part on one declarative base
(``base.py``; ``store_schema.py``, ``register_schema.py``, ``web_schema.py``) and their one
Alembic history (``migrations/``).
"""
