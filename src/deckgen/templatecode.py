"""The templates' compiled code, kept in build/ so that a rebuild does not compile them again.

Jinja turns each template into Python code before running it, and compiling is most of what a template
costs a build: fields/sources.html alone takes about 12 ms, the largest part of the real deck's one-card
rebuild once Python has started. Jinja's own place for keeping that code between processes is its
`bytecode_cache`; `CompiledTemplates` is one kept in build/.

build/ can come from anywhere (a CI cache, a shared folder, an archive), and code read from there is run.
So an entry is used only when its MAC, made with this user's key (userkey.py), checks out over all that
shaped the code: the template's name and file, a digest of its text, whether the environment escapes what
it prints, and deckgen's installation (its own code and default templates, the installed packages and the
Python: fastpath.installation). Anything else — no key, an entry that is not a regular file, a MAC that
fails, another template text — means the template is compiled, as it would be with no entry at all; what
the code then renders is checked as always (trust.py), since it is the code Jinja compiles.
"""

from __future__ import annotations

import json
from hashlib import blake2b
from hmac import compare_digest
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from . import fastpath, userkey
from .newfile import open_new, open_regular, unlink_quietly

ENTRY_PREFIX = ".deckgen-template-"  # in build/, one file per template and environment
MAC_BYTES = 32
MAX_ENTRY_BYTES = 4 << 20  # a template's code is a few KB: no more of an entry is read


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in `build_dir`, authenticated with `key`, for an environment that escapes or not."""

    def __init__(self, build_dir: Path, key: bytes, *, autoescape: bool):
        self.build_dir = build_dir
        self.key = key
        self.escaping = f"autoescape={autoescape}\0"
        self.shaped_by = f"{fastpath.installation()}\0{self.escaping}"

    @classmethod
    def for_build(cls, root: Path, *, autoescape: bool) -> CompiledTemplates | None:
        """The entries of `root`'s build/, or None when this user has no key (then every template is compiled)."""
        key = userkey.build_key(root)
        return None if key is None else cls(root / "build", key, autoescape=autoescape)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The template's name, then its name and file, each as a digest: the first names the entry's file, and
        the whole is in the identity the entry's MAC covers. The file matters to the code, which names it
        (error locations and the time limit read it); but a project moved elsewhere, all its files' paths
        changed, then writes its entries over its old ones, not beside them for good. Jinja's own key (SHA-1 of
        the two, as strict UTF-8) failed on a path with bytes that are not UTF-8 (a project unpacked from an
        archive made elsewhere, os.fsdecode's surrogates): every build, not `check` nor --fresh, failed there."""
        slot = blake2b(json.dumps(name).encode("ascii"), digest_size=16).hexdigest()
        return f"{slot}-{blake2b(json.dumps([name, filename]).encode('ascii'), digest_size=32).hexdigest()}"

    def get_source_checksum(self, source: str) -> str:
        """The digest of a template's text that the entry's code must have been compiled from (Jinja's is SHA-1)."""
        return blake2b(source.encode("utf-8", "surrogateescape"), digest_size=32).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        path, identity = self._entry(bucket)
        try:
            with open_regular(path) as stored:  # a FIFO or folder planted there is not waited on or read
                data = stored.read(MAX_ENTRY_BYTES)  # a bigger one is cut, and fails its MAC
        except OSError:
            return
        recorded, code = data[:MAC_BYTES], data[MAC_BYTES:]
        if compare_digest(recorded, self._mac(identity, code)):
            bucket.bytecode_from_string(code)  # Jinja then checks the Python version and the text's digest

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Written in place, not renamed into place: an entry cut short (a build killed while writing it, or
        one read while another build writes it) fails its MAC, and the template is compiled."""
        path, identity = self._entry(bucket)
        code = bucket.bytecode_to_string()
        try:
            self.build_dir.mkdir(exist_ok=True)  # a first build compiles its templates before it makes build/
            unlink_quietly(path)
            with open_new(path) as written:
                written.write(self._mac(identity, code) + code)
        except OSError:  # build/ not writable, or a name in the way: the template is compiled next time too
            pass

    def _entry(self, bucket: Bucket) -> tuple[Path, bytes]:
        """The entry's file and its identity (what its MAC covers). The file is named by the template's name and
        the escaping alone: one named with the installation was never written again once deckgen, a package or
        Python changed, and each installation added a file per template to build/ for good (each edit of
        deckgen's own code, too); one named with the template's path, likewise at each move of the project."""
        identity = f"{self.shaped_by}{bucket.key}".encode("utf-8", "surrogateescape")
        slot = bucket.key.partition("-")[0]
        name = blake2b(f"{self.escaping}{slot}".encode("ascii"), digest_size=16).hexdigest()
        return self.build_dir / f"{ENTRY_PREFIX}{name}", identity

    def _mac(self, identity: bytes, code: bytes) -> bytes:
        digest = userkey.mac(self.key)
        digest.update(b"deckgen template code\0")  # no MAC of the memo, stamp or state (same key) is one of these
        digest.update(len(identity).to_bytes(8, "big"))
        digest.update(identity)
        digest.update(code)
        return digest.digest()
