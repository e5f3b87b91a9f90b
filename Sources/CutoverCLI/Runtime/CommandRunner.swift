import ArgumentParser
import CutoverCore
import CutoverLedger
import CutoverSupport
import Firestore
import Foundation
import LegacySync

/// Runs a command body, turning failures into a message on standard error and the documented exit code.
/// Messages are masked like every report: a document path or a server's detail may quote a kennitala.
/// A body that stops with an error first has what it created on this run removed (`created`): a failed
/// command leaves no empty database, store, record or directory behind.
enum CommandRunner {
    static func run(
        masker: Masker = Masker(), removingOnFailure created: CreatedByThisRun? = nil,
        _ body: () throws -> Int32
    ) throws {
        let code: Int32
        defer { ProgressDisplay.shared.finish() }  // the heartbeat and the tty line end with the command
        do { code = try body() } catch {
            created?.removeAfterFailure()
            code = try exitCode(reporting: error, masker: masker)
        }
        if code != 0 { throw ArgumentParser.ExitCode(code) }
    }

    /// The async twin of `run`, for commands that talk to Firestore.
    static func run(
        masker: Masker = Masker(), removingOnFailure created: CreatedByThisRun? = nil,
        _ body: () async throws -> Int32
    ) async throws {
        let code: Int32
        defer { ProgressDisplay.shared.finish() }  // the heartbeat and the tty line end with the command
        do { code = try await body() } catch {
            created?.removeAfterFailure()
            code = try exitCode(reporting: error, masker: masker)
        }
        if code != 0 { throw ArgumentParser.ExitCode(code) }
    }

    /// Runs a ledger step's body. An error that stops it is recorded as a failed run with the exit code the
    /// command ends with, then reported as usual: without this a step that stopped left no trace, and the
    /// checklist still showed its previous, passing run.
    static func recording(_ step: LedgerRun?, _ body: () async throws -> Int32) async throws -> Int32 {
        do { return try await body() } catch { throw recordFailure(error, of: step) }
    }

    /// The synchronous twin of `recording`.
    static func recording(_ step: LedgerRun?, _ body: () throws -> Int32) throws -> Int32 {
        do { return try body() } catch { throw recordFailure(error, of: step) }
    }

    private static func recordFailure(_ error: any Error, of step: LedgerRun?) -> any Error {
        guard let step, !step.isFinished else { return error }
        do { try step.finish(failedWith: exitCode(of: error)) } catch let ledgerError {
            // The step's own error is what the operator must see; the ledger's goes to the log.
            Log.ledger.error("could not record \(step.step.rawValue) as failed: \(ledgerError)")
        }
        return error
    }

    /// The exit code an error ends the command with.
    static func exitCode(of error: any Error) -> Int32 {
        switch error {
        case let error as ArgumentParser.ExitCode: error.rawValue
        case is ValidationError: CutoverSupport.ExitCode.usage.code
        default: CutoverSupport.ExitCode.code(for: error)
        }
    }

    /// Prints the error (as a JSON envelope on standard output under `--json`) and returns its exit code;
    /// usage errors go back to ArgumentParser.
    private static func exitCode(reporting error: any Error, masker: Masker) throws -> Int32 {
        let message: String
        var next: String?
        switch error {
        case let error as ArgumentParser.ExitCode: throw error
        case let error as ValidationError: throw error
        case let error as CutoverError:
            message = masker.freeText(error.message)
            next = masker.freeText(error.nextStep ?? error.kind.defaultNextStep)
        case let error as FirestoreError: message = masker.freeText(error.description)
        default: message = masker.freeText("\(error)")
        }
        let code = exitCode(of: error)
        if JSONInvocation.enabled {
            JSONEnvelope.printError(exitCode: code, message: message, next: next)
        } else {
            Terminal.error(Terminal.errorLines(message, next: next))
        }
        return code
    }

    static func printOut(_ text: String) { Terminal.out(text) }

    /// A report file just written, copied to standard output a megabyte at a time: `--json` prints
    /// the file's bytes instead of rendering a large report a second time.
    static func printFile(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CutoverError(.output, "cannot read back \(path)")
        }
        defer { try? handle.close() }
        ProgressDisplay.shared.clearLine()
        while case let chunk = handle.readData(ofLength: 1 << 20), !chunk.isEmpty {
            FileHandle.standardOutput.write(chunk)
        }
    }
}
