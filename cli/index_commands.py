"""Index and discovery commands: `search`, `index-repos`, `discover`, `sync-github-activity`.

`search` reads the index directly; the others start workflows (never do the work themselves)
and, unless `--no-wait`, follow them until they finish (see cli.common.run_plans).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.common import EXIT_FAILED, EXIT_OK, database, run_plans
from contracts.starts import discover_repos_start, index_repo_start, sync_github_activity_start
from core.settings import Settings


def add_parsers(sub: Any) -> None:
    """Add this module's commands, each bound to its handler, to the `pr-agent` parser."""
    search = sub.add_parser("search", help="search a repository's code index (hybrid: vectors + full text)")
    search.add_argument("--repo", required=True, help="owner/name")
    search.add_argument("--limit", type=int, default=8)
    search.add_argument("query", help="what to look for: words, an identifier, a question")
    search.set_defaults(handler=search_code)
    index = sub.add_parser("index-repos", help="index registered repositories (incremental unless --full)")
    which = index.add_mutually_exclusive_group(required=True)
    which.add_argument("--repo", help="owner/name (registered, or with --clone-url)")
    which.add_argument("--all", action="store_true", help="every registered repository, archived and forks aside")
    index.add_argument("--full", action="store_true", help="re-read every file instead of what changed")
    index.add_argument("--branch", help="default: the repository's default branch (main when unknown)")
    index.add_argument("--clone-url", help="where to clone from (default: the registered URL, then GitHub)")
    index.add_argument("--no-wait", action="store_true", help="start and print the workflow ids")
    index.set_defaults(handler=index_repos)
    discover = sub.add_parser("discover", help="discover and register organisations' repositories")
    discover.add_argument("--orgs", help="comma-separated organisations (default: GITHUB_ORG)")
    discover.add_argument("--no-wait", action="store_true")
    discover.set_defaults(handler=discover_repos)
    activity = sub.add_parser("sync-github-activity", help="record recent commits and pull requests")
    activity.add_argument("--days", type=int, required=True, help="how far back to read")
    activity.add_argument("--repo", help="owner/name (default: every registered repository)")
    activity.add_argument("--no-wait", action="store_true")
    activity.set_defaults(handler=sync_github_activity)


async def search_code(args: argparse.Namespace, settings: Settings) -> int:
    from db.code_search import hybrid_search
    from workers.base import WorkerDeps, embedder_for

    async with database(settings) as pool:
        embedder = embedder_for(WorkerDeps(settings, pool))
        hits = await hybrid_search(pool, args.repo, args.query, embedder, limit=args.limit)
    if not hits:
        sys.stdout.write(f"no results in {args.repo} (is it indexed? try `pr-agent index-repos --repo {args.repo}`)\n")
        return EXIT_FAILED
    for rank, hit in enumerate(hits, 1):
        title = f"{rank}. {hit.path}:{hit.start_line}-{hit.end_line}"
        sys.stdout.write(f"{title}  {hit.symbol or ''}  (score {hit.score:.4f})\n")
        lines = hit.content.splitlines()
        sys.stdout.write("".join(f"    {line}\n" for line in lines[:6]))
        if len(lines) > 6:
            sys.stdout.write(f"    ... {len(lines) - 6} more lines\n")
    return EXIT_OK


async def index_repos(args: argparse.Namespace, settings: Settings) -> int:
    from db.repositories import RepositoryStore

    async with database(settings) as pool:
        store = RepositoryStore(pool)
        if args.all:
            records = await store.list(indexable_only=True)
            plans = [
                index_repo_start(repository=r.full_name, branch=r.default_branch, full=args.full, trigger="cli")
                for r in records
            ]
        else:
            record = await store.get(args.repo)  # unknown: IndexRepo registers it and clones from GitHub
            branch = args.branch or (record.default_branch if record else "main")
            plans = [
                index_repo_start(
                    repository=args.repo, branch=branch, full=args.full, clone_url=args.clone_url, trigger="cli"
                )
            ]
    if not plans:
        sys.stdout.write("no registered repositories to index (run `pr-agent discover` first)\n")
        return EXIT_OK
    return await run_plans(settings, plans, args.no_wait, show_result=True)


async def discover_repos(args: argparse.Namespace, settings: Settings) -> int:
    orgs = [o.strip() for o in (args.orgs or settings.github.org or "").split(",") if o.strip()]
    if not orgs:
        raise ValueError("pass --orgs or set GITHUB_ORG")
    return await run_plans(
        settings, [discover_repos_start(org=org, trigger="cli") for org in orgs], args.no_wait, show_result=True
    )


async def sync_github_activity(args: argparse.Namespace, settings: Settings) -> int:
    from db.repositories import RepositoryStore

    if args.days < 1:
        raise ValueError("--days must be at least 1")
    if args.repo:
        repositories = [args.repo]
    else:
        async with database(settings) as pool:
            repositories = [r.full_name for r in await RepositoryStore(pool).list(indexable_only=True)]
    plans = [sync_github_activity_start(repository=repo, days=args.days, trigger="cli") for repo in repositories]
    return await run_plans(settings, plans, args.no_wait, show_result=True)
