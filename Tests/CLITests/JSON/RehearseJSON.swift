/// `rehearse --json`: the go/no-go, the steps in the order they ran, where it stopped and what it forced.
struct RehearseJSON: Decodable {
    struct Step: Decodable {
        var step: String
        var passed: Bool
        var summary: String
    }

    var go: Bool
    var steps: [Step]
    var stopped: String?
    var forced: [String]
}
