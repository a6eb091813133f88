"""Model artifacts: contents (files and digests), tarball, s3keys, lockfile, hashcache, pgzip."""
