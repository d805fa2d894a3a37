"""A readable plain-text summary of an Article's facts (the default `extract` output)."""
from __future__ import annotations

from .model import Article


def _table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    if not rows:
        return f"{title}: none\n"
    widths = [min(60, max(len(str(r[i])) for r in rows + [header])) for i in range(len(header))]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    cut = lambda s, w: s if len(s) <= w else s[: w - 1] + "…"  # noqa: E731 - display only
    lines = [f"{title} ({len(rows)})", fmt.format(*header), fmt.format(*("-" * w for w in widths))]
    lines += [fmt.format(*(cut(" ".join(str(c).split()), w) for c, w in zip(r, widths))) for r in rows]
    return "\n".join(lines) + "\n"


def summary(article: Article) -> str:
    """Tables of entities, quotes, amounts, times, events and relations."""
    name = lambda ref: (article.entity(ref).name if article.entity(ref) else ref or "?")  # noqa: E731
    refs = {f.id: f.text for f in article.amounts + article.times}
    refs.update({e.id: e.name for e in article.entities})
    head = [f"article {article.id[:16]}  published {article.published or '-'}  "
            f"dateline {article.dateline or '-'}  {len(article.text):,} chars"]
    if article.title:
        head.insert(0, article.title)
    parts = ["\n".join(head) + "\n"]
    parts.append(_table("entities", ("id", "type", "name", "mentions", "aliases"),
                        [(e.id, e.type, e.name, str(len(e.mentions)), ", ".join(e.aliases)) for e in article.entities]))
    parts.append(_table("quotes", ("id", "kind", "speaker", "cue", "text"),
                        [(q.id, q.kind, name(q.speaker) if q.speaker else (q.speaker_mention.text if q.speaker_mention else "?"),
                          q.cue or "", q.text) for q in article.quotes]))
    parts.append(_table("amounts", ("id", "text", "value", "unit", "approx"),
                        [(a.id, a.text, "null" if a.value is None else f"{a.value:,.2f}".rstrip("0").rstrip("."),
                          a.unit, (a.qualifier or "yes") if a.approximate else "") for a in article.amounts]))
    parts.append(_table("times", ("id", "text", "type", "value"),
                        [(t.id, t.text, t.type, t.value or "") for t in article.times]))
    parts.append(_table("events", ("id", "type", "status", "roles"),
                        [(v.id, v.type, v.status or "", "; ".join(f"{r.role}={refs.get(r.ref, r.ref)}" for r in v.roles))
                         for v in article.events]))
    parts.append(_table("relations", ("id", "type", "subject", "object", "value"),
                        [(r.id, r.type, name(r.subject), name(r.object) if r.object else "", r.value or "")
                         for r in article.relations]))
    return "\n".join(parts)
