"""Rasad: monitoring and analysis of militant and state media in Arabic-script languages and English."""

__version__ = "0.1.0"
