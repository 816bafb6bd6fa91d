"""Tests across apps with real parts: an SMTP server on loopback, chromium driving the pages."""
