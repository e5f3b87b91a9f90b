public enum CutoverVersion { public static let string = "0.1.0" }
