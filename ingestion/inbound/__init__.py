"""Applying what webhooks and the Fetch API bring back: services beside `delivery/`."""
