"""Runtime tests. Hypothesis settings are per module (see `CHECKS` in test_properties.py): a
profile loaded here would apply to the whole session, so other folders' tests would run with
different settings depending on whether this folder was collected."""
