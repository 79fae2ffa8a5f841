"""The Word research form opens in a real word processor: DOCX → PDF (LibreOffice) → PNG (poppler).

CI installs LibreOffice and poppler-utils (Debian: libreoffice-writer-nogui, poppler-utils; see
.ci/run) and sets MARAC_TUI_CI, so there a missing tool fails the test; elsewhere it is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_export_cases import build

from marac_tui.export import export_submission

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TOOLS = OFFICE and shutil.which("pdftoppm") and shutil.which("pdftotext")

NEEDS = "needs LibreOffice (soffice) and poppler-utils (pdftoppm, pdftotext)"
if not TOOLS and os.environ.get("MARAC_TUI_CI"):
    raise RuntimeError(f"{NEEDS}, which CI installs (.ci/run)")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not TOOLS, reason=NEEDS)]


def _to_pdf(docx: Path, out_dir: Path) -> Path:
    profile = out_dir / "lo-profile"  # a private profile: parallel runs do not fight over a lock
    subprocess.run(
        [OFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out_dir / f"{docx.stem}.pdf"


@pytest.mark.parametrize("audience", ["meeting", "internal"])
def test_docx_renders_to_pdf_and_png(tmp_path: Path, audience: str) -> None:
    docx = export_submission(build(), "docx", audience, tmp_path / f"form-{audience}.docx")
    pdf = _to_pdf(docx, tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert text.count("OFFICIAL-SENSITIVE") >= 2  # header and footer of at least one page
    assert "MARAC research on the alleged perpetrator" in text and "Corwin Ashgrove" in text
    assert "Page 1 of" in text
    assert ("SECRET-REASON-3" in text) == (audience == "internal")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
