/// Why `shadow serve` refused a request, as a metrics label: a closed list, so the label's values stay
/// bounded whatever clients send.
enum ShadowRejection: String, CaseIterable, Sendable {
    /// 401: no key, or not the webhook's key.
    case badKey = "bad_key"
    /// 405: not POST.
    case badMethod = "bad_method"
    /// 400: not a JSON object.
    case badJSON = "bad_json"
    /// 400: the body is not UTF-8.
    case notUTF8 = "not_utf8"
    case missingKennitala = "missing_kennitala"
    case badAction = "bad_action"
    case missingData = "missing_data"
    /// 413: longer than the receiver accepts.
    case tooLarge = "too_large"
    /// A refusal the list above does not name (a newer contract's).
    case other

    /// From the webhook contract's answer (LEGACY.md §5): its status and its `error` message.
    init(status: Int, message: String) {
        switch (status, message) {
        case (401, _): self = .badKey
        case (405, _): self = .badMethod
        case (413, _): self = .tooLarge
        case (400, "Invalid JSON"): self = .badJSON
        case (400, "Missing kennitala"): self = .missingKennitala
        case (400, "Invalid action"): self = .badAction
        case (400, "Missing data"): self = .missingData
        default: self = .other
        }
    }
}
