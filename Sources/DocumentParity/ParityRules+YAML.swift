import CutoverSupport
import Firestore
import Foundation
import LegacySync
import Yams

extension ParityRules {
    /// `--rules FILE|none`; the shipped rules when nil.
    public static func load(_ argument: String?) throws -> ParityRules {
        guard let argument else { return .shipped() }
        if argument == "none" { return .none }
        guard let data = FileManager.default.contents(atPath: argument) else {
            throw CutoverError(.input, "cannot read the rules file \(argument)")
        }
        return try ParityRules(yaml: String(decoding: data, as: UTF8.self), origin: argument)
    }

    /// Parses a rules file. Every error names the line: a YAML syntax error, an unknown key, a field
    /// path neither path writes, an unknown mapping or cause, a rule without a reason.
    public init(yaml text: String, origin: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, origin: origin)
        }
        guard let root, let top = root.mapping else {
            throw CutoverError(
                .input,
                "\(origin): the rules must be a YAML mapping (version, mappings, correspondences, ignore, accept)")
        }
        let reader = RuleReader(origin: origin)
        self.origin = origin
        mappings = [:]
        correspondences = []
        ignores = []
        acceptances = []
        for (keyNode, value) in top {
            switch keyNode.string ?? "" {
            case "version":
                guard value.int == 1 else { throw reader.error(value, "version must be 1") }
            case "mappings":
                for (name, entries) in try reader.mapping(value, "mappings") {
                    var table: [FirestoreValue: FirestoreValue] = [:]
                    for (from, to) in try reader.mapping(entries, "mapping \(name.string ?? "")") {
                        let key: FirestoreValue = from.int.map { .integer(Int64($0)) } ?? .string(from.string ?? "")
                        table[key] = .string(try reader.text(to, "mapping value"))
                    }
                    mappings[try reader.text(name, "mapping name")] = table
                }
            case "correspondences":
                for item in try reader.sequence(value, "correspondences") {
                    let fields = try reader.fields(item, allowed: ["a", "b", "map", "normalise", "reason"])
                    let a = try reader.text(fields["a"], "a", in: item)
                    let b = try reader.text(fields["b"], "b", in: item)
                    guard MemberDocumentShapes.pathA.contains(a) else {
                        throw reader.error(
                            fields["a"]!, "unknown field path '\(a)': Path A's documents have no such field")
                    }
                    guard MemberDocumentShapes.pathB.contains(b) else {
                        throw reader.error(
                            fields["b"]!, "unknown field path '\(b)': Path B's documents have no such field")
                    }
                    var translation: Correspondence.Translation?
                    if let map = fields["map"] { translation = .mapping(try reader.text(map, "map")) }
                    if let normalise = fields["normalise"] {
                        guard normalise.string == "timestamp" else {
                            throw reader.error(normalise, "normalise must be 'timestamp'")
                        }
                        translation = .timestamp
                    }
                    correspondences.append(
                        Correspondence(
                            a: a, b: b, translation: translation, reason: fields["reason"]?.string ?? "",
                            line: reader.line(item)))
                }
            case "ignore":
                for item in try reader.sequence(value, "ignore") {
                    let fields = try reader.fields(item, allowed: ["path", "reason"])
                    ignores.append(
                        Ignore(
                            pattern: try reader.pattern(fields["path"], in: item),
                            reason: try reader.text(fields["reason"], "reason", in: item), line: reader.line(item)))
                }
            case "accept":
                for item in try reader.sequence(value, "accept") {
                    let fields = try reader.fields(item, allowed: ["path", "document", "members", "cause", "reason"])
                    var rule = Acceptance(
                        pattern: nil, document: nil, placeholdersOnly: false, cause: nil,
                        reason: try reader.text(fields["reason"], "reason", in: item), line: reader.line(item))
                    if fields["path"] != nil { rule.pattern = try reader.pattern(fields["path"], in: item) }
                    if let document = fields["document"] {
                        guard let side = Acceptance.DocumentSide(rawValue: document.string ?? "") else {
                            throw reader.error(document, "document must be only-in-a or only-in-b")
                        }
                        rule.document = side
                    }
                    if let members = fields["members"] {
                        guard members.string == "placeholders" else {
                            throw reader.error(members, "members must be 'placeholders'")
                        }
                        rule.placeholdersOnly = true
                    }
                    if let cause = fields["cause"] {
                        guard let known = DifferenceCause(rawValue: cause.string ?? "") else {
                            throw reader.error(
                                cause,
                                "unknown cause '\(cause.string ?? "")'; known: "
                                    + DifferenceCause.allCases.map(\.rawValue).joined(separator: ", "))
                        }
                        rule.cause = known
                    }
                    guard rule.pattern != nil || rule.document != nil || rule.placeholdersOnly || rule.cause != nil
                    else {
                        throw reader.error(item, "an accepted difference needs a path, document, members or cause")
                    }
                    if rule.pattern != nil && rule.document != nil {
                        throw reader.error(item, "give either a path (a field difference) or a document side, not both")
                    }
                    acceptances.append(rule)
                }
            default:
                throw reader.error(
                    keyNode,
                    "unknown key '\(keyNode.string ?? "")'; expected version, mappings, correspondences, ignore, accept"
                )
            }
        }
        for correspondence in correspondences {
            if case .mapping(let name) = correspondence.translation, mappings[name] == nil {
                throw CutoverError(.input, "\(origin) line \(correspondence.line): unknown mapping '\(name)'")
            }
        }
    }

    private static func syntaxError(_ error: YamlError, origin: String) -> CutoverError {
        let mark: Mark?
        let problem: String
        switch error {
        case .scanner(_, let text, let at, _), .parser(_, let text, let at, _), .composer(_, let text, let at, _):
            (mark, problem) = (at, text)
        default:
            // Yams' description quotes the offending line and a caret under it: the first line says it.
            (mark, problem) = (nil, "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable")
        }
        let place = mark.map { " line \($0.line), column \($0.column)" } ?? ""
        return CutoverError(
            .input, "\(origin)\(place): YAML syntax error: \(problem)",
            nextStep: "fix the rules file; `cutover parity rules` prints the shipped one as a model")
    }
}

/// Reads rule entries, turning every shape problem into an error that names the line.
private struct RuleReader {
    let origin: String

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    func error(_ node: Node, _ message: String) -> CutoverError {
        CutoverError(
            .input, "\(origin) line \(line(node)): \(message)",
            nextStep: "fix the rules file; `cutover parity rules` prints the shipped one as a model")
    }

    func mapping(_ node: Node, _ what: String) throws -> Node.Mapping {
        guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping") }
        return mapping
    }

    func sequence(_ node: Node, _ what: String) throws -> Node.Sequence {
        guard let sequence = node.sequence else { throw error(node, "\(what) must be a list") }
        return sequence
    }

    func fields(_ node: Node, allowed: Set<String>) throws -> [String: Node] {
        var fields: [String: Node] = [:]
        for (key, value) in try mapping(node, "an entry") {
            let name = key.string ?? ""
            guard allowed.contains(name) else {
                throw error(key, "unknown key '\(name)'; expected \(allowed.sorted().joined(separator: ", "))")
            }
            fields[name] = value
        }
        return fields
    }

    func text(_ node: Node?, _ what: String, in entry: Node? = nil) throws -> String {
        guard let node else { throw error(entry ?? Node(""), "missing \(what)") }
        guard let text = node.string, !text.isEmpty else { throw error(node, "\(what) must be non-empty text") }
        return text
    }

    func pattern(_ node: Node?, in entry: Node) throws -> FieldPattern {
        let pattern = FieldPattern(try text(node, "path", in: entry))
        guard pattern.isValidSyntax else { throw error(node!, "'\(pattern)' is not a field path") }
        guard MemberDocumentShapes.all.contains(where: pattern.covers) else {
            throw error(
                node!,
                "unknown field path '\(pattern)': neither path writes it (known: "
                    + "\(MemberDocumentShapes.all.joined(separator: ", ")))"
            )
        }
        return pattern
    }
}
