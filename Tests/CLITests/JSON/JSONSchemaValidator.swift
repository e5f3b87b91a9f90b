import Foundation

/// Validates outputs against JSON Schemas with a real validator: the `jsonschema` package for Python
/// (Debian's python3-jsonschema, which scripts/test.sh installs). Every schema in the folder is loaded
/// first, so `$ref`s between them (to the envelope's schema) resolve without a network.
enum JSONSchemaValidator {
    /// Checks each schema against its own metaschema, then each output against its schema, and returns
    /// one line per problem ("label: message at path"). A missing validator is an error, not a pass.
    static func validate(_ cases: [[String: String]], schemas: String, directory: String) throws -> [String] {
        let manifest = "\(directory)/schema-cases.json"
        try JSONSerialization.data(withJSONObject: cases).write(to: URL(fileURLWithPath: manifest))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, schemas, manifest]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: printed, as: UTF8.self).split(separator: "\n").map(String.init)
        guard process.terminationStatus == 0 || !lines.isEmpty else {
            throw CocoaError(
                .executableLoad,
                userInfo: [
                    NSLocalizedDescriptionKey:
                        "the validator did not run (is python3-jsonschema installed?): "
                        + String(decoding: complaint, as: UTF8.self)
                ])
        }
        return lines
    }

    /// Prints one line per problem and exits 1 when there is any.
    private static let script = """
        import glob, json, os, sys
        import jsonschema
        folder, manifest = sys.argv[1], sys.argv[2]
        store = {}
        problems = []
        for path in sorted(glob.glob(os.path.join(folder, "*.schema.json"))):
            with open(path) as f:
                schema = json.load(f)
            try:
                jsonschema.validators.validator_for(schema).check_schema(schema)
            except jsonschema.exceptions.SchemaError as e:
                problems.append(f"{os.path.basename(path)}: not a valid schema: {e.message}")
            store[schema["$id"]] = schema
        with open(manifest) as f:
            cases = json.load(f)
        for case in cases:
            with open(case["schema"]) as f:
                schema = json.load(f)
            with open(case["output"]) as f:
                text = f.read()
            try:
                document = json.loads(text)
            except ValueError as e:
                problems.append(f"{case['label']}: not one JSON document: {e}")
                continue
            resolver = jsonschema.RefResolver.from_schema(schema, store=store)
            validator = jsonschema.validators.validator_for(schema)(schema, resolver=resolver)
            for error in validator.iter_errors(document):
                where = "/".join(str(p) for p in error.absolute_path)
                problems.append(f"{case['label']}: {error.message} at /{where}")
        for line in problems:
            print(line)
        sys.exit(1 if problems else 0)
        """
}
