/// One entry of the dual-run's coverage: a queue row and the webhook delivery that matches it, or
/// what is missing on either side.
public struct CoverageFinding: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Comparable {
        /// A queue row and a delivery for the same member and action.
        case matched
        /// A queue row no delivery matches: the POST failed or never went out (Django does not retry).
        case missingWebhook = "missing-webhook"
        /// A delivery no queue row matches: e.g. a change whose transaction rolled back after the POST.
        case webhookWithoutRow = "webhook-without-row"
        /// A second delivery for a row already matched.
        case duplicateDelivery = "duplicate-delivery"
        /// A 9999 placeholder: Django never sends it (explained, not a gap).
        case skippedPlaceholder = "skipped-placeholder"
        /// A contact-info or address edit alone: no webhook by design (explained, not a gap).
        case notSentByDesign = "not-sent-by-design"
        /// A request the receiver rejected (bad key, bad JSON, …): it changed nothing.
        case rejected
        /// Inside the settling window: not judged yet.
        case inFlight = "in-flight"

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        /// Gaps fail the comparison; the rest are explained.
        public var isGap: Bool { self == .missingWebhook || self == .webhookWithoutRow || self == .duplicateDelivery }
    }

    public var kind: Kind
    public var kennitala: String
    public var action: String
    public var rowID: Int64?
    public var deliveryID: Int64?
    public var detail: String
}
