/// `demo seed --json`: what was seeded (the Firestore part only with a store).
struct SeedJSON: Decodable {
    struct Firestore: Decodable {
        var syncLogs: Int
    }

    var firestore: Firestore?
}
