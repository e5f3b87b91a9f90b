import CutoverSupport
import Foundation
import LegacySync

/// The checks a snapshot makes before and while it reads, shared with `snapshot --dry-run` so the
/// dry run refuses exactly what the snapshot would refuse, and says what it would record.
extension SnapshotWriter {
    /// What a dry run found: the queue table, the register's absent parts, rows breaking the contract.
    public struct Check: Sendable {
        public let description: QueueTableDescription
        /// nil with `--no-register`.
        public let register: RegisterSchema?
        public let problemCount: Int
    }

    /// Every check `run` makes, reading the queue rows but writing nothing.
    public func check(_ database: any LegacyDatabase) throws -> Check {
        try checkOutput(creating: false)
        // What the snapshot would refuse about --archive, the dry run refuses too.
        if let archivePath = options.archivePath { try ArchiveWriter.checkOutput(archivePath, force: options.force) }
        return try database.withConsistentRead { _ in
            let description = try database.describeQueueTable(options.table)
            let decoder = try QueueRowDecoder(description)
            let register =
                options.includeRegister ? try Self.checkRegister(in: database, schema: options.table.schema) : nil
            var problems: [RowProblem] = []
            var count = 0
            try database.scanQueueRows(description) { row in
                guard let problem = decoder.problem(in: row) else { return }
                count += 1
                if problems.count < 20 { problems.append(problem) }
            }
            if count > 0 && !options.allowInvalid { throw Self.refusal(problems, count: count) }
            return Check(description: description, register: register, problemCount: count)
        }
    }

    /// An existing output is refused without `--force`; its directory must be there or creatable
    /// (a dry run asks whether its nearest existing parent is writable, and creates nothing).
    func checkOutput(creating: Bool = true) throws {
        let output = options.outputPath
        let files = FileManager.default
        if files.fileExists(atPath: output) && !options.force {
            throw CutoverError(
                .output, "\(output) already exists", nextStep: "choose another --out, or add --force to replace it")
        }
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty && !files.fileExists(atPath: directory) && !creating {
            var parent = directory
            while !parent.isEmpty && parent != "/" && !files.fileExists(atPath: parent) {
                parent = (parent as NSString).deletingLastPathComponent
            }
            guard files.isWritableFile(atPath: parent.isEmpty ? "." : parent) else {
                throw CutoverError(
                    .output, "cannot create directory \(directory): \(parent.isEmpty ? "." : parent) is not writable")
            }
        } else if !directory.isEmpty && !files.fileExists(atPath: directory) {
            do { try files.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw CutoverError(.output, "cannot create directory \(directory): \(error.localizedDescription)")
            }
        }
    }

    /// Only `membership_comrade` must be there: any other absent register table is recorded (and
    /// warned about), and the parts it feeds are serialised as empty.
    static func checkRegister(in database: any LegacyDatabase, schema: String) throws -> RegisterSchema {
        let register = try RegisterSchema.inspect(database, schema: schema)
        register.warnOnce()
        return register
    }

    /// The manifest's record of the register: an absent table is recorded as absent — not as an
    /// empty table — with the cause of every part it leaves unread, which the parity report quotes.
    static func manifestValues(_ register: RegisterSchema) -> [String: String] {
        [
            "register_absent_tables": register.absentTables.joined(separator: ","),
            "register_missing_columns": register.missingColumns.joined(separator: ","),
            "register_absent_parts": register.absences.map { "\($0.part.rawValue)=\($0.cause)" }.joined(
                separator: "\n"),
        ]
    }

    static func refusal(_ problems: [RowProblem], count: Int) -> CutoverError {
        let listed = problems.prefix(20).map { "  \($0)" }.joined(separator: "\n")
        return CutoverError(
            .invalidData,
            "\(count) queue rows break the table's contract; no snapshot was written:\n\(listed)"
                + (count > 20 ? "\n  … and \(count - 20) more" : ""),
            nextStep:
                "fix those rows, or keep them verbatim with --allow-invalid (listed in the snapshot's "
                + "snapshot_problems)"
        )
    }
}

extension SnapshotWriter.Check {
    /// " and the member register", with what it lacks: the dry run's words for the register part.
    public var registerText: String {
        guard let register else { return "" }
        let absent = register.absentTables + register.missingColumns
        let kept = problemCount > 0 ? " (\(problemCount) invalid queue rows would be kept verbatim)" : ""
        return " and the member register" + (absent.isEmpty ? "" : " (absent: \(absent.joined(separator: ", ")))")
            + kept
    }
}
