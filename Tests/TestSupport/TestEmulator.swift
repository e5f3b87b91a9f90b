import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Google's Firestore emulator that the test script started (`scripts/test.sh`), named by
/// `CUTOVER_TEST_FIRESTORE_EMULATOR_HOST` (host:port, as `FIRESTORE_EMULATOR_HOST`). Tests that need it
/// are enabled only when it is configured, and say why when skipped.
public enum TestEmulator {
    public static var host: String? {
        ProcessInfo.processInfo.environment["CUTOVER_TEST_FIRESTORE_EMULATOR_HOST"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var isConfigured: Bool { host != nil }

    /// Why the emulator tests are skipped: the test script's reason when it gave one.
    public static var skipReason: String {
        let why =
            ProcessInfo.processInfo.environment["CUTOVER_TEST_FIRESTORE_EMULATOR_SKIPPED"]
            ?? "CUTOVER_TEST_FIRESTORE_EMULATOR_HOST is not set (run scripts/test.sh: it starts the emulator when "
            + "gcloud "
            + "and google-cloud-cli-firestore-emulator are installed)"
        return "Firestore emulator test SKIPPED: \(why)"
    }

    /// `http://host:port`.
    public static var url: String { "http://\(host ?? "")" }

    /// A fresh project id that looks like a real one (not `demo-…`): the emulator serves any, each its
    /// own namespace, so every test gets its own data set on the one shared emulator.
    public static func freshProject() -> String {
        "cutover-prod-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(8)
    }

    /// Empties a project's data set (the emulator's reset), so finished tests do not keep its memory busy.
    public static func reset(project: String) async {
        guard let url = URL(string: "\(url)/emulator/v1/projects/\(project)/databases/(default)/documents") else {
            return
        }
        var request = URLRequest(url: url)
        request.httpMethod = "DELETE"
        _ = try? await URLSession.shared.data(for: request)
    }
}
