"""The demo's Jira stand-in answers the real `jira` client the way the product's sync uses it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from activities.sync_jira import project_jql, search_page
from cli.demo_jira import demo_jira
from clients.jira import fetch_issue, make_jira
from core.settings import Settings
from domain.jira_issue import acceptance_criteria, ticket_from_issue


async def test_the_stand_in_serves_the_demo_ticket_to_the_jira_client() -> None:
    async with demo_jira(Settings.from_variables({})) as settings:
        jira = settings.jira
        assert jira.configured and jira.base_url is not None
        issue = await asyncio.to_thread(fetch_issue, jira, "SHOP-42")
        assert issue is not None
        ticket = ticket_from_issue(issue, jira.base_url)
        assert (ticket.key, ticket.project_key, ticket.status) == ("SHOP-42", "SHOP", "In Progress")
        criteria = (acceptance_criteria(ticket.description) or "").splitlines()
        assert len([line for line in criteria if line.startswith("- ")]) == 3
        assert await asyncio.to_thread(fetch_issue, jira, "SHOP-7") is None  # Jira's 404: no such issue
        client = make_jira(jira)
        client.deploymentType = (await asyncio.to_thread(client.server_info))["deploymentType"]  # as the sync does
        assert client.deploymentType == "Server"
        issues, cursor = await asyncio.to_thread(search_page, client, project_jql("SHOP", None), None, False)
        assert [i["key"] for i in issues] == ["SHOP-42"] and cursor is None
        async with httpx.AsyncClient(timeout=5) as http:
            assert (await http.get(f"{jira.base_url}/rest/api/2/issue/SHOP-42")).status_code == 401  # no credentials
    async with httpx.AsyncClient(timeout=2) as http:
        with pytest.raises(httpx.TransportError):  # the stand-in stops with the demo
            await http.get(f"{jira.base_url}/rest/api/2/serverInfo")


async def test_a_configured_jira_is_used_instead() -> None:
    configured = {"JIRA_BASE_URL": "https://acme.atlassian.net", "JIRA_EMAIL": "a@b.c", "JIRA_API_TOKEN": "t"}
    settings = Settings.from_variables(configured)
    async with demo_jira(settings) as used:
        assert used is settings
