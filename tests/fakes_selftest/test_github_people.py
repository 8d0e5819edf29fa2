"""People around a pull request through PyGithub: collaborator permissions, reactions (seeded,
listed, and the bot's own), who wrote an issue comment and when it was edited."""

from __future__ import annotations

import pytest
from github import Github, GithubException
from github.PullRequest import PullRequest

from tests.fakes.github import FakeGitHub

SHA = "c" * 40
PATCH = "@@ -1,2 +1,2 @@\n a\n-b\n+c"


@pytest.fixture
def pull(github_fake: FakeGitHub, github_client: Github) -> PullRequest:
    github_fake.add_repo("acme/api")
    files = [{"filename": "x.txt", "patch": PATCH}]
    github_fake.add_pull("acme/api", 5, title="Change", head_ref="x", head_sha=SHA, files=files, user_login="carol")
    return github_client.get_repo("acme/api").get_pull(5)


@pytest.mark.parametrize(
    ("role", "permission"),
    [("admin", "admin"), ("maintain", "write"), ("write", "write"), ("triage", "read"), ("read", "read")],
)
def test_a_collaborator_s_role_and_legacy_permission(
    github_fake: FakeGitHub, github_client: Github, role: str, permission: str
) -> None:
    github_fake.add_repo("acme/api")
    github_fake.add_collaborator("acme/api", "alice", role)
    repo = github_client.get_repo("acme/api")
    assert repo.get_collaborator_permission("alice") == permission
    assert repo.get_collaborator_role_name("alice") == role
    _, data = repo.requester.requestJsonAndCheck("GET", f"{repo.url}/collaborators/alice/permission")
    assert data["user"]["login"] == "alice" and data["user"]["role_name"] == role
    assert data["user"]["permissions"]["push"] is (permission in ("admin", "write"))
    assert repo.has_in_collaborators("alice")


def test_someone_without_a_role_reads_public_repositories_and_a_stranger_is_no_user(
    github_fake: FakeGitHub, github_client: Github
) -> None:
    github_fake.add_repo("acme/public")
    github_fake.add_repo("acme/secret", private=True)
    github_fake.add_user("bob")
    public, secret = github_client.get_repo("acme/public"), github_client.get_repo("acme/secret")
    assert (public.get_collaborator_permission("bob"), secret.get_collaborator_permission("bob")) == ("read", "none")
    assert not public.has_in_collaborators("bob")
    assert public.get_collaborator_permission("acme") == "admin"  # the owner
    with pytest.raises(GithubException) as ghost:
        public.get_collaborator_permission("ghost")
    assert (ghost.value.status, ghost.value.data["message"]) == (404, "ghost is not a user")


def test_reactions_on_comments_are_listed_and_the_bot_acknowledges_with_eyes(
    github_fake: FakeGitHub, pull: PullRequest
) -> None:
    command = github_fake.add_issue_comment("acme/api", 5, "/pr-agent review", user_login="alice")
    github_fake.add_reaction("acme/api", command, "+1", user_login="bob")
    inline = github_fake.add_review_comment("acme/api", 5, "typo?", path="x.txt", line=2, user_login="bob")
    github_fake.add_reaction("acme/api", inline, "heart", user_login="alice")
    comment = pull.get_issue_comment(command)
    assert [(r.content, r.user.login) for r in comment.get_reactions()] == [("+1", "bob")]
    acknowledged = comment.create_reaction("eyes")
    again = comment.create_reaction("eyes")  # GitHub answers 200 with the same reaction
    assert (acknowledged.content, acknowledged.user.login, again.id) == ("eyes", "pr-agent[bot]", acknowledged.id)
    rollup = pull.get_issue_comment(command).raw_data["reactions"]
    assert (rollup["total_count"], rollup["+1"], rollup["eyes"], rollup["heart"]) == (2, 1, 1, 0)
    assert [r.content for r in pull.get_review_comment(inline).get_reactions()] == ["heart"]
    assert [r["content"] for r in github_fake.reactions("acme/api", command)] == ["+1", "eyes"]
    requester = pull.requester
    _, only_eyes = requester.requestJsonAndCheck("GET", f"{comment.url}/reactions", parameters={"content": "eyes"})
    assert [r["user"]["login"] for r in only_eyes] == ["pr-agent[bot]"]
    with pytest.raises(GithubException) as bad:
        requester.requestJsonAndCheck("POST", f"{comment.url}/reactions", input={"content": "thumbsup"})
    assert bad.value.status == 422 and bad.value.data["errors"][0]["field"] == "content"


def test_issue_comments_say_who_wrote_them_and_when_they_changed(github_fake: FakeGitHub, pull: PullRequest) -> None:
    github_fake.add_collaborator("acme/api", "alice", "write")
    github_fake.add_issue_comment("acme/api", 5, "from alice", user_login="alice")
    github_fake.add_issue_comment("acme/api", 5, "from the org", user_login="dave", author_association="MEMBER")
    github_fake.add_issue_comment("acme/api", 5, "from a passer-by", user_login="erin")
    mine = pull.create_issue_comment("Review in progress")
    mine.edit("Review done")  # in the same second: GitHub still shows a newer updated_at
    listed = [(c.user.login, c.user.type, c.raw_data["author_association"]) for c in pull.get_issue_comments()]
    assert listed == [
        ("alice", "User", "COLLABORATOR"),
        ("dave", "User", "MEMBER"),
        ("erin", "User", "NONE"),
        ("pr-agent[bot]", "Bot", "NONE"),
    ]
    edited = pull.get_issue_comment(mine.id)
    assert edited.body == "Review done" and edited.updated_at > edited.created_at
