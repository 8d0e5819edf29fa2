"""Generated inputs for bench/index_bench.py: git repositories of Python modules, and chunk-like
embedding vectors in bulk."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import numpy as np

from domain.embeddings import HashingEmbedder

_VERBS = ["load", "save", "parse", "render", "sync", "merge", "check", "build", "fetch", "index", "score", "send"]
_NOUNS = ["user", "order", "invoice", "token", "session", "article", "comment", "cache", "event", "report",
          "payment", "profile", "search", "upload", "webhook", "ticket"]  # fmt: skip
_GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}  # fmt: skip


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **_GIT_ENV}, check=True, capture_output=True)


def function_text(rng: random.Random, tag: str) -> str:
    verb, noun, other = rng.choice(_VERBS), rng.choice(_NOUNS), rng.choice(_NOUNS)
    name = f"{verb}_{noun}_{tag}"
    return (
        f"def {name}(store, {noun}_id, options=None):\n"
        f'    """{verb.capitalize()} the {noun} and its {other} records."""\n'
        f"    {noun} = store.get('{noun}', {noun}_id)\n"
        f"    if {noun} is None:\n"
        f"        raise KeyError({noun}_id)\n"
        f"    related = [r for r in store.scan('{other}') if r.{noun}_id == {noun}_id]\n"
        f"    return {{'{noun}': {noun}, '{other}s': related, 'options': options or {{}}}}\n"
    )


def module_text(index: int, revision: int = 0) -> str:
    rng = random.Random(index)
    functions = [function_text(rng, f"{index}_{n}") for n in range(4)]
    noun = rng.choice(_NOUNS).capitalize()
    klass = (
        f"class {noun}Service{index}:\n"
        f"    def __init__(self, store):\n        self.store = store\n\n"
        f"    def count(self):\n        return len(self.store.scan('{noun.lower()}')) + {revision}\n"
    )
    return f'"""Module {index}."""\n\nimport json\n\n\n' + "\n\n".join([*functions, klass])


def generate_repository(path: Path, files: int) -> Path:
    """A git repository of `files` Python modules (about six chunks each) on branch main."""
    path.mkdir(parents=True)
    _git(path, "init", "--quiet", "--initial-branch=main")
    for index in range(files):
        target = path / f"pkg{index % 20:02d}" / f"mod_{index:05d}.py"
        target.parent.mkdir(exist_ok=True)
        target.write_text(module_text(index))
    _git(path, "add", "--all")
    _git(path, "commit", "--quiet", "-m", "generated")
    return path


def modify_one_file(path: Path, files: int, step: int) -> None:
    """Change one method of one module and commit (a typical one-file push)."""
    index = step * 7 % files
    (path / f"pkg{index % 20:02d}" / f"mod_{index:05d}.py").write_text(module_text(index, revision=step + 1))
    _git(path, "commit", "--quiet", "--all", "-m", f"change {step}")


def synthetic_vectors(count: int, embedder: HashingEmbedder, seed: int) -> tuple[np.ndarray, list[str]]:
    """`count` unit vectors shaped like chunk embeddings: each mixes two embedded function texts
    (a base set of 2,000 texts) with a little noise, so neighbourhoods are realistic but rows differ."""
    rng = random.Random(seed)
    texts = [function_text(rng, f"{seed}_{n}") for n in range(min(count, 2000))]
    base = np.asarray([embedder.embed_one(text) for text in texts], dtype=np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    generator = np.random.default_rng(seed)
    first = generator.integers(0, len(base), count)
    second = generator.integers(0, len(base), count)
    mixed = base[first] + 0.5 * base[second] + 0.05 * generator.standard_normal((count, base.shape[1]))
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    return mixed.astype(np.float32), texts
