import CutoverSupport

/// What `cutover snapshot` prints when it is done.
extension SnapshotWriter.Result {
    public var json: JSONValue {
        var value = manifest.json.objectValue ?? [:]
        value["path"] = .string(path)
        value["invalid_rows_kept"] = .integer(Int64(problemCount))
        value["seconds"] = .double((seconds * 1000).rounded() / 1000)
        if let archive {
            value["archive"] = ["path": .string(archive.path), "sha256": .string(archive.sha256)]
        }
        return .object(value)
    }

    public var text: String {
        var lines = ["Snapshot \(manifest.snapshotID) written to \(path) in \(String(format: "%.2f", seconds)) s"]
        lines.append(
            "  source   \(manifest.values["source_target"] ?? "") (\(manifest.values["source_version"] ?? ""))")
        lines.append("  table    \(manifest.values["queue_table"] ?? "")")
        for table in manifest.tables {
            lines.append(
                "  \(table.name.padding(toLength: 17)) \(String(table.rowCount).leftPadding(toLength: 9)) rows  sha256 "
                    + "\(table.sha256)"
            )
        }
        if let archive { lines.append("  archive  \(archive.path)  sha256 \(archive.sha256)") }
        if problemCount > 0 { lines.append("  kept \(problemCount) invalid rows verbatim (see snapshot_problems)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
