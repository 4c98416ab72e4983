"""The incidents layer: calls grouped into incidents (``incidents``) and each call's link
to its incident (``call_incidents``)."""
