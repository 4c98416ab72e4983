"""Keyword alerts on transcripts, and their exactly-once notifications."""
