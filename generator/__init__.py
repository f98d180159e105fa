"""Static-site generator for the NRW family-manager network and the IQZ events."""
