/// `shadow compare --json`: coverage findings, their counts, and the content differences.
struct ShadowJSON: Decodable {
    struct Finding: Decodable {
        var kind: String
        var member: String
    }

    struct Content: Decodable {
        struct Difference: Decodable {
            var member: String
        }

        var differences: [Difference]
    }

    var findings: [Finding]
    var coverage: [String: Int]
    var content: Content
}
