"""Geocoding: the local gazetteer, the Census and Nominatim services, and the chain that
puts them behind one call with a cache in the lake. Street spelling and matching, which
the entity extractor shares, live in ``radiotext``.

The Dagster resource is ``resources.geocoding.resource.GeocoderResource`` (key
``geocoder``); every other module here is plain Python and imports no dagster.
"""
