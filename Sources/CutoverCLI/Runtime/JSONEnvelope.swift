import CutoverSupport
import Foundation

/// The one shape every `--json` output has (README, "JSON output"; schemas/cutover.*.schema.json):
///
///     {"command": "archive create", "exit_code": 0, "format": "cutover.archive.create",
///      "format_version": 1, "ok": true, "result": {…}}
///
/// `ok` is true exactly when `exit_code` is 0. `result` is there when the command reached its verdict
/// (a parity replay that fails, exit 11, still has its result); `error` (`code`, `message`, `next`) when it
/// stopped before one. Keys are sorted, so `result` and `error` come last and a report file can be
/// streamed into place without being read into memory.
enum JSONEnvelope {
    /// Raised when a key is removed or changes meaning; adding a key to a result does not raise it.
    static let formatVersion: Int64 = 1

    /// `cutover.` and the command's words joined by dots: "cutover.parity.replay". The schema of the
    /// command's output is `schemas/<format>.schema.json`.
    static func format(of words: [String]) -> String { (["cutover"] + words).joined(separator: ".") }

    /// The envelope around a result the command has in memory.
    static func printResult(_ result: JSONValue, exitCode: Int32) {
        Terminal.out(text(of: envelope(exitCode: exitCode, body: ["result": result])))
    }

    /// The envelope around a result written piece by piece: `write` hands its pieces of JSON text on.
    static func printResult(exitCode: Int32, writing write: ((String) throws -> Void) throws -> Void) throws {
        try printResult(exitCode: exitCode) { try write { Terminal.out($0) } }
    }

    /// The envelope around a report file just written (its bytes are the result), a megabyte at a time.
    /// The file's closing newline stays: whitespace before the envelope's closing brace.
    static func printResult(file path: String, exitCode: Int32) throws {
        // Checked before the envelope starts: a failure halfway would leave half an envelope before the error's.
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CutoverError(.output, "cannot read back \(path)")
        }
        try printResult(exitCode: exitCode) { try CommandRunner.printFile(path) }
    }

    /// Prints the envelope up to its result, lets `body` print the result, then prints the rest.
    private static func printResult(exitCode: Int32, around body: () throws -> Void) throws {
        let placeholder = "cutover-envelope-result"
        let text = envelope(exitCode: exitCode, body: ["result": .string(placeholder)]).prettyText
        guard let range = text.range(of: JSONValue.string(placeholder).canonicalText) else {
            throw CutoverError(.internalFailure, "the JSON envelope lost its result's place")
        }
        Terminal.out(String(text[..<range.lowerBound]))
        try body()
        Terminal.out(String(text[range.upperBound...]))
    }

    /// The envelope of a command that stopped: `code` is the exit code's name (`ExitCode`'s case).
    static func printError(exitCode: Int32, message: String, next: String?) {
        var error: [String: JSONValue] = ["code": .string(name(of: exitCode)), "message": .string(message)]
        error["next"] = next.map { .string($0) } ?? .null
        Terminal.out(text(of: envelope(exitCode: exitCode, body: ["error": .object(error)])))
    }

    /// Indented for a person, except in a stream of envelopes (`shadow run --follow`): NDJSON, where a
    /// reader takes each line as a document and an indented envelope would be a dozen broken ones.
    private static func text(of envelope: JSONValue) -> String {
        JSONInvocation.current.oneEnvelopePerLine ? envelope.canonicalText + "\n" : envelope.prettyText
    }

    /// The symbolic name scripts match on ("connection", "usage"), stable where numbers are not read.
    static func name(of exitCode: Int32) -> String {
        CutoverSupport.ExitCode(rawValue: exitCode).map { "\($0)" } ?? "internalFailure"
    }

    private static func envelope(exitCode: Int32, body: [String: JSONValue]) -> JSONValue {
        let words = JSONInvocation.current.words
        var fields: [String: JSONValue] = [
            "format": .string(format(of: words)), "format_version": .integer(formatVersion),
            "command": .string(words.joined(separator: " ")), "ok": .bool(exitCode == 0),
            "exit_code": .integer(Int64(exitCode)),
        ]
        fields.merge(body) { _, new in new }
        return .object(fields)
    }
}
