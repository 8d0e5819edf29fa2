"""Routes of PHP applications that route by convention: `/controller/method/param`, no route file.

Frameworks such as panique/mini, CodeIgniter 3 and many home-grown MVC apps split the URL and
call `<Controller>::<method>(...params)` by name. Their routes are then the public methods of the
controller classes. This is applied only when the code shows such a dispatcher (a controller or
method chosen from the URL at run time, or CodeIgniter's base controller) and no explicit route
declarations were found, so a Laravel or Symfony app is never given invented routes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import PurePosixPath

from domain.investigation.routemodel import DetectedApi
from domain.investigation.scan import LineIndex, join_route

FRAMEWORK = "php-convention"
_CONTROLLER_DIRS = {"controller", "controllers"}
_CLASS = re.compile(r"^\s*(?:abstract\s+|final\s+)*class\s+(?P<name>\w+)", re.MULTILINE)
_ABSTRACT = re.compile(r"^\s*abstract\s+class\b", re.MULTILINE)
_METHOD = re.compile(
    r"^[ \t]*(?P<mods>(?:(?:public|private|protected|static|final|abstract)\s+)*)function\s+&?\s*"
    r"(?P<name>\w+)\s*\((?P<params>[^)]*)\)",
    re.MULTILINE,
)
# The URL picks the class or the method at run time: `new $controller()`, `$obj->{$action}()`,
# `call_user_func_array([$obj, $action], ...)`; and the URL is read from the request.
_DYNAMIC_CALL = re.compile(r"new\s+\$|->\s*\{\s*\$|call_user_func(?:_array)?\s*\(|method_exists\s*\(")
_READS_URL = re.compile(r"\$_GET\s*\[\s*['\"]url['\"]|REQUEST_URI|PATH_INFO|\$_SERVER\s*\[")
_CODEIGNITER = re.compile(r"\bextends\s+CI_Controller\b")
_CI_DEFAULT = re.compile(r"\$route\s*\[\s*['\"]default_controller['\"]\s*\]\s*=\s*['\"](?P<name>\w+)['\"]")
_NEW_CLASS = re.compile(r"\bnew\s+(?P<name>[A-Za-z_]\w*)\s*\(")
_PARAM = re.compile(r"\$(?P<name>\w+)(?P<default>\s*=)?")


def convention_routes(php_files: Mapping[str, str]) -> list[DetectedApi]:
    """The routes of convention-routed controllers, or [] when no dispatcher is in sight."""
    controllers = {p: t for p, t in php_files.items() if _is_controller(p)}
    dispatchers = [t for p, t in php_files.items() if p not in controllers and _dispatches(t)]
    codeigniter = any(_CODEIGNITER.search(t) for t in controllers.values())
    if not controllers or not (dispatchers or codeigniter):
        return []
    defaults = _default_controllers(php_files.values(), dispatchers)
    found: list[DetectedApi] = []
    for path, text in sorted(controllers.items()):
        found.extend(_controller_routes(path, text, defaults))
    return found


def _is_controller(path: str) -> bool:
    pure = PurePosixPath(path)
    folders = {part.lower() for part in pure.parts[:-1]}
    return pure.suffix == ".php" and (bool(folders & _CONTROLLER_DIRS) or pure.stem.endswith("Controller"))


def _dispatches(text: str) -> bool:
    return bool(_DYNAMIC_CALL.search(text) and _READS_URL.search(text))


def _default_controllers(texts: Iterable[str], dispatchers: list[str]) -> set[str]:
    """Classes served at "/": instantiated by name in the dispatcher (mini's `new Home()`) or
    named as CodeIgniter's default_controller. Lower-cased class names."""
    names = {m.group("name").lower() for text in dispatchers for m in _NEW_CLASS.finditer(text)}
    names.update(m.group("name").lower() for text in texts for m in _CI_DEFAULT.finditer(text))
    return names


def _segments(path: str) -> list[str]:
    """URL segments of a controller file: folders below the controller folder, then the name."""
    parts = PurePosixPath(path).parts
    below = [i for i, part in enumerate(parts[:-1]) if part.lower() in _CONTROLLER_DIRS]
    folders = list(parts[below[-1] + 1 : -1]) if below else []
    stem = PurePosixPath(path).stem
    name = stem[: -len("Controller")] if stem.endswith("Controller") and stem != "Controller" else stem
    return [*(f.lower() for f in folders), name.lower()]


def _controller_routes(path: str, text: str, defaults: set[str]) -> Iterator[DetectedApi]:
    declared = _CLASS.search(text)
    if declared is None or _ABSTRACT.search(text[declared.start() : declared.end() + 1]):
        return
    base = _segments(path)
    is_default = declared.group("name").lower() in defaults or base[-1] in defaults
    lines = LineIndex(text)
    for match in _METHOD.finditer(text, declared.end()):
        name, mods = match.group("name"), match.group("mods").split()
        if name.startswith("_") or {"private", "protected", "static", "abstract"} & set(mods):
            continue
        line = lines.line_of(match.start("name"))
        params = [f"{{{p.group('name')}}}" for p in _PARAM.finditer(match.group("params")) if not p.group("default")]
        yield DetectedApi("ANY", join_route(*base, name.lower(), *params), FRAMEWORK, path, line)
        if name.lower() == "index":
            yield DetectedApi("ANY", join_route(*base, *params), FRAMEWORK, path, line)
            if is_default and not params:
                yield DetectedApi("ANY", "/", FRAMEWORK, path, line)
