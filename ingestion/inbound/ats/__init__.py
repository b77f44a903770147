"""Stage changes from applicant tracking systems, turned into candidates by rules.

- `readers`: where each kind keeps the job, the stage and the candidate in its body.
- `matching`: the first of a connection's rules that the job and stage meet.
- `import_row`: the event as one row of the spreadsheet import's columns.
- `applying`: keeping a delivery, then applying it through the import and the queue.
- `messages`: what a delivery did, and how to set a connection up, in words.

Checking each kind's signature (`webhooks.ats_signatures`) and signing its example event
for the admin's test button (`webhooks.ats_samples`) belong to the receiver.
"""
