/// A top-level collection's id, typed so that it cannot be mistaken for a document path or a field:
/// the legacy system's collections are named once (`CollectionName+Legacy.swift` in LegacySync).
package struct CollectionName: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: String

    package init(rawValue: String) { self.rawValue = rawValue }

    /// The id as it travels on the wire and in file names.
    package var description: String { rawValue }

    /// The document `id` in this collection.
    package func document(_ id: String) -> DocumentPath { DocumentPath(collection: self, id: id) }
}
