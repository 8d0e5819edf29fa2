"""Measuring review quality: datasets of changes with golden comments, matching, metrics, reports.

Everything here is pure: the loaders only read the dataset folder they are given, and matching takes
the judge as a callable so the caller decides how (and whether) a model is asked.
"""
