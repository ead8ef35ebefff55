#!/usr/bin/env python3
"""Ground truth for the TypeScript DBN codec, from Databento's own `databento_dbn` package.

Commands (all print one JSON document on stdout):
  decode PATH [--frag-version N] [--ts-out]
      Decodes PATH (DBN, zstd or not; `-` = stdin) with the official decoder as-is (no
      version upgrade) and prints {"metadata": <official metadata JSON shape> | null,
      "records": [<one object per record, exactly as `dbn --json` writes it>],
      "record_hex": [<each record's bytes as the official decoder returns them>]}.
      Record JSON comes from the official JSON transcoder (pretty_px/pretty_ts off, no
      symbol mapping), i.e. the same code path as the `dbn` CLI's `--json`.
  decode-many
      Reads a JSON list of {"path", "frag_version"?, "ts_out"?} on stdin; prints a list of
      decode results in the same order ({"error": message} for a file the decoder rejects).
  synth OUTDIR
      Writes DBN files made by the official encoder that cover every record type of
      versions 1-3, with and without ts_out, including edge values the fixtures lack.
      Prints {"files": [{"path", "version", "ts_out"}]}.
  layouts
      Prints the official in-memory layout (field, numpy dtype) of every record class per
      version, to check our offset tables against.
  bench PATH [--chunk BYTES] [--runs N]
      Times the official decoder over PATH in chunks, reading price and size of every
      record; prints {"records", "seconds": [...]}.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import time

try:
    import databento_dbn as d
except ImportError as e:  # pragma: no cover - the point is the message
    sys.stderr.write(
        "dbn_oracle: the Python package `databento-dbn` is required (pip install databento-dbn): "
        f"{e}\n"
    )
    sys.exit(3)

AS_IS = d.VersionUpgradePolicy.AS_IS
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _date_int(v) -> int:
    return v.year * 10000 + v.month * 100 + v.day


def metadata_json(m) -> dict:
    """The shape the official Rust JSON encoder gives Metadata (pretty_ts off)."""

    def enum_str(e):
        return None if e is None else str(e.value)

    mappings = []
    raw = m.mappings
    items = raw.items() if isinstance(raw, dict) else [(x.raw_symbol, x.intervals) for x in raw]
    for raw_symbol, intervals in items:
        out = []
        for iv in intervals:
            get = iv.get if isinstance(iv, dict) else (lambda k, iv=iv: getattr(iv, k))
            out.append(
                {
                    "start_date": _date_int(get("start_date")),
                    "end_date": _date_int(get("end_date")),
                    "symbol": get("symbol"),
                }
            )
        mappings.append({"raw_symbol": raw_symbol, "intervals": out})
    return {
        "version": m.version,
        "dataset": m.dataset,
        "schema": enum_str(m.schema),
        "start": str(m.start),
        "end": None if m.end is None else str(m.end),
        "limit": None if m.limit is None else str(m.limit),
        "stype_in": enum_str(m.stype_in),
        "stype_out": enum_str(m.stype_out),
        "ts_out": bool(m.ts_out),
        "symbol_cstr_len": m.symbol_cstr_len,
        "symbols": list(m.symbols),
        "partial": list(m.partial),
        "not_found": list(m.not_found),
        "mappings": mappings,
    }


_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)")


def _unescape(m: re.Match) -> str:
    e = m.group(1)
    if e == "'":
        return "'"
    if e[0] == "x" and len(e) == 3:
        return "\\u00" + e[1:]
    if e.startswith("u{"):
        return "\\u" + e[2:-1].rjust(4, "0")
    return m.group(0)


def _loads_official(line: str):
    """json.loads, tolerating the non-JSON escapes the official writer emits for a c_char.

    The Rust JSON writer escapes a c_char apostrophe as a backslash and a quote, and a byte over
    0x7f as a backslash, `x` and two hex digits (the Latin-1 character of that code): neither is
    valid JSON. Both mean the character itself, which is what we compare with.
    """
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return json.loads(_ESCAPE.sub(_unescape, line))


def decode(path: str, frag_version: int | None, ts_out: bool) -> dict:
    data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    compressed = data[:4] == ZSTD_MAGIC
    has_metadata = frag_version is None
    kwargs = {"upgrade_policy": AS_IS, "has_metadata": has_metadata}
    if not has_metadata:
        kwargs["input_version"] = frag_version
        kwargs["ts_out"] = ts_out
    if compressed:
        kwargs["compression"] = d.Compression.ZSTD
    dec = d.DBNDecoder(**kwargs)
    dec.write(data)
    items = dec.decode()
    metadata = None
    records = []
    for it in items:
        if isinstance(it, d.Metadata):
            metadata = it
        else:
            records.append(it)
    record_bytes = [bytes(r) for r in records]
    # Official JSON for exactly the bytes the official decoder produced.
    raw = (metadata.encode() if metadata is not None else b"") + b"".join(record_bytes)
    out = io.BytesIO()
    tkw = {}
    if not has_metadata:
        tkw = {"has_metadata": False, "input_version": frag_version, "ts_out": ts_out}
    t = d.Transcoder(
        out,
        d.Encoding.JSON,
        d.Compression.NONE,
        pretty_px=False,
        pretty_ts=False,
        map_symbols=False,
        upgrade_policy=AS_IS,
        **tkw,
    )
    t.write(raw)
    t.flush()
    lines = [ln for ln in out.getvalue().decode().split("\n") if ln.strip()]
    return {
        "metadata": metadata_json(metadata) if metadata is not None else None,
        "records": [_loads_official(ln) for ln in lines],
        "record_hex": [b.hex() for b in record_bytes],
    }


# rtypes carried by each official record class (versions 1-3).
RTYPES = {
    "MBOMsg": [0xA0],
    "TradeMsg": [0x00],
    "MBP1Msg": [0x01],
    "MBP10Msg": [0x0A],
    "BBOMsg": [0xC3, 0xC4],
    "CMBP1Msg": [0xB1, 0xC2],
    "CBBOMsg": [0xC0, 0xC1],
    "OHLCVMsg": [0x11, 0x20, 0x21, 0x22, 0x23, 0x24],
    "StatusMsg": [0x12],
    "InstrumentDefMsg": [0x13],
    "ImbalanceMsg": [0x14],
    "ErrorMsg": [0x15],
    "SymbolMappingMsg": [0x16],
    "SystemMsg": [0x17],
    "StatMsg": [0x18],
}
# Fields whose Rust type is an enum in some versions: keep them to valid values (or 0).
ENUM_CHARS = {"security_update_action": b"\x00AMD", "user_defined_instrument": b"\x00YN"}
PRINTABLE = bytes(range(0x20, 0x7F))


def _rand_field(rng, name: str, dtype: str) -> bytes:
    kind, size = dtype[0], int(dtype[1:])
    if name.startswith("_") or name in ("length", "rtype"):
        return bytes(size)
    if kind == "S":
        if size == 1:
            pool = ENUM_CHARS.get(name)
            if pool is not None:
                return bytes([rng.choice(pool)])
            r = rng.random()
            if r < 0.2:
                return b"\x00"
            return bytes([rng.randrange(0x80, 0x100)]) if r < 0.3 else bytes([rng.choice(PRINTABLE)])
        n = rng.choice([0, 1, size - 1, size, rng.randrange(size + 1)])
        text = bytes(rng.choice(PRINTABLE) for _ in range(n))
        r = rng.random()
        if n >= 2 and r < 0.1:
            text = text[: n - 2] + "é".encode()  # valid UTF-8
        elif n >= 1 and r < 0.2:
            text = text[: n - 1] + b"\xff"  # invalid UTF-8: the official JSON shows ""
        return text + bytes(size - n)
    bits = size * 8
    r = rng.random()
    if kind == "u":
        v = rng.choice([0, (1 << bits) - 1, rng.randrange(1 << bits)]) if r < 0.5 else rng.randrange(1 << min(bits, 40))
        return v.to_bytes(size, "little")
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    v = rng.choice([lo, hi, -1, 0, rng.randrange(lo, hi)]) if r < 0.5 else rng.randrange(-(1 << min(bits - 1, 40)), 1 << min(bits - 1, 40))
    return v.to_bytes(size, "little", signed=True)


def synth_record(rng, cls, rtype: int, ts_out: bool) -> bytes:
    body = bytearray()
    for name, dtype in cls._dtypes:
        body += _rand_field(rng, name, dtype)
    assert len(body) == cls.size_hint, (cls, len(body))
    total = len(body) + (8 if ts_out else 0)
    body[0] = total // 4
    body[1] = rtype
    if ts_out:
        body += rng.randrange(1 << 64).to_bytes(8, "little")
    return bytes(body)


def synth(outdir: str, per_type: int = 6, seed: int = 20240611) -> dict:
    """Random-valued records of every official class, packed from the official layouts."""
    import random

    rng = random.Random(seed)
    os.makedirs(outdir, exist_ok=True)
    files = []
    for version in (1, 2, 3):
        mod = getattr(d, f"v{version}")
        for ts_out in (False, True):
            import datetime as dt
            from types import SimpleNamespace as NS

            mappings = [
                NS(raw_symbol="NVDA", intervals=[
                    NS(start_date=dt.date(2023, 11, 14), end_date=dt.date(2023, 11, 15), symbol="11667"),
                    NS(start_date=dt.date(2023, 11, 15), end_date=dt.date(2024, 1, 2), symbol="11668"),
                ]),
                NS(raw_symbol="BRK.B", intervals=[]),
                NS(raw_symbol="A" * (21 if version == 1 else 70), intervals=[
                    NS(start_date=dt.date(1999, 12, 31), end_date=dt.date(2000, 1, 1), symbol="Z" * 10),
                ]),
            ]
            m = d.Metadata("XNAS.ITCH", 1_700_000_000_000_000_000, d.SType.RAW_SYMBOL, d.SType.INSTRUMENT_ID,
                           None, symbols=["NVDA", "AAPL"], partial=["BRK.B"], not_found=["ZZZZ"],
                           mappings=mappings, end=1_700_086_400_000_000_000, limit=1000, ts_out=ts_out,
                           version=version)
            recs = []
            for cls_name, rtypes in RTYPES.items():
                cls = getattr(mod, cls_name)
                for i in range(per_type):
                    recs.append(synth_record(rng, cls, rtypes[i % len(rtypes)], ts_out))
            rng.shuffle(recs)
            name = f"synth.v{version}{'.ts_out' if ts_out else ''}.dbn"
            path = os.path.join(outdir, name)
            with open(path, "wb") as f:
                f.write(m.encode() + b"".join(recs))
            files.append({"path": path, "version": version, "ts_out": ts_out})
    return {"files": files}


def layouts() -> dict:
    out = {}
    for vname in ("v1", "v2", "v3"):
        mod = getattr(d, vname)
        per = {}
        for n in dir(mod):
            c = getattr(mod, n)
            if hasattr(c, "_dtypes") and hasattr(c, "size_hint"):
                per[n] = {"size": c.size_hint, "dtypes": [list(x) for x in c._dtypes]}
        out[vname] = per
    return out


def bench(path: str, chunk: int, runs: int) -> dict:
    data = open(path, "rb").read()
    mv = memoryview(data)
    seconds = []
    count = 0
    for _ in range(runs):
        dec = d.DBNDecoder(upgrade_policy=AS_IS)
        count = 0
        acc = 0
        t0 = time.perf_counter()
        for off in range(0, len(data), chunk):
            dec.write(bytes(mv[off:off + chunk]))
            for r in dec.decode():
                if isinstance(r, d.Metadata):
                    continue
                acc += r.price + r.size
                count += 1
        seconds.append(time.perf_counter() - t0)
    return {"records": count, "seconds": seconds}


def main(argv: list[str]) -> int:
    if not argv:
        sys.stderr.write(__doc__ or "")
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "decode":
        frag = None
        ts_out = False
        path = None
        i = 0
        while i < len(rest):
            if rest[i] == "--frag-version":
                frag = int(rest[i + 1])
                i += 2
            elif rest[i] == "--ts-out":
                ts_out = True
                i += 1
            else:
                path = rest[i]
                i += 1
        if path is None:
            sys.stderr.write("decode: missing PATH\n")
            return 2
        result = decode(path, frag, ts_out)
    elif cmd == "decode-many":
        result = []
        for job in json.load(sys.stdin):
            try:
                result.append(decode(job["path"], job.get("frag_version"), bool(job.get("ts_out"))))
            except d.DBNError as e:
                result.append({"error": str(e)})
    elif cmd == "synth":
        result = synth(rest[0])
    elif cmd == "layouts":
        result = layouts()
    elif cmd == "bench":
        chunk, runs = 65536, 3
        if "--chunk" in rest:
            chunk = int(rest[rest.index("--chunk") + 1])
        if "--runs" in rest:
            runs = int(rest[rest.index("--runs") + 1])
        result = bench(rest[0], chunk, runs)
    else:
        sys.stderr.write(f"unknown command {cmd}\n")
        return 2
    sys.stdout.write(json.dumps(result))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except d.DBNError as e:
        sys.stderr.write(f"dbn_oracle: DBNError: {e}\n")
        sys.exit(4)
