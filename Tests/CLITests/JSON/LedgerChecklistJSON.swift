/// `status --ledger --json`: each step's newest run (steps never run carry only their name and state).
struct LedgerChecklistJSON: Decodable {
    struct Step: Decodable {
        var step: String
        var state: String
        var verdict: String?
        var exitCode: Int?
        var forced: Bool?
        var forcedPast: [String]?
        var sha256: [String: String]?
    }

    var steps: [Step]
}
