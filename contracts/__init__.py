"""What workflows, activities and their callers agree on: workflow names, ids and queues, one module
of payload dataclasses per feature, and the builders that plan each workflow's start."""
