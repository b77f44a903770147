"""Delivery to InterviewFlowAI: queueing, claims, sending and recording, housekeeping, and
the read-only views of where candidates stand. Nothing here starts a task or renders a page:
`ingestion.dispatch` hands work to workers, the admin and the commands present the results.
"""
