# The benchmark is a script that prints figures (`make bench`), never a test.
collect_ignore_glob = ["*.py"]
