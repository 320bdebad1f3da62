"""The studio's views: each a widget that observes the Session and calls services."""
