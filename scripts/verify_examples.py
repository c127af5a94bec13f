"""Make the six verification cases of docs/generation.md and print what ``python -m generation verify`` says.

    .venv/bin/python scripts/verify_examples.py [--out /tmp/endroll-verify-examples]

In a throwaway folder: a database with 山田 花子 (person #1) and 佐藤 一郎 (person #2), development keys (the CA in
its own folder), a credential for each, and one bundled-model image by 山田 花子 for cut 012. Then: the image as is;
one IDAT byte flipped; a plain image never generated here; the image re-signed by another CA under the same studio
name (with a credential for "山田 花子" from that CA); re-signed with the studio's real key but 佐藤 一郎's real
credential; and its pixels alone. Each is verified by the command line, as a user would run it.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="/tmp/endroll-verify-examples")
    args = parser.parse_args()

    from PIL import Image
    from sqlalchemy.orm import Session

    from data.engine import make_engine
    from data.schema import Cut, Episode, Person, Production
    from generation import GenerationRequest, create_dev_keys, generate, issue_credential
    from generation.keys import SigningKey, load_credential
    from tests.generation.fixtures import resign, stripped

    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    url = f"sqlite:///{out}/db.sqlite3"
    engine = make_engine(url)
    keys = create_dev_keys(out / "keys", ca=out / "ca")
    with Session(engine) as s:
        production = Production(title="犬と少年", title_romaji="Inu to Shonen", kind="tv")
        cut = Cut(episode=Episode(production=production, label="1", number=1), cut_number="012")
        s.add_all([Person(display_name="山田 花子"), Person(display_name="佐藤 一郎"), production, cut])
        s.commit()
    issue_credential(person_id=1, name="山田 花子", keys=keys, ca=out / "ca")
    issue_credential(person_id=2, name="佐藤 一郎", keys=keys, ca=out / "ca")
    request = GenerationRequest(operator="山田 花子", scene="night_city", seed=7, production="犬と少年", cut="012")
    with Session(engine, expire_on_commit=False) as s:
        image = Path(generate(s, request=request, assets=out / "assets", keys=keys).images[0].path)
    data = image.read_bytes()

    shutil.copy(image, out / "trusted.png")
    altered = bytearray(data)
    altered[altered.find(b"IDAT") + 12] ^= 1
    (out / "altered.png").write_bytes(bytes(altered))
    plain = io.BytesIO()
    Image.new("RGB", (256, 256), (40, 90, 160)).save(plain, "PNG")
    (out / "unmarked.png").write_bytes(plain.getvalue())
    rogue = create_dev_keys(out / "rogue-keys", ca=out / "rogue-ca")
    impostor = issue_credential(person_id=1, name="山田 花子", keys=rogue, ca=out / "rogue-ca")
    (out / "forged.png").write_bytes(resign(data, key=SigningKey.load(rogue), credential=impostor))
    (out / "swapped.png").write_bytes(resign(data, key=SigningKey.load(keys), credential=load_credential(2, keys)))
    (out / "screenshot.png").write_bytes(stripped(data))

    for name in ("trusted", "altered", "unmarked", "forged", "swapped", "screenshot"):
        command = [sys.executable, "-m", "generation", "verify", f"{name}.png", "--keys", "keys", "--database-url",
                   "sqlite:///db.sqlite3"]  # fmt: skip
        done = subprocess.run(command, cwd=out, capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
        print(f"$ .venv/bin/python -m generation verify {name}.png --keys keys --database-url sqlite:///db.sqlite3"
              f"   # exit {done.returncode}")  # fmt: skip
        print(done.stdout.rstrip() or done.stderr.rstrip())
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
