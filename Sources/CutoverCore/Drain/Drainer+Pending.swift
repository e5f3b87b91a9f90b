import CutoverSupport
import LegacySync

/// The drain's work, read once and handed out a batch at a time: the unresolved rows at or below the
/// mark go from the one consistent read to a spool on disk in member order, and each batch reads its
/// members' register rows when it comes up. Memory holds one batch, not the queue and the register.
extension Drainer {
    /// Reads the unresolved rows at or below the mark into a spool, in the read's member order. Rows an
    /// interrupted run resolved (`known`) are left out; malformed rows are settled as invalid on the spot
    /// (journal and report, a thousand at a time), as the whole read once did in one go.
    func spoolUnresolved(
        _ queue: QueueTableWriter, drain: DrainJournal.Drain, known: Set<Int64>, journal: DrainJournal?,
        report: inout DrainReport
    ) throws -> UnresolvedRowSpool {
        let pending = try UnresolvedRowSpool(
            directory: configuration.scratchDirectory, columns: queue.description.columns.count,
            pageRows: configuration.spoolPageRows)
        // A dry run's drill-down spools only the members it plans, and lists only the rows in its scope.
        let scoped = configuration.scope.isRestricted ? try drillDown(queue, drain: drain) : nil
        report.rowsInScope = scoped?.rows
        var invalid: [DrainRowResult] = []
        func settleInvalid() throws {
            try journal?.recordOutcomes(invalid, settling: [], drain: drain)
            try report.add(invalid)
            invalid.removeAll(keepingCapacity: true)
        }
        try pending.filling {
            try queue.unresolvedRows(upTo: drain.mark, includeFailed: configuration.includeFailed) {
                decoded, kennitala, values in
                switch decoded {
                case .failure(let problem):
                    guard let id = problem.rowID, !known.contains(id), scoped?.rows.contains(id) ?? true else {
                        return
                    }
                    invalid.append(
                        DrainRowResult(
                            rowID: id, kennitala: kennitala, action: nil, outcome: .invalid,
                            detail: "\(problem.column) \(problem.problem)"))
                case .success(let row):
                    guard !known.contains(row.id) else { return }
                    if !Kennitala.isWellFormed(row.ssn) {
                        invalid.append(
                            DrainRowResult(
                                rowID: row.id, kennitala: kennitala, action: row.action, outcome: .invalid,
                                detail: "ssn is not ten digits"))
                    } else if scoped?.members.contains(kennitala) ?? true {
                        try pending.append(values, member: kennitala)
                    }
                }
                if invalid.count >= 1_000 { try settleInvalid() }
            }
        }
        try settleInvalid()
        return pending
    }

    /// A dry run's drill-down, read in a pass of its own before the spool fills: the members with an
    /// unresolved row in the scope (each planned with all its rows, as a real drain would plan it) and the
    /// rows the plan lists.
    func drillDown(
        _ queue: QueueTableWriter, drain: DrainJournal.Drain
    ) throws -> (members: Set<String>, rows: Set<Int64>) {
        let scope = configuration.scope
        var members = Set<String>()
        var rows = Set<Int64>()
        try queue.unresolvedRows(upTo: drain.mark, includeFailed: configuration.includeFailed) {
            decoded, kennitala, _ in
            guard scope.admits(kennitala) else { return }
            switch decoded {
            case .failure(let problem):
                // A malformed row has no time to place in a window: it is listed only for chosen members.
                if !scope.hasWindow, let id = problem.rowID { rows.insert(id) }
            case .success(let row):
                if scope.contains(row) {
                    members.insert(kennitala)
                    rows.insert(row.id)
                }
            }
        }
        return (members, rows)
    }

    /// The next batch of members from the spool, each member's rows oldest first by the instant each row
    /// denotes: the SQL orders SQLite's text, where a value with an offset or without a zone sorts apart
    /// from its instant, and the newest row decides the write.
    func nextBatch(
        from pending: UnresolvedRowSpool, queue: QueueTableWriter
    ) throws -> [(kennitala: String, rows: [QueueRow])] {
        // Only Path A's pull reads what a row changed; the webhook path writes the register's data.
        let parsingFieldsChanged = configuration.via == .queue
        return try pending.next(configuration.batchSize).map { member in
            let rows = try member.rows.map { values in
                switch queue.decode(values, parsingFieldsChanged: parsingFieldsChanged) {
                case .success(let row): return row
                case .failure(let problem):
                    // Decoded once already, from the same text: only a damaged spool gets here.
                    throw CutoverError(
                        .internalFailure,
                        "the drain's queue spool no longer reads back: \(problem.column) \(problem.problem)")
                }
            }
            return (member.kennitala, rows.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) })
        }
    }

    /// One batch's members from the register, read when the batch comes up (not the whole drain's at the
    /// start: at 100,000 members those were some 50 MB).
    func register(for batch: [(kennitala: String, rows: [QueueRow])]) throws -> RegisterLookup {
        try register(of: batch.map(\.kennitala))
    }

    /// These members from the register, as `register(for:)` reads a batch's.
    func register(of kennitalas: [String]) throws -> RegisterLookup {
        try RegisterStage(
            database: database, schema: configuration.table.schema, kennitalas: Set(kennitalas),
            withPathA: configuration.via == .queue
        ).lookup(kennitalas)
    }
}
