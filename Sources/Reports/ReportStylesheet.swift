/// The one stylesheet every report page carries inline (pages stand alone: no external files).
/// Badge and chart colours come from a tone (`pass`, `accepted`, `fail`, `neutral`), so a verdict
/// looks the same in every report.
enum ReportStylesheet {
    static let css = """
        body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
        h1{font-size:26px}h2{font-size:20px;margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:4px}
        table{border-collapse:collapse;margin:1em 0}
        td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:14px}
        th{background:#f4f4f4}td.num,th.num{text-align:right}td.num{font-variant-numeric:tabular-nums}
        table.facts th{width:14em}
        code{font-size:13px;background:#f4f4f4;padding:0 3px;border-radius:3px}
        ul ul{margin:2px 0 6px;color:#555;font-size:14px}
        .badge{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-size:18px;vertical-align:middle}
        .badge.pass{background:#2a7d2a}.badge.accepted{background:#b07d00}.badge.fail{background:#b02a2a}
        .badge.neutral{background:#666}
        .alert{color:#b02a2a}.foot{color:#555;margin-top:2em}
        svg text{font-size:12px;font-family:system-ui,sans-serif}
        rect.pass{fill:#2a9d2a}rect.accepted{fill:#e0a800}rect.fail{fill:#c0392b}rect.neutral{fill:#888}
        code,td.num{white-space:nowrap}
        pre{background:#f4f4f4;padding:8px 12px;overflow-x:auto}pre code{padding:0;white-space:pre}
        table.sortable th{cursor:pointer;white-space:nowrap}
        table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
        table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
        div.wide{overflow-x:auto}
        input.filter{font:inherit;padding:3px 6px;width:20em}p.rows{color:#555;font-size:14px;margin-bottom:0}

        """
}
