# The load test is a script that prints figures (`make loadtest`), never a test.
collect_ignore_glob = ["*.py"]
