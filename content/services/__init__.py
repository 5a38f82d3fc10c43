"""Writes: every state change goes through a function here (<thing>_<verb>)."""
