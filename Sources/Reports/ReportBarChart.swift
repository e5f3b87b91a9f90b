/// Horizontal stacked bars, one per label, one segment per series (parity's differences by field:
/// accepted, then not accepted). HTML draws it as inline SVG; Markdown as text bars in a code block.
public struct ReportBarChart: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var name: String
        public var tone: ReportDocument.Badge.Tone

        public init(_ name: String, _ tone: ReportDocument.Badge.Tone) {
            self.name = name
            self.tone = tone
        }
    }

    public struct Bar: Sendable, Equatable {
        public var label: String
        /// One value per series, in the series' order.
        public var values: [Int]

        public init(_ label: String, _ values: [Int]) {
            self.label = label
            self.values = values
        }

        public var total: Int { values.reduce(0, +) }
    }

    /// What the chart shows, for readers that cannot see it.
    public var caption: String
    public var series: [Series]
    public var bars: [Bar]

    public init(caption: String, series: [Series], bars: [Bar]) {
        self.caption = caption
        self.series = series
        self.bars = bars
    }

    var largest: Int { max(1, bars.map(\.total).max() ?? 1) }
}
