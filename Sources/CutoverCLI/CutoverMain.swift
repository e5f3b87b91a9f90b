/// What the `cutover` executable runs (Sources/cutover/main.swift). The command line lives in this library,
/// not in the executable target, so that the executable alone links the Swift runtime and Foundation
/// statically while the test bundle, which imports this library, links them as shared libraries.
public enum CutoverMain {
    public static func run() async {
        await CutoverCommand.main()
    }
}
