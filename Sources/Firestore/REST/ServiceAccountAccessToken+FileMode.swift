import CutoverSupport
import Foundation

extension ServiceAccountAccessToken {
    /// The warning a key file others can read deserves, or nil: the private key in it lets anyone who
    /// copies it write to the production database. A warning, not a refusal: the run itself is the
    /// owner's call, and a refusal mid-cutover would cost more than the exposure already has.
    package static func readableByOthersWarning(keyFile path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }  // unreadable files fail later with their own error
        let mode = Int(info.st_mode) & 0o777
        guard mode & 0o077 != 0 else { return nil }
        return
            "service-account key file \(path) can be read by others (mode \(String(mode, radix: 8))): chmod 600 \(path)"
    }
}
