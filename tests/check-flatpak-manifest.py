#!/usr/bin/env python3
# check-flatpak-manifest.py — what can be checked of the Flatpak manifest without its runtime.
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import re
import sys

EXPECTED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
]

problems = []
path = sys.argv[1]
try:
    with open(path, encoding="utf-8") as f:
        manifest = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"{path}: not readable JSON: {e}")

def need(cond, message):
    if not cond:
        problems.append(message)

need(manifest.get("id") == "io.github.wangge.Wangge", "id must be io.github.wangge.Wangge")
need(manifest.get("runtime") == "org.gnome.Platform", "runtime must be org.gnome.Platform")
need(manifest.get("sdk") == "org.gnome.Sdk", "sdk must be org.gnome.Sdk")
try:
    need(int(manifest.get("runtime-version", "0")) >= 50,
         "runtime-version must be a maintained GNOME runtime (50 or later)")
except ValueError:
    problems.append("runtime-version must be a number such as 50")
need(manifest.get("command") == "wangge", "command must be wangge")
need(manifest.get("separate-locales") is False,
     "separate-locales must be false so an offline bundle carries the Chinese translation")
need(manifest.get("finish-args") == EXPECTED_FINISH_ARGS,
     f"finish-args must be exactly {EXPECTED_FINISH_ARGS}, found {manifest.get('finish-args')}")

modules = manifest.get("modules", [])
names = [m.get("name") for m in modules if isinstance(m, dict)]
need("libshumate" in names, "libshumate must be bundled (it is not in the GNOME runtime)")
need(names and names[-1] == "wangge", "the last module must be wangge")

for module in modules:
    if not isinstance(module, dict):
        problems.append("modules must be inline objects, so every source is pinned here")
        continue
    for source in module.get("sources", []):
        kind = source.get("type")
        where = f"module {module.get('name')}"
        if kind in ("archive", "file"):
            need(source.get("url", "").startswith("https://"), f"{where}: {kind} source must use https")
            need(re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")) is not None,
                 f"{where}: {kind} source must be pinned by sha256")
        elif kind == "git":
            need(re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")) is not None,
                 f"{where}: git source must be pinned by commit")
        elif kind == "dir":
            need(module.get("name") == "wangge", f"{where}: only the app itself may come from a dir")
        else:
            problems.append(f"{where}: unexpected source type {kind}")

wangge = next((m for m in modules if isinstance(m, dict) and m.get("name") == "wangge"), {})
need("-Dserver=false" in wangge.get("config-opts", []),
     "the wangge module must build the client only (-Dserver=false): the server needs libsodium")

if problems:
    print(f"{path}:")
    for p in problems:
        print(f"  {p}")
    sys.exit(1)
print(f"{path}: ok ({len(modules)} modules, every source pinned)")
