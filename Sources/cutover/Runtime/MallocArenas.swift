import CMalloc

/// glibc's malloc gives each thread its first allocation finds without one an arena of its own (up to
/// eight a core), and an arena keeps the pages it freed for its own thread's next allocations. A drain's work hops between
/// threads — Swift's cooperative pool, URLSession's queues, a task per request — so every arena grows to
/// the most that passed through it, and the process holds the sum.
///
/// Measured (issue 21; release build, 100,000 unresolved rows over loopback, `/usr/bin/time` maximum
/// resident set, after the drain's own allocations were cut to a 15 MB heap peak by heaptrack): 68–70 MiB
/// with glibc's arenas, 62–65 MiB with `MALLOC_ARENA_MAX=2`, 59–61 MiB with one arena, for 5–15% more
/// user CPU (Benchmarks/results/drain-memory/issue21-peak-profile.md). Of the rest about 42 MiB are the
/// binary's and the Swift and Foundation libraries' mapped pages.
enum MallocArenas {
    /// One arena for the whole process: called first thing in `main`, as a thread that has allocated
    /// keeps the arena it got (set inside the drain command, it saved only half as much).
    static func shareOne() {
        _ = cmalloc_limit_arenas(1)
    }
}
