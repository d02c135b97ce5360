"""Makes docs/pos-screen.svg (and .png with Chromium, if installed): the POS mid-run, with
the link cut and confirmations waiting to sync. Same world as the tests.

    .venv/bin/python -m tests.pos.screenshot [docs/pos-screen.svg]
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ledger.infrastructure.keys import create_key_file
from tests.pos.conftest import World, pos_app, press, running_world
from tests.pos.test_delivery_run import close_receipt, identify, sign_in_and_open_sector_a


async def drive(world: World, target: Path) -> None:
    world.place_order("P-1", GALL_01=2, JAB_01=1)
    world.place_order("P-2", GALL_01=2, CIG_20=1)
    world.place_order("P-3", JAB_01=2)
    world.place_order("P-4", GALL_01=1)
    world.place_order("P-5", CIG_20=2)
    app = pos_app(world, sync_every=3600)
    async with app.run_test(size=(120, 34)) as pilot:
        await sign_in_and_open_sector_a(pilot)
        await identify(pilot, "P-1")
        await press(pilot, "f2")
        await close_receipt(pilot)
        world.link.cut()
        for number in ("P-3", "P-4"):
            await identify(pilot, number)
            await press(pilot, "f2")
            await close_receipt(pilot)
        await identify(pilot, "P-2")
        await pilot.pause(0.3)
        app.save_screenshot(filename=target.name, path=str(target.parent))


def to_png(svg: Path) -> Path | None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return None
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg.read_text(encoding="utf-8"))
    width, height = (int(float(v)) + 1 for v in match.groups()) if match else (1500, 900)
    png = svg.with_suffix(".png")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", f"--window-size={width},{height}",
                    f"--screenshot={png.resolve()}", svg.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    return png


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/pos-screen.svg")
    with tempfile.TemporaryDirectory() as tmp:
        key_file = Path(tmp) / "keys.json"
        create_key_file(key_file)
        with running_world(Path(tmp), key_file) as world:
            asyncio.run(drive(world, target))
    print(f"wrote {target}")
    png = to_png(target)
    if png is not None:
        print(f"wrote {png}")


if __name__ == "__main__":
    main()
