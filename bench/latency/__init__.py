"""Alert latency: call file landing -> webhook received, through the live pipeline."""
