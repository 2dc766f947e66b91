"""The GitHub Actions edge: the composite action's entry point and the workflow commands it writes."""
