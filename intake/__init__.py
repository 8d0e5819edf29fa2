"""The webhook inbox: route a delivery, record it, start its workflows; replay what was never started."""
