"""php.unescaped-output, php.debug-leftover and php.sql-concatenation, on the PHP fixture too."""

from __future__ import annotations

from domain.analyzers import php, php_sql, run_analyzers
from domain.diff import parse_unified_diff
from tests.domain.analyzers.helpers import EMPTY, added, changed, rules_of
from tests.support.fixtures import fixture_path

PHP_DIFF = fixture_path("diffs/php-sql__panique-mini__a386292_crud-update-song_PR125.diff")


def fixture_findings() -> list[tuple[str, str, int]]:
    files = parse_unified_diff(PHP_DIFF.read_text())
    return [(f.path.rsplit("/", 1)[-1], f.rule_id, f.line) for f in run_analyzers(files, EMPTY)]


def test_fixture_views_echo_values_unescaped() -> None:
    found = fixture_findings()
    unescaped = [(path, line) for path, rule, line in found if rule == "php.unescaped-output"]
    # edit.php lines 8, 10, 12, 13 print $song->artist/track/link/id through `<?= ?>`; line 6
    # echoes the URL constant (fine). index.php 46 is the new edit link; 45 is unchanged context.
    assert unescaped == [
        ("edit.php", 8),
        ("edit.php", 10),
        ("edit.php", 12),
        ("edit.php", 13),
        ("index.php", 46),
    ]


def test_fixture_sql_is_parameterised_so_no_sql_findings() -> None:
    # songsmodel.php adds a SELECT (line 70) and an UPDATE (line 97); both use named
    # placeholders with prepare/execute, list their columns and have a WHERE clause.
    found = fixture_findings()
    assert [f for f in found if f[1].startswith(("sql.", "php.sql"))] == []


def test_fixture_commented_out_debug_code() -> None:
    found = fixture_findings()
    debug = [(path, line) for path, rule, line in found if rule == "php.debug-leftover"]
    # `//die($song_id);` on 94 and the `/* ... var_dump($song); ... die(); */` block (104-107),
    # reported once at its first debug call.
    assert debug == [("songs.php", 94), ("songs.php", 105)]


def test_fixture_full_result_is_exactly_these() -> None:
    assert len(fixture_findings()) == 7


def test_fixture_model_hunk_with_concatenated_update_is_flagged_on_its_line() -> None:
    # The fixture's UPDATE, rewritten the way the bug usually looks, on its real line (97).
    file = changed(
        "application/models/songsmodel.php",
        """
        .     public function updateSong($artist, $track, $link, $song_id)
        .     {
        +         $sql = "UPDATE song SET artist = '" . $artist . "' WHERE id = " . $_POST['song_id'];
        +         $query = $this->db->query($sql);
        .     }
        """,
        start=95,
    )
    findings = php_sql.analyze(file, EMPTY)
    assert rules_of(findings) == [("php.sql-concatenation", 97)]
    assert findings[0].severity == "critical" and "$artist" in findings[0].message


def test_interpolated_sql_string_is_high_and_constants_are_fine() -> None:
    file = added(
        "src/repo.php",
        """
        <?php
        $a = "SELECT * FROM users WHERE name = '$name'";
        $b = "SELECT id FROM " . TABLE . " WHERE id = :id";
        $c = 'SELECT id FROM t WHERE id = ' . (int) $id;
        $d = "Hello $name";
        """,
    )
    findings = php_sql.analyze(file, EMPTY)
    assert rules_of(findings) == [("php.sql-concatenation", 2)]
    assert findings[0].severity == "high"


def test_escaped_and_cast_output_is_fine() -> None:
    file = added(
        "views/x.php",
        """
        <p><?= htmlspecialchars($user->name, ENT_QUOTES, 'UTF-8') ?></p>
        <p><?php echo (int) $count; ?></p>
        <p><?php echo e($title) . ' - ' . SITE_NAME; ?></p>
        <p><?php echo strtoupper($raw); ?></p>
        <p><?php print $_GET['q']; ?></p>
        """,
    )
    assert rules_of(php.analyze(file, EMPTY)) == [
        ("php.unescaped-output", 4),
        ("php.unescaped-output", 5),
    ]


def test_live_debug_calls() -> None:
    file = changed(
        "src/a.php",
        """
        . <?php
        + var_dump($user);
        + $dump = print_r($user, true);
        + print_r($user);
        + die('connection failed');
        """,
    )
    findings = php.analyze(file, EMPTY)
    assert rules_of(findings) == [("php.debug-leftover", 2), ("php.debug-leftover", 4)]
    assert findings[0].severity == "medium"


def test_hunk_from_the_middle_of_a_class_is_read_as_php() -> None:
    # No `<?php` in the hunk: without the view's fix-up the grammar would see inline HTML.
    file = changed(
        "src/b.php",
        """
        .     public function show($id)
        .     {
        +         echo $id;
        .     }
        """,
        start=40,
    )
    assert rules_of(php.analyze(file, EMPTY)) == [("php.unescaped-output", 42)]
