"""The Textual app: screens/ and widgets/, started by `app.build_app`."""
