"""An example shop."""
