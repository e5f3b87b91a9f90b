import ArgumentParser
import CutoverCore
import Firestore
import Foundation

/// Which Firestore (or stand-in) to use, and how to authenticate to it.
struct FirestoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The document store: embedded:PATH, http://HOST:PORT (local server or emulator), or "
                + "firestore:PROJECT[/DATABASE]. "
                + "FIRESTORE_EMULATOR_HOST is honoured when this is not given.", valueName: "STORE"))
    var firestore: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The Google Cloud project. Default: GOOGLE_CLOUD_PROJECT, GCLOUD_PROJECT, CLOUDSDK_CORE_PROJECT, then the "
                + "credentials' project; demo-cutover for embedded and local stores.", valueName: "ID"))
    var project: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A command printing an access token, e.g. 'gcloud auth print-access-token'.", valueName: "COMMAND"))
    var tokenCommand: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A credential file: a service-account key (JWT-bearer flow) or an authorized_user file.",
            valueName: "FILE"),
        completion: .file(extensions: ["json"]))
    var credentials: String?

    /// The store named; else the emulator from FIRESTORE_EMULATOR_HOST; else `fallback`; else nil.
    func open(fallback: String? = nil) throws -> (any DocumentStore)? {
        let emulator = ProcessInfo.processInfo.environment["FIRESTORE_EMULATOR_HOST"].map { !$0.isEmpty } ?? false
        let text: String?  // nil lets the opener take FIRESTORE_EMULATOR_HOST
        if let firestore {
            text = firestore
        } else if emulator {
            text = nil
        } else if let fallback {
            text = fallback
        } else {
            return nil
        }
        // Two explicit projects that disagree are a mistake to point out, not one to pick a winner in silently.
        if let project, let text, text.hasPrefix("firestore:"),
            let named = text.dropFirst("firestore:".count).split(separator: "/", omittingEmptySubsequences: false)
                .first,
            !named.isEmpty, named != project
        {
            throw ValidationError("--project \(project) and \(text) name different projects")
        }
        var options = DocumentStoreOpener.Options()
        options.project = project
        options.tokenCommand = tokenCommand
        options.credentialsFile = credentials
        return try DocumentStoreOpener.open(text, options: options)
    }
}

extension FirestoreOptions: ConfigurationFillable {
    /// The file's target becomes `--firestore`. Commands with a `--target` of their own (drain, verify,
    /// retire) take it there instead, and only when neither spelling is given.
    mutating func fill(from configuration: ConfigurationFile) {
        firestore = firestore ?? configuration.target
        fillCredentials(from: configuration)
    }

    /// The project and credential alone, for commands whose store is named otherwise (`shadow serve
    /// --target`) or must never come from the file (`demo seed` writes demo documents).
    mutating func fillCredentials(from configuration: ConfigurationFile) {
        project = project ?? configuration.project
        credentials = credentials ?? configuration.credentials
        tokenCommand = tokenCommand ?? configuration.tokenCommand
    }
}
