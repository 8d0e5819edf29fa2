"""The review's pure logic: context, token budget, prompt, LLM answer parsing and rendering.

Nothing here does I/O beyond reading the versioned prompt files; activities call these functions
and workflows never need to.
"""
