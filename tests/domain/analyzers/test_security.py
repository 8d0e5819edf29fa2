"""security.eval, security.tls-verification-disabled, security.path-traversal,
security.hardcoded-secret, mongo.where-operator and es.script-query."""

from __future__ import annotations

import pytest

from domain.analyzers import code_eval, elasticsearch, mongo, secrets, security
from tests.domain.analyzers.helpers import EMPTY, added, rules_of


def test_eval_in_js_python_php() -> None:
    js = added(
        "src/a.js",
        """
        eval(userCode);
        const f = new Function('a', body);
        setTimeout("refresh()", 10);
        setTimeout(() => refresh(), 10);
        vm.runInNewContext(src, sandbox);
        """,
    )
    assert rules_of(code_eval.analyze(js, EMPTY)) == [
        ("security.eval", 1),
        ("security.eval", 2),
        ("security.eval", 3),
        ("security.eval", 5),
    ]
    py = added("app/a.py", "eval(expr)\nexec(code)\nmodel.eval()\nast.literal_eval(s)\n")
    assert rules_of(code_eval.analyze(py, EMPTY)) == [("security.eval", 1), ("security.eval", 2)]
    php = added("a.php", "<?php\neval($code);\n$f = create_function('$a', $b);\nevaluate($x);\n")
    assert rules_of(code_eval.analyze(php, EMPTY)) == [("security.eval", 2), ("security.eval", 3)]


@pytest.mark.parametrize(
    ("path", "bad", "good"),
    [
        (
            "src/http.ts",
            "const agent = new Agent({ rejectUnauthorized: false });",
            "const agent = new Agent({ rejectUnauthorized: true });",
        ),
        (
            "src/env.js",
            "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
            "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';",
        ),
        ("app/client.py", "r = requests.get(url, verify=False)", "r = requests.get(url, verify='/etc/ca.pem')"),
        ("app/client.py", "ctx = ssl._create_unverified_context()", "ctx = ssl.create_default_context()"),
        (
            "lib/curl.php",
            "curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);",
            "curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);",
        ),
    ],
)
def test_tls_verification_disabled(path: str, bad: str, good: str) -> None:
    prefix = "<?php\n" if path.endswith(".php") else ""
    found = security.analyze(added(path, prefix + bad), EMPTY)
    assert rules_of(found) == [("security.tls-verification-disabled", 1 + prefix.count("\n"))]
    assert security.analyze(added(path, prefix + good), EMPTY) == []


def test_tls_in_a_comment_is_ignored() -> None:
    file = added("src/a.ts", "// never use rejectUnauthorized: false in production\n")
    assert security.analyze(file, EMPTY) == []


@pytest.mark.parametrize(
    ("path", "bad", "good"),
    [
        (
            "src/files.controller.ts",
            "res.sendFile(path.join(ROOT, req.params.name));",
            "res.sendFile(path.join(ROOT, path.basename(req.params.name)));",
        ),
        (
            "src/read.js",
            "const data = fs.readFileSync(`/data/${req.query.file}`);",
            "const data = fs.readFileSync('/data/index.json');",
        ),
        (
            "app/views.py",
            "return send_file(os.path.join(BASE, request.args['f']))",
            "return send_file(os.path.join(BASE, secure_filename(request.args['f'])))",
        ),
        ("page.php", "include $_GET['page'] . '.php';", "include 'pages/home.php';"),
    ],
)
def test_path_traversal(path: str, bad: str, good: str) -> None:
    prefix = "<?php\n" if path.endswith(".php") else ""
    line = 1 + prefix.count("\n")
    found = security.analyze(added(path, prefix + bad), EMPTY)
    assert rules_of(found) == [("security.path-traversal", line)]
    assert security.analyze(added(path, prefix + good), EMPTY) == []


def test_request_input_before_the_file_call_is_not_a_path() -> None:
    file = added("src/a.ts", "const n = req.query.n; fs.readFileSync(CONFIG);\n")
    assert security.analyze(file, EMPTY) == []


def test_hardcoded_secrets() -> None:
    file = added(
        "src/config.ts",
        """
        const awsKey = 'AKIAIOSFODNN7EXAMPLE';
        const dbPassword = "s3cr3T-Passw0rd!";
        const apiKey = process.env.API_KEY;
        const passwordField = "password_confirmation";
        const clientSecret = "<your-client-secret>";
        const token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        """,
    )
    findings = secrets.analyze(file, EMPTY)
    assert rules_of(findings) == [
        ("security.hardcoded-secret", 1),
        ("security.hardcoded-secret", 2),
        ("security.hardcoded-secret", 6),
    ]
    assert [f.severity for f in findings] == ["critical", "high", "critical"]
    assert all("s3cr3T" not in f.message and "AKIA" not in f.message for f in findings)


def test_named_literals_in_tests_are_expected_but_real_key_formats_are_not() -> None:
    file = added(
        "tests/test_login.py",
        'PASSWORD = "Hunter2-Secret!"\nKEY = "-----BEGIN RSA PRIVATE KEY-----"\n',
    )
    assert rules_of(secrets.analyze(file, EMPTY)) == [("security.hardcoded-secret", 2)]


def test_mongo_where_operator() -> None:
    js = added(
        "src/find.ts",
        """
        const a = await users.find({ $where: `this.name == '${name}'` });
        const b = await users.find({ "$where": "this.a > 1" });
        const c = await users.find({ name: { $eq: name } });
        """,
    )
    assert rules_of(mongo.analyze(js, EMPTY)) == [
        ("mongo.where-operator", 1),
        ("mongo.where-operator", 2),
    ]
    py = added("app/m.py", 'db.users.find({"$where": js})\ndb.users.find({"name": n})\n')
    assert rules_of(mongo.analyze(py, EMPTY)) == [("mongo.where-operator", 1)]
    php = added("m.php", "<?php\n$c->find(['$where' => $js]);\n$c->find([\"$where\" => 1]);\n")
    assert rules_of(mongo.analyze(php, EMPTY)) == [("mongo.where-operator", 2)]


def test_elasticsearch_script_built_from_values() -> None:
    js = added(
        "src/search.ts",
        """
        const bad = { script_score: { script: { source: `doc['rank'].value * ${factor}` } } };
        const good = { script: { source: "doc['rank'].value * params.f", params: { f: factor } } };
        const legacy = { script: "doc['a'].value > " + limit };
        """,
    )
    findings = elasticsearch.analyze(js, EMPTY)
    assert rules_of(findings) == [("es.script-query", 1), ("es.script-query", 3)]
    py = added(
        "app/search.py",
        """
        q = {"script": {"source": f"doc['a'].value > {limit}"}}
        ok = {"script": {"source": "doc['a'].value > params.l", "params": {"l": limit}}}
        """,
    )
    assert rules_of(elasticsearch.analyze(py, EMPTY)) == [("es.script-query", 1)]
