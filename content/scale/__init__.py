"""A large, realistic library bulk-loaded for the benchmark (`manage.py seed_scale`)."""
