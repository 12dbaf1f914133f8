"""Ingestion: raw files in four formats to article rows, with every failure recorded."""
