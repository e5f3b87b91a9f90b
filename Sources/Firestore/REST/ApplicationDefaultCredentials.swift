import Foundation

/// Application Default Credentials in Google's order (https://google.aip.dev/auth/4110):
/// 1. the file `GOOGLE_APPLICATION_CREDENTIALS` names (a service-account key or an `authorized_user`);
/// 2. gcloud's `application_default_credentials.json` in `$CLOUDSDK_CONFIG`, else `~/.config/gcloud/`;
/// 3. the metadata server, when on Google Cloud: `GCE_METADATA_HOST` when set, else
///    `metadata.google.internal` when the machine says it is Google's (`/sys/class/dmi/id/product_name`).
/// The machine check reads a file instead of probing the network, so off Google Cloud nothing waits for
/// a timeout; where the DMI file is missing (some serverless runtimes), set `GCE_METADATA_HOST`.
public enum ApplicationDefaultCredentials {
    public struct Found: Sendable {
        public let provider: any AccessTokenProvider
        /// The credential's project; the metadata server is asked only when this is called.
        public let project: @Sendable () throws -> GoogleProject?
    }

    public static func find(
        environment: [String: String], productNameFile: String = "/sys/class/dmi/id/product_name"
    ) throws -> Found? {
        if let path = environment["GOOGLE_APPLICATION_CREDENTIALS"], !path.isEmpty {
            let loaded = try GoogleCredentialFile.load(path)
            return Found(provider: loaded.provider) { loaded.project }
        }
        let gcloud = gcloudFile(environment: environment)
        if FileManager.default.fileExists(atPath: gcloud) {
            let loaded = try GoogleCredentialFile.load(gcloud)
            return Found(provider: loaded.provider) { loaded.project }
        }
        var host = environment["GCE_METADATA_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        if host == nil, let product = try? String(contentsOfFile: productNameFile, encoding: .utf8),
            product.contains("Google")
        {
            host = MetadataServerAccessToken.defaultHost
        }
        guard let host else { return nil }
        let metadata = MetadataServerAccessToken(host: host)
        return Found(provider: metadata) { GoogleProject(id: try metadata.project(), origin: metadata.source) }
    }

    /// Where gcloud keeps the ADC file: `$CLOUDSDK_CONFIG/application_default_credentials.json`, else
    /// `$HOME/.config/gcloud/application_default_credentials.json`.
    public static func gcloudFile(environment: [String: String]) -> String {
        let folder =
            environment["CLOUDSDK_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config/gcloud")
        return folder + "/application_default_credentials.json"
    }
}
