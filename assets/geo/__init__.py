"""The geo layer: the gazetteer table, and ``locations``, the geocoded addresses and
intersections of the entity layer."""
