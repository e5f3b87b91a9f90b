import ArgumentParser
import CutoverCore
import CutoverSupport
import Firestore
import Foundation
import LegacySync

/// Runs a command body, turning failures into a message on standard error and the documented exit code.
/// Messages are masked like every report: a document path or a server's detail may quote a kennitala.
enum CommandRunner {
    static func run(masker: Masker = Masker(), _ body: () throws -> Int32) throws {
        let code: Int32
        do { code = try body() } catch { code = try exitCode(reporting: error, masker: masker) }
        if code != 0 { throw ArgumentParser.ExitCode(code) }
    }

    /// The async twin of `run`, for commands that talk to Firestore.
    static func run(masker: Masker = Masker(), _ body: () async throws -> Int32) async throws {
        let code: Int32
        do { code = try await body() } catch { code = try exitCode(reporting: error, masker: masker) }
        if code != 0 { throw ArgumentParser.ExitCode(code) }
    }

    /// Prints the error and returns its exit code; usage errors go back to ArgumentParser.
    private static func exitCode(reporting error: any Error, masker: Masker) throws -> Int32 {
        func report(_ text: String) { Terminal.error("error: \(masker.freeText(text))\n") }
        switch error {
        case let error as ArgumentParser.ExitCode: throw error
        case let error as ValidationError: throw error
        case let error as CutoverError:
            report(error.description)
            return error.exitCode
        case let error as FirestoreError:
            report(error.description)
            return CutoverSupport.ExitCode(error).code
        default:
            report("\(error)")
            return CutoverSupport.ExitCode.internalFailure.code
        }
    }

    static func printOut(_ text: String) { Terminal.out(text) }

    /// A report file just written, copied to standard output a megabyte at a time: `--json` prints
    /// the file's bytes instead of rendering a large report a second time.
    static func printFile(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CutoverError(.output, "cannot read back \(path)") }
        defer { try? handle.close() }
        while case let chunk = handle.readData(ofLength: 1 << 20), !chunk.isEmpty { FileHandle.standardOutput.write(chunk) }
    }
}
