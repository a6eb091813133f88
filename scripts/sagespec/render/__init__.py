"""The renderer: a resolved environment and the lock in, `rendered.tfvars.json` out (pure)."""
