"""The main window's views and dialogs."""
