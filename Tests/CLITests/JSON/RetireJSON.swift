/// `retire --json`: each gate and whether it passed.
struct RetireJSON: Decodable {
    struct Gate: Decodable {
        var gate: String
        var passed: Bool
    }

    var gates: [Gate]

    /// Gate name → passed.
    var passed: [String: Bool] {
        Dictionary(gates.map { ($0.gate, $0.passed) }, uniquingKeysWith: { first, _ in first })
    }
}
