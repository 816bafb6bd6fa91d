"""Routing (ruting): proposes the queue for a text, with a calibrated confidence and the
top three candidates. Works on text and queue codes only; never imports `contact`."""
