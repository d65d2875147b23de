"""The customer's data rights: export, erasure, retention periods and the record of staff access (docs/privacy.md)."""
