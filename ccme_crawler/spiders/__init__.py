"""Spiders: navigation only. They yield raw pages; pipelines extract."""
