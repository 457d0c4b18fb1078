"""Runnable examples of aiomongodel, one module per topic.

Run them all with ``python -m examples`` (``MONGODB_URI`` names the server), or one with
``python -m examples.crud``. Each module's ``main(db)`` takes a PyMongo ``AsyncDatabase``.
"""
