import Foundation
import Logging

extension Log {
    /// The toolkit's own Firestore REST client: retries with status, attempt and backoff.
    package static let firestore = Logger(label: "cutover.firestore")

    /// A file a step finished writing, with its size: the operator's record of what landed where.
    /// Only the path and the size — never the contents, which may hold personal data.
    package static func wrote(_ path: String, by logger: Logger) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
        logger.info("wrote \(path)", metadata: ["bytes": "\(size.map(String.init) ?? "?")"])
    }
}
