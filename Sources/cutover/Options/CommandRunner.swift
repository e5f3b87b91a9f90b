import ArgumentParser
import CutoverCore

/// Runs a command body, turning failures into a message on standard error and the documented exit code.
enum CommandRunner {
    static func run(_ body: () throws -> Int32) throws {
        let code: Int32
        do {
            code = try body()
        } catch let error as CutoverError {
            Terminal.error("error: \(error)\n")
            code = error.exitCode
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            Terminal.error("error: \(error)\n")
            code = ExitCodes.internalFailure
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// The async twin of `run`, for commands that talk to Firestore.
    static func run(_ body: () async throws -> Int32) async throws {
        let code: Int32
        do {
            code = try await body()
        } catch let error as CutoverError {
            Terminal.error("error: \(error)\n")
            code = error.exitCode
        } catch let error as FirestoreError {
            Terminal.error("error: \(error)\n")
            code = ExitCodes.code(for: error)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            Terminal.error("error: \(error)\n")
            code = ExitCodes.internalFailure
        }
        if code != 0 { throw ExitCode(code) }
    }

    static func printOut(_ text: String) { Terminal.out(text) }
}
