"""The demo alliance: NHS providers from real A&E data, set up by ``concord demo``."""
