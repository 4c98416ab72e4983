"""The Broadcastify Calls API's live feed as a call source."""
