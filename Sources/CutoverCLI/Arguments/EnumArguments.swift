import ArgumentParser
import CutoverCore
import CutoverDemo
import Logging

// Enumerated options parse as their enums: a bad value is a usage error (exit 64) that lists the
// valid ones, and `--help` shows them, without a check written by hand in each command's run().

extension DrainVia: ExpressibleByArgument {}
extension DrainRamp: ExpressibleByArgument {}
extension ReverseQueueMode: ExpressibleByArgument {}
extension DemoSchema.Flavour: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
