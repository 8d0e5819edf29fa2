"""The Knowledge Assistant's pure parts: ranking evidence, the prompt, and reading citations back."""
