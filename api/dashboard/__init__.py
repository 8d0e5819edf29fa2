"""The admin dashboard and the Knowledge Assistant's web and API entry points, served under /admin."""
