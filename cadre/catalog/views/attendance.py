"""Placeholder: replaced by its author."""

urls: list = []
