"""The entity layer: a spaCy pipeline for radio speech (addresses, intersections, units,
10-codes, incident types, plates, highways, mile markers) over the transcripts."""
