import CutoverSupport

extension CommandRunner {
    /// A command's result on standard output: under `--json` the envelope around `json`, else `text`.
    /// Only the one that is printed is made.
    static func printResult(
        json: Bool, _ value: @autoclosure () throws -> JSONValue, text: @autoclosure () throws -> String,
        exitCode: Int32 = 0
    ) rethrows {
        if json {
            JSONEnvelope.printResult(try value(), exitCode: exitCode)
        } else {
            printOut(try text())
        }
    }
}
