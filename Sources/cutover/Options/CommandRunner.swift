import ArgumentParser
import CutoverCore

/// Runs a command body, turning failures into a message on standard error and the documented exit code.
enum CommandRunner {
    static func run(_ body: () throws -> Int32) throws {
        let code: Int32
        do { code = try body() } catch { code = try exitCode(reporting: error) }
        if code != 0 { throw ExitCode(code) }
    }

    /// The async twin of `run`, for commands that talk to Firestore.
    static func run(_ body: () async throws -> Int32) async throws {
        let code: Int32
        do { code = try await body() } catch { code = try exitCode(reporting: error) }
        if code != 0 { throw ExitCode(code) }
    }

    /// Prints the error and returns its exit code; usage errors go back to ArgumentParser.
    private static func exitCode(reporting error: any Error) throws -> Int32 {
        switch error {
        case let error as ExitCode: throw error
        case let error as ValidationError: throw error
        case let error as CutoverError:
            Terminal.error("error: \(error)\n")
            return error.exitCode
        case let error as FirestoreError:
            Terminal.error("error: \(error)\n")
            return ExitCodes.code(for: error)
        default:
            Terminal.error("error: \(error)\n")
            return ExitCodes.internalFailure
        }
    }

    static func printOut(_ text: String) { Terminal.out(text) }
}
