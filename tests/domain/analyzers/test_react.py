"""react.hook-in-condition and react.list-missing-key."""

from __future__ import annotations

from domain.analyzers import react
from tests.domain.analyzers.helpers import EMPTY, added, rules_of


def test_hooks_in_conditions_loops_and_short_circuits() -> None:
    file = added(
        "src/Profile.tsx",
        """
        export function Profile({ user, items }: Props) {
          const [open, setOpen] = useState(false);
          if (user) {
            useEffect(() => track(user.id), [user]);
          }
          const theme = user ? useTheme() : null;
          const data = items.length > 0 && useMemo(() => sum(items), [items]);
          for (const item of items) {
            React.useRef(item);
          }
          return <div>{open}</div>;
        }
        """,
    )
    found = rules_of(react.analyze(file, EMPTY))
    assert found == [
        ("react.hook-in-condition", 4),
        ("react.hook-in-condition", 6),
        ("react.hook-in-condition", 7),
        ("react.hook-in-condition", 9),
    ]


def test_hooks_at_top_level_and_inside_their_own_callbacks_are_fine() -> None:
    file = added(
        "src/Ok.jsx",
        """
        function Ok({ id }) {
          const value = useContext(Ctx);
          useEffect(() => {
            if (id) { load(id); }
          }, [id]);
          if (useFlag()) { return null; }
          return app.use(value);
        }
        """,
    )
    assert react.analyze(file, EMPTY) == []


def test_list_items_without_key() -> None:
    file = added(
        "src/List.tsx",
        """
        export const List = ({ rows }: Props) => (
          <ul>
            {rows.map((row) => <li>{row.name}</li>)}
            {rows.map((row) => <Row key={row.id} row={row} />)}
            {rows.map((row) => {
              if (row.hidden) return null;
              return (
                <>
                  <dt>{row.term}</dt>
                </>
              );
            })}
            {rows.map((row) => <Item {...row} />)}
          </ul>
        );
        """,
    )
    findings = react.analyze(file, EMPTY)
    assert rules_of(findings) == [("react.list-missing-key", 3), ("react.list-missing-key", 8)]
    assert findings[1].suggestion and "Fragment key" in findings[1].suggestion


def test_jsx_rules_do_not_run_on_plain_typescript() -> None:
    file = added("src/util.ts", "const ids = rows.map((row) => row.id);\n")
    assert react.analyze(file, EMPTY) == []
