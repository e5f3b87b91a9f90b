import CutoverSupport
import LegacySync

/// Writes the queue's history: a month of nightly runs with every quirk of LEGACY.md §4 —
/// synced rows, fresh pending rows, stranded pending rows, failed rows with retries and error
/// texts, orphan deletes (one for SSN 0103097930), updates of fields Path A dropped, enum values
/// out of range, 9999 placeholders — and, for the hand-written table variant, hyphenated SSNs.
public struct DemoQueueGenerator {
    public let members: DemoMemberFactory
    public let rowCount: Int
    public let hyphenateSome: Bool

    /// The famous orphan: created and deleted before any sync; fails the kennitala checksum.
    public static let knownOrphanSSN = "0103097930"

    /// Django field names Path A maps, and ones it silently drops (LEGACY.md §4).
    static let droppedFields = ["reachable", "groupable", "date_joined", "foreign_phone", "facebook"]

    public init(members: DemoMemberFactory, rowCount: Int, hyphenateSome: Bool) {
        self.members = members
        self.rowCount = rowCount
        self.hyphenateSome = hyphenateSome
    }

    /// The most deleted members a run of `rowCount` rows can use.
    public static func deletedMemberCapacity(rowCount: Int) -> Int { rowCount / 10 + 16 }

    private struct Special {
        let time: Timestamp
        let ssn: String
        let action: QueueRow.Action
        let status: QueueRow.Status
        let error: String
        let retries: Int
        let isOrphanDelete: Bool
    }

    private var specials: [Special] {
        func at(_ text: String) -> Timestamp { Timestamp(parsing: text)! }
        let second = members.orphanSSN(0)
        let third = members.orphanSSN(1)
        return [
            Special(
                time: at("2025-11-05T17:45:06Z"), ssn: Self.knownOrphanSSN, action: .create, status: .pending,
                error: "", retries: 0, isOrphanDelete: false),
            Special(
                time: at("2025-11-05T17:46:40Z"), ssn: Self.knownOrphanSSN, action: .delete, status: .pending,
                error: "", retries: 0, isOrphanDelete: true),
            Special(
                time: at("2025-11-12T10:02:11Z"), ssn: second, action: .create, status: .pending, error: "",
                retries: 0, isOrphanDelete: false),
            Special(
                time: at("2025-11-12T10:02:58Z"), ssn: second, action: .delete, status: .pending, error: "",
                retries: 0, isOrphanDelete: true),
            Special(
                time: at("2025-11-19T21:15:00Z"), ssn: third, action: .create, status: .failed,
                error: "Member not found: \(third)", retries: 1, isOrphanDelete: false),
            Special(
                time: at("2025-11-19T21:15:31Z"), ssn: third, action: .delete, status: .pending, error: "",
                retries: 0, isOrphanDelete: true),
        ]
    }

    /// Emits every row in id (= time) order and returns the tally of what was planted.
    public func generate(_ emit: (DemoQueueRow) throws -> Void) rethrows -> DemoTally {
        var tally = DemoTally()
        var random = DemoRandom(seed: members.seed, stream: 2)
        var nextID: Int64 = 1
        var deletedUsed = 0
        let specialRows = specials
        let freshRows = max(6, rowCount * 4 / 100)
        let failedCreates = min(
            members.memberCount / DemoMemberFactory.badGenderEvery, max(0, rowCount - freshRows - specialRows.count))
        let historyRows = max(0, rowCount - freshRows - specialRows.count - failedCreates)
        var pendingSpecials = specialRows[...]

        func write(_ row: DemoQueueRow, fresh: Bool, allDropped: Bool = false, orphan: Bool = false) throws {
            try emit(row)
            tally.count(row, fresh: fresh)
            if allDropped { tally.allDroppedUpdates += 1 }
            if orphan { tally.orphanDeletes += 1 }
            if !Kennitala.isPlaceholder(row.ssn) && !Kennitala.hasValidCheckDigit(row.ssn) {
                tally.invalidCheckDigitRows += 1
            }
            nextID += 1
        }

        func ssnText(_ ssn: String) -> String {
            hyphenateSome && random.chance(0.05) ? Kennitala.hyphenated(ssn) : ssn
        }

        // History: before the last successful run. Rows are spread evenly over the window.
        let historySpan = DemoTimeline.lastSuccessfulRunStarted.microseconds - DemoTimeline.historyStart.microseconds
        var written = 0
        while written < historyRows {
            let time = Timestamp(
                microseconds: DemoTimeline.historyStart.microseconds + historySpan * Int64(written)
                    / Int64(max(historyRows, 1))
                    + Int64(random.int(0...59_000_000)))
            while let special = pendingSpecials.first, special.time <= time {
                pendingSpecials = pendingSpecials.dropFirst()
                try write(
                    DemoQueueRow(
                        id: nextID, memberID: nil, ssn: special.ssn, action: special.action,
                        fieldsChanged: [:], createdAt: special.time, syncedAt: nil, status: special.status,
                        errorMessage: special.error, retryCount: special.retries),
                    fresh: false, orphan: special.isOrphanDelete)
            }
            let remaining = historyRows - written
            let roll = random.int(0...99)
            if roll < 4 && remaining >= 2 && deletedUsed < members.deletedMemberCapacity {
                // A member created and later deleted, both synced: history, not a problem.
                let ssn = members.deletedSSN(deletedUsed)
                deletedUsed += 1
                let synced = DemoTimeline.nightlyRun(after: time).adding(seconds: 3)
                try write(
                    DemoQueueRow(
                        id: nextID, memberID: nil, ssn: ssnText(ssn), action: .create, fieldsChanged: [:],
                        createdAt: time, syncedAt: synced, status: .synced, errorMessage: "", retryCount: 0),
                    fresh: false)
                let deleteTime = time.adding(seconds: Int64(random.int(600...7_200)))
                try write(
                    DemoQueueRow(
                        id: nextID, memberID: nil, ssn: ssnText(ssn), action: .delete,
                        fieldsChanged: random.chance(0.5) ? ["ssn": .string(ssn)] : [:],
                        createdAt: deleteTime, syncedAt: DemoTimeline.nightlyRun(after: deleteTime).adding(seconds: 4),
                        status: .synced, errorMessage: "", retryCount: 0),
                    fresh: false)
                written += 2
                continue
            }
            let member = members.member(random.int(1...members.memberCount))
            var action = QueueRow.Action.update
            var fields: [String: JSONValue] = [:]
            var allDropped = false
            switch roll {
            case 4..<16: action = .create
            case 16..<24:
                fields = droppedOnlyFields(member, &random)
                allDropped = true
            case 24..<34:
                fields = mappedFields(member, &random)
                fields.merge(droppedOnlyFields(member, &random)) { mapped, _ in mapped }
            case 34..<36:
                // Out-of-range gender in an update: the nightly run wrote "unknown".
                fields = ["gender": .integer(Int64(random.pick([4, 9, 12])))]
            default:
                fields = mappedFields(member, &random)
            }
            var status = QueueRow.Status.synced
            var error = ""
            var retries = 0
            if member.gender > 3 && action == .update {
                // No document exists for this member (its create failed): the update failed too, and the
                // run left it pending — stranded since.
                status = .pending
            } else if action == .create && member.gender > 3 {
                // Enum bounds: the create raised an error on this member's gender.
                status = .failed
                error = "ValueError: invalid gender value \(member.gender)"
                retries = random.int(1...3)
            } else if random.chance(0.02) {
                status = .failed
                retries = random.int(1...5)
                error = random.pick(DemoVocabulary.failureTexts).replacingOccurrences(of: "{ssn}", with: member.ssn)
            } else if random.chance(0.012) {
                status = .pending  // stranded: created before the last successful run, never fetched again
            }
            try write(
                DemoQueueRow(
                    id: nextID, memberID: member.id, ssn: ssnText(member.ssn), action: action, fieldsChanged: fields,
                    createdAt: time,
                    syncedAt: status == .synced ? DemoTimeline.nightlyRun(after: time).adding(seconds: 2) : nil,
                    status: status, errorMessage: error, retryCount: retries),
                fresh: false, allDropped: allDropped)
            written += 1
        }
        // Every member whose create failed on the enum bounds still has that failed row: only synced
        // rows were ever purged.
        for index in 0..<failedCreates {
            let member = members.member((index + 1) * DemoMemberFactory.badGenderEvery)
            try write(
                DemoQueueRow(
                    id: nextID, memberID: member.id, ssn: ssnText(member.ssn), action: .create, fieldsChanged: [:],
                    createdAt: DemoTimeline.historyStart.adding(seconds: Int64(member.id)), syncedAt: nil,
                    status: .failed,
                    errorMessage: "ValueError: invalid gender value \(member.gender)", retryCount: 1),
                fresh: false)
        }
        for special in pendingSpecials {
            try write(
                DemoQueueRow(
                    id: nextID, memberID: nil, ssn: special.ssn, action: special.action, fieldsChanged: [:],
                    createdAt: special.time, syncedAt: nil, status: special.status,
                    errorMessage: special.error, retryCount: special.retries),
                fresh: false, orphan: special.isOrphanDelete)
        }

        // Fresh: after the last successful run; the next run (which failed) left them all pending.
        let freshSpan = DemoTimeline.freshEnd.microseconds - DemoTimeline.lastSuccessfulRunCompleted.microseconds
        for index in 0..<freshRows {
            let time = Timestamp(
                microseconds: DemoTimeline.lastSuccessfulRunCompleted.microseconds + 1_000_000
                    + (freshSpan - 2_000_000) * Int64(index) / Int64(freshRows))
            let roll = random.int(0...99)
            if roll < 5 && deletedUsed < members.deletedMemberCapacity {
                // A long-standing member deleted today: their synced history was purged long ago.
                let ssn = members.deletedSSN(deletedUsed)
                deletedUsed += 1
                try write(
                    DemoQueueRow(
                        id: nextID, memberID: nil, ssn: ssnText(ssn), action: .delete, fieldsChanged: [:],
                        createdAt: time, syncedAt: nil, status: .pending, errorMessage: "", retryCount: 0),
                    fresh: true)
                continue
            }
            let member = members.member(random.int(1...members.memberCount))
            var action = QueueRow.Action.update
            var fields: [String: JSONValue] = [:]
            var allDropped = false
            switch roll {
            case 5..<17: action = .create
            case 17..<25:
                fields = droppedOnlyFields(member, &random)
                allDropped = true
            default: fields = mappedFields(member, &random)
            }
            try write(
                DemoQueueRow(
                    id: nextID, memberID: member.id, ssn: ssnText(member.ssn), action: action,
                    fieldsChanged: fields, createdAt: time, syncedAt: nil, status: .pending, errorMessage: "",
                    retryCount: 0),
                fresh: true, allDropped: allDropped)
        }
        return tally
    }

    /// One to three fields Path A maps, with the member's current (non-empty) values.
    func mappedFields(_ member: DemoMember, _ random: inout DemoRandom) -> [String: JSONValue] {
        var candidates: [(String, JSONValue)] = [
            ("name", .string(member.name)), ("gender", .integer(Int64(member.gender))),
            ("housing_situation", .integer(Int64(member.housingSituation))),
        ]
        if let birthday = member.birthday { candidates.append(("birthday", .string(birthday))) }
        if let email = member.email, !email.isEmpty { candidates.append(("email", .string(email))) }
        if let phone = member.phone, !phone.isEmpty { candidates.append(("phone", .string(phone))) }
        if let address = member.simpleAddress {
            candidates.append(("street_address", .string(address.street)))
            candidates.append(("postal_code", .string(address.postalCode)))
            candidates.append(("city", .string(address.city)))
        }
        var fields: [String: JSONValue] = [:]
        for _ in 0..<random.int(1...3) {
            let (key, value) = random.pick(candidates)
            fields[key] = value
        }
        return fields
    }

    /// Fields Path A silently dropped: unmapped keys, or mapped keys with empty values.
    func droppedOnlyFields(_ member: DemoMember, _ random: inout DemoRandom) -> [String: JSONValue] {
        switch random.int(0...6) {
        case 0: return ["reachable": .bool(member.reachable)]
        case 1: return ["groupable": .bool(member.groupable), "reachable": .bool(member.reachable)]
        case 2: return ["date_joined": JSONValue(member.dateJoined?.pythonISOFormat)]
        case 3: return ["foreign_phone": .string(member.foreignPhone)]
        case 4: return ["facebook": .string(member.facebook)]
        case 5: return ["birthday": .null]
        default: return ["email": ""]
        }
    }
}
