"""The archive pages (arkiv) for archivists and case officers, under /arkiv/.

Views parse input, call one service or selector and render; the rules are in
records.services, records.periods and records.selectors. Every page is for staff who keep
records (`can_keep_records` somewhere: the archivist, the administrator, case officers and
unit leaders); a post or case of another unit is 404. Screened titles and documents go
through records.screening_view.
"""
