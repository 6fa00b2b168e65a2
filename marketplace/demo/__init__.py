"""The demo hub: a believable cooperative in Castres for `make run`."""
