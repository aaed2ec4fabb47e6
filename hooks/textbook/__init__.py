"""The textbook's build logic as plain functions: facts, glossary, markers, quizzes.

Nothing in this package imports MkDocs. The modules in ``hooks/`` are thin adapters that call
these functions from MkDocs events, so the logic can be tested on its own and moved to another
site generator later.
"""
