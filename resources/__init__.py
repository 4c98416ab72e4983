"""The outside world: call sources, models, geocoders, notifiers."""

from resources import http_logs

http_logs.install()
