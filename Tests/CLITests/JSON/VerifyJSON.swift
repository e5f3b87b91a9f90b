/// `verify --json`: the reconciliation's findings.
struct VerifyJSON: Decodable {
    struct Reconciliation: Decodable {
        struct Finding: Decodable {
            var member: String
            var paths: [String]
        }

        var findings: [Finding]
    }

    var reconciliation: Reconciliation
}
