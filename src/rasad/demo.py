"""`rasad demo`: load the bundled demo corpus (data/demo) into the configured store."""

from __future__ import annotations

from pathlib import Path

from rasad.errors import BadInput
from rasad.pipeline.ingest import IngestReport
from rasad.store.queries import import_sources

DEMO_FOLDERS = ("demo", "demo-extra")


def demo_dirs(given: Path | None = None) -> list[Path]:
    """The demo corpus folders: each holds a sources.yaml and the documents."""
    if given:
        if not (given / "sources.yaml").is_file():
            raise BadInput(f"{given}: no sources.yaml, not a demo corpus folder")
        return [given]
    for data in (Path(__file__).resolve().parents[2] / "data", Path.cwd() / "data"):
        found = [data / name for name in DEMO_FOLDERS if (data / name / "sources.yaml").is_file()]
        if found:
            return found
    raise BadInput("demo corpus not found (expected data/demo*/sources.yaml in the repository)")


def load_demo(ctx, data: Path | None = None) -> IngestReport:
    report = IngestReport()
    for root in demo_dirs(data):
        part = _load_folder(ctx, root)
        report.items.extend(part.items)
        report.job_id = part.job_id
    return report


def _load_folder(ctx, root: Path) -> IngestReport:
    """Sources from sources.yaml; html/<source>/ and feeds/<source>.xml belong to that
    source; JSON and JSON Lines files anywhere else name their source per record.
    Re-running adds nothing new."""
    with ctx.db.session() as session:
        import_sources(session, root / "sources.yaml")
    ingester = ctx.ingester()
    report = IngestReport()
    try:
        batches: list[tuple[list[str], str | None]] = []
        html_root = root / "html"
        if html_root.is_dir():
            batches += [([str(d)], d.name) for d in sorted(html_root.iterdir()) if d.is_dir()]
        feeds_root = root / "feeds"
        if feeds_root.is_dir():
            batches += [([str(f)], f.stem) for f in sorted(feeds_root.glob("*.xml"))]
        records = [f for f in sorted(root.rglob("*.json*")) if f.suffix in (".json", ".jsonl")
                   and html_root not in f.parents and feeds_root not in f.parents]
        if records:  # JSON records name their own source
            batches.append(([str(f) for f in records], None))
        for targets, source in batches:
            part = ingester.run(targets, source=source)
            report.items.extend(part.items)
            report.job_id = part.job_id
    finally:
        ingester.close()
    return report
