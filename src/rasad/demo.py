"""`rasad demo`: load the bundled demo corpus (data/demo) into the configured store."""

from __future__ import annotations

from pathlib import Path

from rasad.errors import BadInput
from rasad.pipeline.ingest import IngestReport
from rasad.store.queries import import_sources


def demo_dir(given: Path | None = None) -> Path:
    candidates = [given] if given else [Path(__file__).resolve().parents[2] / "data" / "demo",
                                        Path.cwd() / "data" / "demo"]
    for path in candidates:
        if path and (path / "sources.yaml").is_file():
            return path
    raise BadInput("demo corpus not found (expected data/demo/sources.yaml in the repository)")


def load_demo(ctx, data: Path | None = None) -> IngestReport:
    """Sources from sources.yaml; html/<source>/ and feeds/<source>.xml belong to that
    source; posts.jsonl names its source per record. Re-running adds nothing new."""
    root = demo_dir(data)
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
        batches += [([str(f)], None) for f in sorted(root.glob("*.jsonl"))]
        for targets, source in batches:
            part = ingester.run(targets, source=source)
            report.items.extend(part.items)
            report.job_id = part.job_id
    finally:
        ingester.close()
    return report
