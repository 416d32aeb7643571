"""The Textual UI. Imports the domain; the domain never imports this package."""
