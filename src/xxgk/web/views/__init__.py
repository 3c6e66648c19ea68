"""The pages and the JSON API, one module per view."""
