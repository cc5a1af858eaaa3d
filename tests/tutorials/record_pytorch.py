"""Record PyTorch's output of the tutorial scripts (expected/<script>.txt, read by
test_tutorials.py): ``python tests/tutorials/record_pytorch.py [stem ...]`` (all scripts when no
stem is named; ``--stale`` for those whose recording is missing or out of date)."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_tutorials import EXPECTED, SCRIPTS, _recording, _run, recording_key  # noqa: E402


def record(script: Path) -> str:
    output = _run([script.name], script.parent)
    assert output.strip(), f"{script.stem} printed nothing"
    EXPECTED.mkdir(exist_ok=True)
    tmp = EXPECTED / f".{script.stem}.tmp"
    tmp.write_text(f"# {recording_key(script)}\n{output}")
    tmp.replace(EXPECTED / f"{script.stem}.txt")
    return script.stem


def main(argv: list[str]) -> None:
    names = [a for a in argv if not a.startswith("--")]
    scripts = [s for s in SCRIPTS if not names or s.stem in names]
    if "--stale" in argv:
        scripts = [s for s in scripts if (_recording(s) or ("",))[0] != recording_key(s)]
    with ThreadPoolExecutor(2) as pool:
        for stem in pool.map(record, scripts):
            print("recorded", stem, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
