"""Alert notifications: Apprise channels and signed webhooks, behind the ``notifier`` resource."""
