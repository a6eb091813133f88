"""Model artifacts: deterministic tarballs, their digests, the lock file, and the hashing cache."""
