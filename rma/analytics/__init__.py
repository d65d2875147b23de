"""Return analytics: summary tables kept up to date by a beat task, and the dashboard that reads them."""
