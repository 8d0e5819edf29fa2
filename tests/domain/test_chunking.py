"""Chunking: declarations become chunks, the rest is windowed, and output is deterministic."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from domain.chunking import Chunk, ChunkingOptions, chunk_file

REPO_ROOT = Path(__file__).resolve().parents[2]

NEST_SERVICE = """\
import { Injectable } from '@nestjs/common';
import { Repository } from 'typeorm';

/**
 * Users, straight from the database.
 */
@Injectable()
export class UserService {
  constructor(private readonly repo: Repository<User>) {}

  // Every user, newest first.
  async findAll(): Promise<User[]> {
    return this.repo.find({ order: { id: 'DESC' } });
  }

  @Transactional()
  async remove(id: number): Promise<void> {
    await this.repo.delete(id);
  }
}

export const toDto = (user: User): UserDto => {
  return { id: user.id, name: user.name };
};

export const PAGE_SIZE = 20;

export interface UserDto {
  id: number;
  name: string;
}

export default function bootstrap() {
  return new UserService(null as any);
}
"""


def by_symbol(chunks: list[Chunk]) -> dict[str | None, Chunk]:
    return {chunk.symbol: chunk for chunk in chunks}


def lines_of(text: str, chunk: Chunk) -> str:
    return "\n".join(text.split("\n")[chunk.start_line - 1 : chunk.end_line])


def test_typescript_declarations_become_their_own_chunks() -> None:
    all_chunks = chunk_file("src/user/user.service.ts", NEST_SERVICE)
    chunks = by_symbol(all_chunks)

    service = chunks["UserService"]
    assert (service.kind, service.start_line, service.end_line) == ("class", 4, 20)
    assert service.content.startswith("/**") and "@Injectable()" in service.content
    assert (chunks["toDto"].kind, chunks["toDto"].start_line) == ("function", 22)
    assert (chunks["UserDto"].kind, chunks["UserDto"].end_line) == ("interface", 31)
    assert chunks["bootstrap"].kind == "function"
    module = [c for c in all_chunks if c.kind == "module"]
    assert [(c.start_line, c.end_line) for c in module] == [(1, 2), (26, 26)]
    assert all(c.language == "typescript" for c in all_chunks)


def test_a_large_class_is_split_into_methods_and_the_rest() -> None:
    options = ChunkingOptions(window_lines=8, overlap_lines=2, max_lines=10)
    chunks = chunk_file("user.service.ts", NEST_SERVICE, options)
    symbols = {c.symbol: c for c in chunks}

    find_all = symbols["UserService.findAll"]
    assert find_all.kind == "method"
    assert find_all.content.splitlines()[0].strip() == "// Every user, newest first."
    remove = symbols["UserService.remove"]
    assert remove.content.lstrip().startswith("@Transactional()")
    rest = [c for c in chunks if c.symbol == "UserService" and c.kind == "class"]
    assert rest and all("findAll" not in c.content and "remove(" not in c.content for c in rest)
    assert any("@Injectable()" in c.content for c in rest)


def test_a_long_function_is_cut_into_overlapping_windows() -> None:
    body = "".join(f"  total += step({i});\n" for i in range(150))
    text = f"export function crunch(): number {{\n  let total = 0;\n{body}  return total;\n}}\n"
    chunks = chunk_file("crunch.ts", text)

    assert {(c.kind, c.symbol) for c in chunks} == {("function", "crunch")}
    spans = [(c.start_line, c.end_line) for c in chunks]
    assert spans[0][0] == 1 and spans[-1][1] == len(text.splitlines())
    assert all(end - start + 1 <= 60 for start, end in spans)
    assert all(nxt[0] == prev[1] - 9 for prev, nxt in itertools.pairwise(spans))


def test_character_cap_splits_a_function_with_few_but_long_lines() -> None:
    text = "def wide():\n" + "".join(f"    x{i} = '{'y' * 300}'\n" for i in range(20))
    chunks = chunk_file("wide.py", text, ChunkingOptions(max_chars=2000))
    assert len(chunks) > 1
    assert all(len(c.content) <= 2000 for c in chunks)


def test_python_decorators_and_methods() -> None:
    text = (
        "import os\n\n\n@app.get('/users')\nasync def list_users():\n    return []\n\n\n"
        "class Repo:\n    def get(self, id):\n        return id\n\n"
        "    @property\n    def name(self):\n        return 'repo'\n"
    )
    whole = by_symbol(chunk_file("app/api.py", text))
    assert whole["list_users"].start_line == 4 and whole["list_users"].kind == "function"
    assert whole["Repo"].kind == "class"

    split = by_symbol(chunk_file("app/api.py", text, ChunkingOptions(window_lines=3, overlap_lines=0, max_lines=4)))
    assert split["Repo.name"].kind == "method" and split["Repo.name"].start_line == 13
    assert split["Repo.get"].content.strip().startswith("def get")


def test_php_namespaces_classes_and_functions() -> None:
    text = (
        "<?php\nnamespace App\\Model;\n\nuse PDO;\n\n/** Songs. */\nclass Song extends Model\n{\n"
        "    public function getAllSongs()\n    {\n        $sql = 'SELECT * FROM song';\n"
        "        return $this->db->query($sql);\n    }\n}\n\nfunction helper() { return 1; }\n"
    )
    whole = by_symbol(chunk_file("application/model/song.php", text))
    assert (whole["Song"].kind, whole["Song"].start_line, whole["Song"].end_line) == ("class", 6, 14)
    assert whole["helper"].kind == "function"
    split = by_symbol(chunk_file("song.php", text, ChunkingOptions(window_lines=4, overlap_lines=1, max_lines=5)))
    assert split["Song.getAllSongs"].kind == "method"


def test_json_keys_with_nested_values_are_chunks() -> None:
    text = '{\n  "name": "app",\n  "dependencies": {\n    "@nestjs/core": "^10.0.0",\n    "mysql": "^2"\n  }\n}\n'
    chunks = chunk_file("package.json", text)
    deps = by_symbol(chunks)["dependencies"]
    assert (deps.kind, deps.start_line, deps.end_line) == ("property", 3, 6)
    assert any(c.kind == "module" and '"name"' in c.content for c in chunks)


def test_files_without_a_grammar_are_windowed() -> None:
    text = "\n".join(f"line {i}" for i in range(1, 131)) + "\n"
    chunks = chunk_file("main.go", text)
    assert [(c.start_line, c.end_line) for c in chunks] == [(1, 60), (51, 110), (101, 130)]
    assert {(c.kind, c.symbol, c.language) for c in chunks} == {("window", None, "go")}


def test_blank_files_have_no_chunks() -> None:
    assert chunk_file("empty.ts", "") == []
    assert chunk_file("blank.md", "\n\n   \n") == []


def test_content_is_exactly_the_lines_and_ids_are_stable() -> None:
    first = chunk_file("src/user/user.service.ts", NEST_SERVICE)
    assert first == chunk_file("src/user/user.service.ts", NEST_SERVICE)
    for chunk in first:
        assert chunk.content == lines_of(NEST_SERVICE, chunk)
    ids = [c.chunk_id for c in first]
    assert len(set(ids)) == len(ids)
    moved = chunk_file("src/other.ts", NEST_SERVICE)
    assert {c.chunk_id for c in moved}.isdisjoint(ids)
    edited = chunk_file("src/user/user.service.ts", NEST_SERVICE.replace("DESC", "ASC"))
    changed = [c for c in edited if c.chunk_id not in ids]
    assert [c.symbol for c in changed] == ["UserService"]


@pytest.mark.parametrize(
    "path",
    ["domain/chunking/declarations.py", "domain/chunking/chunker.py", "domain/repo_profile/classify.py"],
)
def test_every_code_line_of_a_real_file_is_in_some_chunk(path: str) -> None:
    text = (REPO_ROOT / path).read_text()
    chunks = chunk_file(path, text, ChunkingOptions(window_lines=20, overlap_lines=5, max_lines=30))
    covered = {line for c in chunks for line in range(c.start_line, c.end_line + 1)}
    code_lines = {n for n, line in enumerate(text.split("\n"), 1) if any(ch.isalnum() for ch in line)}
    assert code_lines <= covered
    assert all(c.end_line - c.start_line < 30 for c in chunks)


def test_broken_syntax_still_covers_the_file() -> None:
    text = "export class Broken {\n  method( {\n    return 1;\n}\n\nconst after = 2;\n"
    chunks = chunk_file("broken.ts", text)
    covered = {line for c in chunks for line in range(c.start_line, c.end_line + 1)}
    assert {1, 2, 3, 6} <= covered
