"""The app's screens: home, interview, review, Chair's summary and help."""
