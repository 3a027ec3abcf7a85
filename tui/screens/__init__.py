"""The app's screens: main (panels), final answer, image viewer, help."""
