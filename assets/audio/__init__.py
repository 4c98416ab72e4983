"""The audio layer: raw call audio to clean 16 kHz mono speech (``normalized_audio``), or to
an ``audio_quarantine`` row that says why not.

Pure modules, no Dagster: probe -> decode -> quality -> chain -> validate, joined by
``normalize``; ``pool`` and ``partition`` run a day's calls through the lake. ``assets`` and
``checks`` are the Dagster shell.
"""
