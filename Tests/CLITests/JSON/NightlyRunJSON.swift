/// `demo nightly-run --json`: what the old nightly run did, or (dry run) would do.
struct NightlyRunJSON: Decodable {
    /// The figures a dry run must predict exactly.
    struct Tally: Decodable, Equatable {
        var since: String
        var rowsFetched: Int
        var succeeded: Int
        var failed: Int
        var markedSynced: Int
        var portalEditsApplied: Int
        var portalEditsFailed: Int
    }

    var dryRun: Bool
    var tally: Tally

    enum CodingKeys: CodingKey { case dryRun }

    init(from decoder: any Decoder) throws {
        dryRun = try decoder.container(keyedBy: CodingKeys.self).decode(Bool.self, forKey: .dryRun)
        tally = try Tally(from: decoder)
    }
}
