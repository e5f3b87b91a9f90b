/// `drain.json` (and `drain --json`): the parts the tests read.
struct DrainJSON: Decodable {
    struct Row: Decodable {
        var row: Int
        var member: String
        var action: String
        var outcome: String
        var detail: String
    }

    struct ReverseQueue: Decodable {
        struct Invalid: Decodable {
            var problem: String
        }

        var mode: String
        var applied: Int
        var listed: Int
        var refreshedDocuments: Int
        var error: String?
        var invalid: [Invalid]
    }

    var dryRun: Bool
    var counts: [String: Int]
    var rows: [Row]
    var stoppedEarly: String?
    /// Rows left pending because the target failed (absent in reports from before the field).
    var leftPending: Int?
    var targetFault: String?
    var reverseQueue: ReverseQueue

    /// Row id → its outcome and why.
    var outcomes: [Int: (outcome: String, detail: String)] {
        Dictionary(rows.map { ($0.row, ($0.outcome, $0.detail)) }, uniquingKeysWith: { first, _ in first })
    }
}
