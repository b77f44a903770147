"""Import candidate drafts from a spreadsheet: map columns, check rows, preview, write in bulk.

The admin's Import page and `manage.py import_candidates` both call
`recruiting.imports.service.candidates_import`, so they give the same counts and, through
`recruiting.imports.messages`, the same messages.
`candidates_import_rows` takes rows already read (an ATS's stage change, as one row) the
same way.

- `results`: what an import was asked to do and what it found, row by row.
- `columns`: the header row, mapped to the fields, additional fields and metadata.
- `targets`, `aliases`: what a column can be imported as, and the headers ATS exports and
  hand-made sheets use for each.
- `mapping`, `saved`: a recruiter's choices for columns and status values, and those saved
  as an `ImportMapping`, found again by the headers they were made for.
- `proposal`: what the admin's mapping step shows of a file before its preview.
- `rows`: one row read on its own: its values and the problems it has by itself.
- `service`: the transaction, and each chunk compared with the database and written.
- `messages`: what an import did, in the words the admin and the command both use.
"""
