import CutoverSupport
import Foundation
import Logging
import Yams

/// `cutover.yaml`: the cutover's systems named once — source, target, table, rules, ledger — and the
/// options every command shares, so commands need no long flag lists. A flag on the command line always
/// wins over the file: each option group takes the file's value only for an option left unset
/// (`ConfigurationFillable`). The file wins over the environment (PG*, FIRESTORE_EMULATOR_HOST,
/// GOOGLE_CLOUD_PROJECT, …), which only fills what neither names. Keys are the long options' names.
public struct ConfigurationFile: Sendable, Equatable {
    /// What a key's value must be: checked when the file is read, so a mistake names its line.
    enum Kind: Sendable { case text, flag, hours, logLevel }

    static let kinds: [(key: String, kind: Kind)] = [
        ("source", .text), ("target", .text), ("table", .text), ("rules", .text), ("ledger", .text),
        ("project", .text), ("credentials", .text), ("token-command", .text), ("max-step-age-hours", .hours),
        ("log-level", .logLevel), ("unmask", .flag), ("quiet", .flag), ("json", .flag),
    ]

    public static let keys = kinds.map(\.key)

    public var values: [String: String]

    public init(values: [String: String]) { self.values = values }

    public init(path: String) throws {
        // Through a handle, not FileManager.contents: `--config /dev/null` (no file at all) reads as empty.
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data() else {
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
            if let problem = Self.problem(key: name, value: text) {
                throw CutoverError(.input, "\(path) line \(value.mark?.line ?? 0): \(name) \(problem)")
            }
            values[name] = text
        }
        self.values = values
    }

    /// Why `value` cannot be `key`'s, or nil when it can.
    static func problem(key: String, value: String) -> String? {
        switch kinds.first(where: { $0.key == key })?.kind ?? .text {
        case .text: return nil
        case .flag: return ["true", "false"].contains(value) ? nil : "must be true or false"
        case .hours:
            return (Int(value).map { (0...OptionRange.maxHours).contains($0) } ?? false)
                ? nil : "must be a number of hours from 0 to \(OptionRange.maxHours)"
        case .logLevel:
            return Logger.Level(rawValue: value) != nil
                ? nil : "must be one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        }
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
    /// The Google Cloud project (`--project`), before GOOGLE_CLOUD_PROJECT and the others.
    var project: String? { values["project"] }
    /// A credential file (`--credentials`).
    var credentials: String? { values["credentials"] }
    /// A command printing an access token (`--token-command`).
    var tokenCommand: String? { values["token-command"] }
    /// How old a prerequisite step may be (`--max-step-age-hours`); checked when the file was read.
    var maxStepAgeHours: Int? { values["max-step-age-hours"].flatMap { Int($0) } }
    /// The log level (`--log-level`); checked when the file was read.
    var logLevel: Logger.Level? { values["log-level"].flatMap { Logger.Level(rawValue: $0) } }
    /// A flag the file turns on (`unmask: true`); the command line cannot turn it off again, only a file
    /// without it can (`--config /dev/null` reads none).
    func flag(_ key: String) -> Bool { values[key] == "true" }
}
