"""The demo library's content as data: what each asset is and how its files are made.

Kept apart from the seeding code (content.demo.library) so each reads in one pass.
"""
