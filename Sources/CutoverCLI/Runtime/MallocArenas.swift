import CMalloc
import Glibc

/// glibc's malloc gives each thread its first allocation finds without one an arena of its own (up to
/// eight a core), and an arena keeps the pages it freed for its own thread's next allocations. A drain's
/// work hops between threads — Swift's cooperative pool, URLSession's queues, a task per request — so
/// every arena grows to the most that passed through it, and the process holds the sum.
///
/// Measured (issue 21; release build, 100,000 unresolved rows over loopback, `/usr/bin/time` maximum
/// resident set, after the drain's own allocations were cut to a 15 MB heap peak by heaptrack): 68–70 MiB
/// with glibc's arenas, 62–65 MiB with `MALLOC_ARENA_MAX=2`, 59–61 MiB with one arena, for 5–15% more
/// user CPU (Benchmarks/results/drain-memory/issue21-peak-profile.md). Of the rest about 42 MiB are the
/// binary's and the Swift and Foundation libraries' mapped pages.
///
/// Only for `drain`: with one arena the threads of a CPU-bound command queue for it. Measured on the quiet
/// machine (2026-12-01 09:29–09:35 UTC, `cutover-bench --compare-cutover` with this build under
/// `MALLOC_ARENA_MAX=16`, interleaved, medians of 3): `snapshot --archive` of 1,000,000 rows 3.67 s and 65 MiB
/// with one arena against 3.10 s and 62 MiB with glibc's; the drain 50 ms away 4.05 s (1,716 rows/s) and
/// 63 MiB against 3.55 s and 74 MiB. The drain keeps the bound on its memory; the rest keep their speed.
enum MallocArenas {
    /// Whether these arguments run `drain` (the first word that is not an option; `--config FILE` skipped).
    static func wanted(for arguments: [String]) -> Bool {
        var words = arguments[...]
        while let word = words.first, word.hasPrefix("-") {
            words = words.dropFirst(word == "--config" ? 2 : 1)
        }
        return words.first == "drain"
    }

    /// One arena for the whole process: called first thing in `main`, as a thread that has allocated
    /// keeps the arena it got (set inside the drain command, it saved only half as much).
    /// An operator's own `MALLOC_ARENA_MAX` wins: glibc reads it, and this leaves it be.
    static func shareOne() {
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        _ = cmalloc_limit_arenas(1)
    }
}
