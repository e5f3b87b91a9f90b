import CutoverSupport
import Foundation
import Yams

/// `cutover.yaml`: the cutover's systems named once — source, target, table, rules, ledger — so
/// commands need no long flag lists. A flag on the command line always wins over the file: each option
/// group takes the file's value only for an option left unset (`ConfigurationFillable`).
public struct ConfigurationFile: Sendable, Equatable {
    public static let keys = ["source", "target", "table", "rules", "ledger"]

    public var values: [String: String]

    public init(values: [String: String]) { self.values = values }

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CutoverError(.input, "cannot read the configuration file \(path)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) } catch {
            // Yams' description quotes the offending line and a caret under it: the first line says it.
            throw CutoverError(
                .input,
                "\(path): YAML syntax error: "
                    + ("\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"))
        }
        var values: [String: String] = [:]
        for (key, value) in root?.mapping ?? [:] {
            let name = key.string ?? ""
            guard Self.keys.contains(name) else {
                throw CutoverError(
                    .input,
                    "\(path) line \(key.mark?.line ?? 0): unknown key '\(name)'; expected "
                        + "\(Self.keys.joined(separator: ", "))"
                )
            }
            guard let text = value.string, !text.isEmpty else {
                throw CutoverError(.input, "\(path) line \(value.mark?.line ?? 0): \(name) must be text")
            }
            values[name] = text
        }
        self.values = values
    }

    /// No file: every option keeps what the command line (or its default) says.
    static let empty = ConfigurationFile(values: [:])

    /// The legacy database (`--source`).
    var source: String? { values["source"] }
    /// The document store: `--target` where a command has one, else `--firestore`.
    var target: String? { values["target"] }
    /// The queue table (`--table`).
    var table: String? { values["table"] }
    /// The parity rules file (`--rules`).
    var rules: String? { values["rules"] }
    /// The cutover's ledger (`--ledger`).
    var ledger: String? { values["ledger"] }
}
