import CutoverSupport
import Firestore
import LegacySync
import SQLite
import Snapshots

/// Reads a snapshot as one stream of members in kennitala order: a sort-merge of the queue rows not
/// yet synced, the member register and the baseline `members` documents. Memory holds one member at
/// a time. Members with no rows to replay are passed on unparsed (both paths leave them as they are).
final class ReplayChangeStream {
    /// Rows that break the queue table's contract: reported per row, left out of the replay.
    private(set) var problems: [RowProblem] = []
    private(set) var rowsRead = 0

    private let decoder: QueueRowDecoder
    private let queue: Cursor
    private let register: Cursor
    private let baseline: Cursor
    private let queueRow: SQLiteStatementRow

    init(snapshot: SnapshotFile) throws {
        let description = try snapshot.describeQueue()
        decoder = try QueueRowDecoder(description)
        let database = snapshot.database
        // Synced rows are already in the baseline: Path A wrote them before the snapshot.
        let queueStatement = try database.prepare(
            "SELECT * FROM queue_rows WHERE sync_status IS NOT 'synced' ORDER BY replace(ssn, '-', ''), rowid")
        queueRow = SQLiteStatementRow(statement: queueStatement, fieldCount: description.columns.count)
        queue = Cursor(queueStatement, key: description.columnIndex("ssn")!, normalise: true)
        register = Cursor(try database.prepare("SELECT ssn, path_a, path_b FROM register_members ORDER BY ssn"), key: 0)
        baseline = Cursor(
            try database.prepare(
                "SELECT id, fields, create_time, update_time FROM firestore_documents WHERE collection = 'members' "
                    + "ORDER BY id"
            ),
            key: 0)
        try queue.advance()
        try register.advance()
        try baseline.advance()
    }

    /// One member as read, its JSON not yet parsed: parsing is the expensive part, and it runs on
    /// the replay's worker tasks rather than on the reading thread.
    struct Unparsed: Sendable {
        var member: MemberChanges
        var pathA: String?
        var pathB: String?
        var baseline: (fields: String, createTime: String?, updateTime: String?)?

        func parsed() throws -> MemberChanges {
            var member = member
            member.pathA = try ReplayChangeStream.json(pathA, "register member path_a")
            member.pathB = try ReplayChangeStream.json(pathB, "register member path_b")
            if let baseline {
                member.baseline = try FirestoreDocument(
                    storedPath: DocumentPath.member(member.kennitala).description, fieldsJSON: baseline.fields,
                    createTime: baseline.createTime.flatMap(Timestamp.init(parsing:)),
                    updateTime: baseline.updateTime.flatMap(Timestamp.init(parsing:)), context: "snapshot document")
            }
            return member
        }
    }

    /// The next member, or nil at the end.
    func next() throws -> Unparsed? {
        guard let kennitala = [queue.key, register.key, baseline.key].compactMap({ $0 }).min() else { return nil }
        var unparsed = Unparsed(member: MemberChanges(kennitala: kennitala))
        var member: MemberChanges {
            get { unparsed.member }
            set { unparsed.member = newValue }
        }
        while queue.key == kennitala {
            rowsRead += 1
            switch decoder.decode(queueRow) {
            case .success(let row): member.rows.append(row)
            case .failure(let problem): problems.append(problem)
            }
            try queue.advance()
        }
        member.rows.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let touched = !member.rows.isEmpty
        if register.key == kennitala {
            member.inRegister = true
            if touched {
                unparsed.pathA = register.statement.text(1)
                unparsed.pathB = register.statement.text(2)
            }
            try register.advance()
        }
        if baseline.key == kennitala {
            member.hasBaseline = true
            if touched {
                let statement = baseline.statement
                unparsed.baseline = (statement.text(1) ?? "{}", statement.text(2), statement.text(3))
            }
            try baseline.advance()
        }
        return unparsed
    }

    fileprivate static func json(_ text: String?, _ what: String) throws -> JSONValue? {
        guard let text else { return nil }
        do { return try JSONValue(parsing: text) } catch {
            throw CutoverError(.input, "the snapshot's \(what) is not JSON: \(error)")
        }
    }

    /// One sorted statement and the key of its current row (nil when exhausted).
    private final class Cursor {
        let statement: SQLiteStatement
        let keyColumn: Int
        let normalise: Bool
        private(set) var key: String?
        /// Rows whose key is NULL sort first; they stay in the stream under the empty key.
        init(_ statement: SQLiteStatement, key: Int, normalise: Bool = false) {
            self.statement = statement
            keyColumn = key
            self.normalise = normalise
        }

        func advance() throws {
            guard try statement.step() else { key = nil; return }
            let text = statement.text(keyColumn) ?? ""
            key = normalise ? Kennitala.normalised(text) : text
        }
    }
}
