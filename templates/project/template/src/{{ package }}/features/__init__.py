"""Feature packages: each has a `feature.toml` spec, commands, workers, handlers and state."""
