/// `parity.json`: the parts the tests read.
struct ParityJSON: Decodable {
    struct Field: Decodable {
        var path: String
        var differences: Int
        var accepted: Int
        /// Difference kind (`only-in-a`, `type`, `value`, …) → count.
        var kinds: [String: Int]
        var typeChanges: [String: Int]
        var causes: [String: Int]
        var hazard: String?
    }

    struct WrittenField: Decodable {
        var path: String
    }

    struct ConsumerImpact: Decodable {
        var writtenByAOnly: [WrittenField]
        var writtenByBOnly: [WrittenField]
    }

    struct Event: Decodable {
        var action: String
        var outcome: String
    }

    struct Member: Decodable {
        var verdict: String
        var explanation: String
        var unacceptedPaths: [String]
        var acceptedBy: [String]
        var pathA: [Event]
        var pathB: [Event]
    }

    struct Hazard: Decodable {
        var id: String
        var observed: Bool
    }

    struct Noise: Decodable {
        var notIgnoredByRules: [String]
    }

    struct InvalidRow: Decodable {
        var row: Int?
        var column: String
    }

    struct Counts: Decodable {
        var membersCompared: Int
    }

    var verdict: String
    var counts: Counts
    var fields: [Field]
    var consumerImpact: ConsumerImpact
    var events: [String: Int]
    var members: [Member]
    var hazards: [Hazard]
    var noise: Noise
    var invalidRows: [InvalidRow]
}
