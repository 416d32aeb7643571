"""Bringing articles in: saved web pages, URLs, folders and text files into ``articles/``."""
