"""Inbound webhooks: the views that authenticate, bound and store what arrives from outside."""
