import CutoverSupport
import LegacySync

/// Reads every queue row once and classifies it (LEGACY.md §4 defects):
/// * fresh vs stranded: a pending row created after the last successful run is fresh; one created
///   at or before it is stranded — the nightly run only fetches rows created after `since`;
/// * orphan delete: an unsynced delete for an SSN whose queue history has a create that never
///   synced and no synced row at all — a member created and deleted before any run reached it;
/// * all-dropped update: an update none of whose fields Path A mapped.
public struct QueueStatusCollector {
    public struct Options: Sendable {
        public var lastRun: Timestamp?
        public var lastRunOrigin = "none"
        public var asOf: Timestamp
        /// How many invalid rows to list (all are counted).
        public var problemListLimit = 200

        public init(asOf: Timestamp) { self.asOf = asOf }
    }

    public let options: Options

    public init(options: Options) { self.options = options }

    private struct SSNHistory {
        var hasSynced = false
        var hasUnsyncedCreate = false
    }

    public func collect(from source: any QueueSource) throws -> QueueStatus {
        try source.consistently {
            let description = try source.describeQueue()
            let decoder = try QueueRowDecoder(description)
            var total = 0
            var byStatusAction: [String: [String: Int]] = [:]
            var oldest: (Int64, Timestamp)?
            var fresh = 0, stranded = 0, unclassified = 0
            var failedByRetry: [Int: Int] = [:]
            var histories: [String: SSNHistory] = [:]
            var unsyncedDeletes: [QueueStatus.OrphanDelete] = []
            var dropped: [String: Int] = [:]
            var placeholders = 0, hyphenated = 0
            var checkDigit: [Int64] = []
            var problems: [RowProblem] = []
            var problemCount = 0

            try source.scanQueue(description) { raw in
                total += 1
                let row: QueueRow
                switch decoder.decode(raw) {
                case .failure(let problem):
                    problemCount += 1
                    if problems.count < options.problemListLimit { problems.append(problem) }
                    return
                case .success(let decoded): row = decoded
                }
                byStatusAction[row.status.rawValue, default: [:]][row.action.rawValue, default: 0] += 1
                let ssn = row.normalisedSSN
                let isSynced = row.status == .synced
                if isSynced { histories[ssn, default: SSNHistory()].hasSynced = true }
                if !isSynced && row.action == .create { histories[ssn, default: SSNHistory()].hasUnsyncedCreate = true }
                if !isSynced && row.action == .delete {
                    unsyncedDeletes.append(.init(rowID: row.id, ssn: ssn, createdAt: row.createdAt))
                }
                if row.status == .pending {
                    if oldest == nil || row.createdAt < oldest!.1 { oldest = (row.id, row.createdAt) }
                    if let lastRun = options.lastRun {
                        if row.createdAt > lastRun { fresh += 1 } else { stranded += 1 }
                    } else {
                        unclassified += 1
                    }
                }
                if row.status == .failed { failedByRetry[row.retryCount, default: 0] += 1 }
                if row.action == .update && PathAUpdateMapping.dropsEverything(row.fieldsChanged) {
                    dropped[row.status.rawValue, default: 0] += 1
                }
                if Kennitala.isPlaceholder(ssn) {
                    placeholders += 1
                } else if !Kennitala.hasValidCheckDigit(ssn) {
                    checkDigit.append(row.id)
                }
                if row.ssn.contains("-") { hyphenated += 1 }
            }
            let orphans = unsyncedDeletes.filter { delete in
                let history = histories[delete.ssn] ?? SSNHistory()
                return !history.hasSynced && history.hasUnsyncedCreate
            }
            return QueueStatus(
                source: source.label, engineVersion: source.engineVersion, table: description.name, asOf: options.asOf,
                lastRun: options.lastRun, lastRunOrigin: options.lastRunOrigin, totalRows: total,
                byStatusAction: byStatusAction, oldestPending: oldest.map { (id: $0.0, createdAt: $0.1) },
                pendingFresh: fresh, pendingStranded: stranded, pendingUnclassified: unclassified,
                failedByRetryCount: failedByRetry, orphanDeletes: orphans, allDroppedUpdates: dropped,
                placeholderRows: placeholders, hyphenatedSSNRows: hyphenated, checkDigitWarnings: checkDigit,
                invalidRows: problems, invalidRowCount: problemCount, extraColumns: description.extraColumns)
        }
    }
}
