"""GitHub REST v3 JSON shapes for the fake, modelled on the objects in the octokit webhook
fixtures (`pull_request`, `repository`) so PyGithub loads every attribute from them. Every URL
points back at the fake (PyGithub refuses to follow a URL on another host or port).
"""

from __future__ import annotations

from typing import Any

from tests.fakes.github_state import PullRecord, RepoRecord, stable_id

_REPO_URLS = (
    ("forks_url", "/forks"),
    ("keys_url", "/keys{/key_id}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("teams_url", "/teams"),
    ("hooks_url", "/hooks"),
    ("issue_events_url", "/issues/events{/number}"),
    ("events_url", "/events"),
    ("assignees_url", "/assignees{/user}"),
    ("branches_url", "/branches{/branch}"),
    ("tags_url", "/tags"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("trees_url", "/git/trees{/sha}"),
    ("statuses_url", "/statuses/{sha}"),
    ("languages_url", "/languages"),
    ("stargazers_url", "/stargazers"),
    ("contributors_url", "/contributors"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("commits_url", "/commits{/sha}"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("comments_url", "/comments{/number}"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("contents_url", "/contents/{+path}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("merges_url", "/merges"),
    ("archive_url", "/{archive_format}{/ref}"),
    ("downloads_url", "/downloads"),
    ("issues_url", "/issues{/number}"),
    ("pulls_url", "/pulls{/number}"),
    ("milestones_url", "/milestones{/number}"),
    ("notifications_url", "/notifications{?since,all,participating}"),
    ("labels_url", "/labels{/name}"),
    ("releases_url", "/releases{/id}"),
    ("deployments_url", "/deployments"),
)


def user(base: str, login: str, *, kind: str | None = None) -> dict[str, Any]:
    """A user (or bot, or organisation) object."""
    url = f"{base}/users/{login}"
    return {
        "login": login,
        "id": stable_id(login),
        "node_id": f"U_{stable_id(login)}",
        "avatar_url": f"{base}/avatars/{login}",
        "gravatar_id": "",
        "url": url,
        "html_url": f"{base}/{login}",
        "followers_url": f"{url}/followers",
        "following_url": f"{url}/following{{/other_user}}",
        "gists_url": f"{url}/gists{{/gist_id}}",
        "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{url}/subscriptions",
        "organizations_url": f"{url}/orgs",
        "repos_url": f"{url}/repos",
        "events_url": f"{url}/events{{/privacy}}",
        "received_events_url": f"{url}/received_events",
        "type": kind or ("Bot" if login.endswith("[bot]") else "User"),
        "site_admin": False,
    }


def organization(base: str, login: str) -> dict[str, Any]:
    url = f"{base}/orgs/{login}"
    return {
        "login": login,
        "id": stable_id(login),
        "node_id": f"O_{stable_id(login)}",
        "url": url,
        "repos_url": f"{url}/repos",
        "events_url": f"{url}/events",
        "hooks_url": f"{url}/hooks",
        "issues_url": f"{url}/issues",
        "members_url": f"{url}/members{{/member}}",
        "public_members_url": f"{url}/public_members{{/member}}",
        "avatar_url": f"{base}/avatars/{login}",
        "description": None,
        "html_url": f"{base}/{login}",
        "type": "Organization",
    }


def repo(base: str, record: RepoRecord, *, owner_kind: str = "User") -> dict[str, Any]:
    url = f"{base}/repos/{record.full_name}"
    html = f"{base}/{record.full_name}"
    shaped: dict[str, Any] = {
        "id": record.id,
        "node_id": f"R_{record.id}",
        "name": record.name,
        "full_name": record.full_name,
        "private": record.private,
        "owner": user(base, record.owner, kind=owner_kind),
        "html_url": html,
        "description": record.description,
        "fork": record.fork,
        "url": url,
    }
    shaped.update({key: url + suffix for key, suffix in _REPO_URLS})
    shaped.update(
        {
            "created_at": record.created_at,
            "updated_at": record.pushed_at(),
            "pushed_at": record.pushed_at(),
            "git_url": f"{html}.git",
            "ssh_url": f"{html}.git",
            "clone_url": record.clone_url or f"{html}.git",
            "svn_url": html,
            "homepage": None,
            "size": sum(len(data) for tree in record.files.values() for data in tree.values()),
            "stargazers_count": 0,
            "watchers_count": 0,
            "language": record.language,
            "has_issues": True,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": True,
            "has_pages": False,
            "forks_count": 0,
            "mirror_url": None,
            "archived": record.archived,
            "disabled": False,
            "open_issues_count": sum(p.state == "open" for p in record.pulls.values()),
            "license": None,
            "forks": 0,
            "open_issues": sum(p.state == "open" for p in record.pulls.values()),
            "watchers": 0,
            "default_branch": record.default_branch,
            "is_template": False,
            "topics": list(record.topics),
            "visibility": "private" if record.private else "public",
            "web_commit_signoff_required": False,
            "permissions": {"admin": False, "push": True, "pull": True},
        }
    )
    return shaped


def _branch_end(base: str, record: RepoRecord, ref: str, sha: str) -> dict[str, Any]:
    return {
        "label": f"{record.owner}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(base, record.owner),
        "repo": repo(base, record),
    }


def pull(base: str, record: RepoRecord, pr: PullRecord, head_repo: RepoRecord | None = None) -> dict[str, Any]:
    """A pull request; `head_repo` is the fork its head branch lives in (default: `record`)."""
    url = f"{base}/repos/{record.full_name}/pulls/{pr.number}"
    issue_url = f"{base}/repos/{record.full_name}/issues/{pr.number}"
    html = f"{base}/{record.full_name}/pull/{pr.number}"
    links = {
        "self": url,
        "html": html,
        "issue": issue_url,
        "comments": f"{issue_url}/comments",
        "review_comments": f"{url}/comments",
        "review_comment": f"{base}/repos/{record.full_name}/pulls/comments{{/number}}",
        "commits": f"{url}/commits",
        "statuses": f"{base}/repos/{record.full_name}/statuses/{pr.head_sha}",
    }
    closed = pr.state == "closed"
    return {
        "url": url,
        "id": pr.id,
        "node_id": f"PR_{pr.id}",
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "issue_url": issue_url,
        "number": pr.number,
        "state": pr.state,
        "locked": pr.locked,
        "title": pr.title,
        "user": user(base, pr.user_login),
        "body": pr.body,
        "created_at": pr.created_at,
        "updated_at": pr.updated_at,
        "closed_at": pr.updated_at if closed else None,
        "merged_at": pr.updated_at if pr.merged else None,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "labels": [_label(base, record, name) for name in pr.labels],
        "milestone": None,
        "commits_url": links["commits"],
        "review_comments_url": links["review_comments"],
        "review_comment_url": links["review_comment"],
        "comments_url": links["comments"],
        "statuses_url": links["statuses"],
        "head": _branch_end(base, head_repo or record, pr.head_ref, pr.head_sha),
        "base": _branch_end(base, record, pr.base_ref, pr.base_sha),
        "_links": {name: {"href": href} for name, href in links.items()},
        "author_association": "CONTRIBUTOR",
        "auto_merge": None,
        "active_lock_reason": pr.lock_reason if pr.locked else None,
        "draft": pr.draft,
        "merged": pr.merged,
        "mergeable": None if closed else True,
        "rebaseable": None if closed else True,
        "mergeable_state": "clean",
        "merged_by": None,
        "comments": len(record.issue_comments.get(pr.number, [])),
        "review_comments": len(record.review_comments.get(pr.number, [])),
        "maintainer_can_modify": pr.maintainer_can_modify,
        "commits": len(pr.commits),
        "additions": sum(int(f.get("additions", 0)) for f in pr.files),
        "deletions": sum(int(f.get("deletions", 0)) for f in pr.files),
        "changed_files": len(pr.files),
    }


def issue(base: str, record: RepoRecord, pr: PullRecord) -> dict[str, Any]:
    """The pull request seen through the issues API, as GitHub serves it."""
    url = f"{base}/repos/{record.full_name}/issues/{pr.number}"
    return {
        "url": url,
        "repository_url": f"{base}/repos/{record.full_name}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "labels_url": f"{url}/labels{{/name}}",
        "html_url": f"{base}/{record.full_name}/pull/{pr.number}",
        "id": pr.id,
        "node_id": f"I_{pr.id}",
        "number": pr.number,
        "title": pr.title,
        "user": user(base, pr.user_login),
        "labels": [_label(base, record, name) for name in pr.labels],
        "state": pr.state,
        "locked": pr.locked,
        "active_lock_reason": pr.lock_reason if pr.locked else None,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": len(record.issue_comments.get(pr.number, [])),
        "created_at": pr.created_at,
        "updated_at": pr.updated_at,
        "closed_at": pr.updated_at if pr.state == "closed" else None,
        "author_association": "CONTRIBUTOR",
        "body": pr.body,
        "pull_request": {"url": f"{base}/repos/{record.full_name}/pulls/{pr.number}"},
    }


def _label(base: str, record: RepoRecord, name: str) -> dict[str, Any]:
    return {
        "id": stable_id(f"{record.full_name}:{name}"),
        "url": f"{base}/repos/{record.full_name}/labels/{name}",
        "name": name,
        "color": "ededed",
        "default": False,
        "description": None,
    }
