"""Radio text: the pure language of scanner traffic, shared by every layer.

What a word is (``words``), how numbers are spoken (``spoken``), one canonical spelling
per street (``streets``), and streets found by spelling and by sound (``fuzzy``,
``soundalike``). It sits below ``assets/`` and ``resources/`` and imports neither, nor
``lake/``, ``dashboards/`` or ``orchestration/``: the entity extractor, the geocoders,
search, alerts and the transcript guards all read text through it, and so read it alike.
"""
