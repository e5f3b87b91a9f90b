import CutoverCLI

// The whole executable: the commands are in Sources/CutoverCLI (see CutoverMain for why).
await CutoverMain.run()
