import CutoverCore
print(CutoverVersion.string)
