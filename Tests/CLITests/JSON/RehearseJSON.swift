/// `rehearse --json`: the go/no-go and the steps in the order they ran.
struct RehearseJSON: Decodable {
    struct Step: Decodable {
        var step: String
    }

    var go: Bool
    var steps: [Step]
}
