"""cmo-xl render: the default workbook printed by LibreOffice, page by page, and the README's
pictures made by it from the current default workbook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import need_libreoffice, run_cli

pytestmark = pytest.mark.libreoffice
ROOT = Path(__file__).parent.parent
IMAGES = {"dashboard.png": "Dashboard", "analysis.png": "Analysis"}


@pytest.fixture(scope="module")
def pages(built: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    need_libreoffice()
    work = tmp_path_factory.mktemp("render")
    run = run_cli(["render", str(built), "--pdf", "book.pdf", "--png", "pages"], work)
    assert run.code == 0, run.err
    count = len(list((work / "pages").iterdir()))
    assert run.out.splitlines() == ["wrote book.pdf", f"wrote {count} pages into pages"]
    return work / "book.pdf", sorted((work / "pages").iterdir())


def test_every_sheet_prints_pages_that_are_not_blank(
    pages: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    pdf, pngs = pages
    sheets = {p.stem.split("-", 1)[1] for p in pngs}
    assert sheets == {
        "Cover", "Dashboard", "Inputs", "Regions", "Countries", "Client-type", "Application",
        "Summary", "Scenarios", "Analysis", "Players", "Reconciliation", "Checks", "Sources",
        "Spec",
    }  # fmt: skip
    # each page in grey, small: every one must carry ink beyond its header and footer
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdf), str(tmp_path / "p")], check=True)
    for page in sorted(tmp_path.glob("p-*.pgm")):
        data = page.read_bytes()
        header_end = _pgm_header_end(data)
        pixels = data[header_end:]
        dark = sum(1 for b in pixels if b < 200) / len(pixels)
        assert dark > 0.002, f"{page.name} is blank ({dark:.4%} ink)"
    assert len(list(tmp_path.glob("p-*.pgm"))) == len(pngs)


def _pgm_header_end(data: bytes) -> int:
    """Where a binary PGM's pixels start: after 'P5', width, height and maximum."""
    fields, i = 0, 0
    while fields < 4:
        while data[i : i + 1].isspace():
            i += 1
        while not data[i : i + 1].isspace():
            i += 1
        fields += 1
    return i + 1


@pytest.mark.parametrize(("image", "sheet"), IMAGES.items())
def test_the_readme_pictures_are_the_current_workbook(
    image: str, sheet: str, pages: tuple[Path, list[Path]]
) -> None:
    _, pngs = pages
    fresh = next(p for p in pngs if p.stem.split("-", 1)[1] == sheet)  # the sheet's first page
    committed = ROOT / "docs" / "images" / image
    assert f"docs/images/{image}" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert committed.read_bytes() == fresh.read_bytes(), (
        f"docs/images/{image} is not the current {sheet} page; remake it as the README's "
        "'Pictures' section says"
    )


def test_render_without_libreoffice_says_how_to_install_it(built: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bin"  # a PATH with nothing on it; Python is run by its own path, which
    bare.mkdir()  # keeps a virtual environment's (a link to it elsewhere would lose it)
    env = {**os.environ, "PATH": str(bare)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cmo_xl",
            "render",
            str(built),
            "--pdf",
            str(tmp_path / "x.pdf"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert run.returncode == 1
    assert "LibreOffice (soffice) is not installed" in run.stderr
    assert "apt-get install -y --no-install-recommends libreoffice-calc-nogui" in run.stderr
    assert not (tmp_path / "x.pdf").exists()
