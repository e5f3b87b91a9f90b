import CutoverCore

extension ShadowReceiver {
    /// What becomes of accepted deliveries, for `/healthz`: never the forward URL (it may carry
    /// credentials) nor the store's name.
    var modeName: String {
        switch mode {
        case .forward: "recording and forwarding to the real webhook"
        case .apply: "recording and applying Path B's model to a shadow store"
        case .recordOnly: "recording only"
        }
    }
}
