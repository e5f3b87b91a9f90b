import CutoverSupport
import Foundation
import Yams

/// `cutover.yaml`: the cutover's systems named once — source, target, table, rules, ledger — so
/// commands need no long flag lists. A flag on the command line always wins over the file.
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
            throw CutoverError(.input, "\(path): YAML syntax error: " + ("\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"))
        }
        var values: [String: String] = [:]
        for (key, value) in root?.mapping ?? [:] {
            let name = key.string ?? ""
            guard Self.keys.contains(name) else {
                throw CutoverError(.input, "\(path) line \(key.mark?.line ?? 0): unknown key '\(name)'; expected \(Self.keys.joined(separator: ", "))")
            }
            guard let text = value.string, !text.isEmpty else {
                throw CutoverError(.input, "\(path) line \(value.mark?.line ?? 0): \(name) must be text")
            }
            values[name] = text
        }
        self.values = values
    }

    /// Which flag each key becomes, per command (by its name words, e.g. `parity replay`).
    static let flags: [String: [String: String]] = {
        var table: [String: [String: String]] = [:]
        func add(_ key: String, _ flag: String, _ commands: [String]) {
            for command in commands { table[command, default: [:]][key] = flag }
        }
        let live = ["status", "snapshot", "drain", "verify", "retire", "shadow run", "shadow compare", "demo nightly-run", "rehearse"]
        add("source", "--source", live)
        add("table", "--table", live.filter { $0 != "rehearse" })
        add("target", "--target", ["drain", "verify", "retire", "rehearse"])
        add("target", "--firestore", ["status", "snapshot", "demo nightly-run"])
        add("rules", "--rules", ["parity replay", "verify", "shadow compare"])
        add("ledger", "--ledger", ["status", "snapshot", "parity replay", "drain", "verify", "archive create", "restore", "retire"])
        return table
    }()

    /// Synonyms: a command given either spelling already has the value.
    static let synonyms: [String: [String]] = ["--target": ["--target", "--firestore"], "--firestore": ["--firestore", "--target"]]

    /// `arguments` (without the program name) with the file's values added where the command takes them
    /// and the command line does not already say.
    public func arguments(adding arguments: [String]) -> [String] {
        let words = arguments.prefix { !$0.hasPrefix("-") }
        let command = words.count >= 2 && Self.flags["\(words[0]) \(words[1])"] != nil ? "\(words[0]) \(words[1])" : words.first ?? ""
        guard let flags = Self.flags[command] else { return arguments }
        var result = arguments
        for (key, flag) in flags.sorted(by: { $0.key < $1.key }) {
            guard let value = values[key] else { continue }
            let given = (Self.synonyms[flag] ?? [flag]).contains { spelling in
                arguments.contains { $0 == spelling || $0.hasPrefix(spelling + "=") }
            }
            if !given { result += [flag, value] }
        }
        return result
    }

    /// Takes `--config FILE` (or `CUTOVER_CONFIG`) out of the arguments and applies the file.
    public static func resolve(_ arguments: [String], environment: [String: String]) throws -> [String] {
        var remaining = arguments
        var path = environment["CUTOVER_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        if let index = remaining.firstIndex(of: "--config") {
            guard index + 1 < remaining.count else { throw CutoverError(.input, "--config needs a file") }
            path = remaining[index + 1]
            remaining.removeSubrange(index...(index + 1))
        } else if let index = remaining.firstIndex(where: { $0.hasPrefix("--config=") }) {
            path = String(remaining[index].dropFirst("--config=".count))
            remaining.remove(at: index)
        }
        guard let path else { return remaining }
        return try ConfigurationFile(path: path).arguments(adding: remaining)
    }
}
