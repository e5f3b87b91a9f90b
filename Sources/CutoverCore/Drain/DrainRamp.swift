import Firestore

/// Whether the drain's writes follow Firestore's 500/50/5 ramp (`--ramp`).
public enum DrainRamp: String, Sendable, CaseIterable {
    /// On for Firestore itself; off for the emulator, a local server and an embedded store, which
    /// have no traffic to warm up to and would only be slowed.
    case auto
    case on
    case off

    func applies(to store: any DocumentStore) -> Bool {
        switch self {
        case .on: true
        case .off: false
        case .auto: (store as? FirestoreRESTClient)?.isEmulator == false
        }
    }
}
