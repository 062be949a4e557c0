package dev.mmcheck.lib.run;

import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Statistics;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a run searches: threads, limits and the hooks a caller watches it with. Results do not depend on the
 * thread count; a time limit, a memory limit or a cancellation makes a run incomplete, never wrong.
 *
 * @param timeLimit   null for none
 * @param memoryLimit heap bytes in use (after a collection) at which the search stops
 * @param progress    called on the checking thread after each block of states
 */
public record RunSettings(int threads, Duration timeLimit, long memoryLimit, Cancellation cancellation,
                          Consumer<? super Statistics> progress) {
    public RunSettings {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("the time limit must be positive: " + timeLimit);
        }
        if (memoryLimit < 1) throw new IllegalArgumentException("the memory limit must be positive: " + memoryLimit);
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(progress, "progress");
    }

    /** One thread, no time limit, the checker's default memory limit, nothing watching. */
    public static RunSettings defaults() {
        return new RunSettings(1, null, Checker.defaultMemoryLimit(), new Cancellation(), s -> { });
    }

    public RunSettings withThreads(int n) {
        return new RunSettings(n, timeLimit, memoryLimit, cancellation, progress);
    }

    public RunSettings withTimeLimit(Duration d) {
        return new RunSettings(threads, d, memoryLimit, cancellation, progress);
    }

    public RunSettings withMemoryLimit(long bytes) {
        return new RunSettings(threads, timeLimit, bytes, cancellation, progress);
    }

    public RunSettings withCancellation(Cancellation c) {
        return new RunSettings(threads, timeLimit, memoryLimit, c, progress);
    }

    public RunSettings withProgress(Consumer<? super Statistics> p) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, p);
    }
}
