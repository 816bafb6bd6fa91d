"""Arkivuttrekk: the Noark 5 v5.0 extraction package of closed archive periods, and its
import into an empty archive.

- `export.export_package(out_dir, ...)` writes arkivstruktur.xml, endringslogg.xml,
  loependeJournal.xml, offentligJournal.xml, arkivuttrekk.xml (ADDML), the schemas and the
  documents under DOKUMENT/, streaming from the database, and validates each XML file.
- `importer.import_package(dir, ...)` reads such a package into an empty archive in one
  transaction, after checking the schemas and every document's checksum.

The element order comes from Arkivverket's XSDs (spec.py); the model field behind each
element from the models' NOARK_FIELDS. docs/archive-export.md is the operator's guide.
"""
