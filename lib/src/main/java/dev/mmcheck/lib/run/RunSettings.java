package dev.mmcheck.lib.run;

import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Statistics;
import dev.mmcheck.checker.Strategy;
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
 * @param strategy    how to explore (breadth-first unless asked otherwise); a non-exhaustive strategy makes every
 *                    "no violation" verdict one of the explored part
 * @param stopAtFirstViolation end the search at the first violated invariant (its trace is still the shortest)
 * @param fingerprintBits      64 or 128
 * @param engine               where the search runs: null for this JVM's checker (the default), else e.g. the Spark
 *                             engine ({@link EngineProvider#named}); its results are the same
 * @param profileName          the name of the profile the run was asked for (null: the spec's own), so that an
 *                             engine can rebuild the same profile in another JVM
 * @param symmetry             explorations count states up to a renaming of processes, and of pages where they are
 *                             interchangeable (see {@code Exploration}); refused, with the reason in the report's bounds,
 *                             where the processes are not interchangeable
 * @param partialOrder         explorations give the search sleep ids and footprints: partial-order reduction by sleep
 *                             sets, the same states with fewer transitions (see {@code Exploration#footprint}); not
 *                             with symmetry
 */
public record RunSettings(int threads, Duration timeLimit, long memoryLimit, Cancellation cancellation,
                          Consumer<? super Statistics> progress, Strategy strategy, boolean stopAtFirstViolation,
                          int fingerprintBits, Engine engine, String profileName, boolean symmetry,
                          boolean partialOrder) {
    public RunSettings {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("the time limit must be positive: " + timeLimit);
        }
        if (memoryLimit < 1) throw new IllegalArgumentException("the memory limit must be positive: " + memoryLimit);
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(strategy, "strategy");
        if (fingerprintBits != 64 && fingerprintBits != 128) {
            throw new IllegalArgumentException("fingerprints have 64 or 128 bits: " + fingerprintBits);
        }
    }

    /** One thread, no time limit, the checker's default memory limit, nothing watching, breadth-first to the end. */
    public static RunSettings defaults() {
        return new RunSettings(1, null, Checker.defaultMemoryLimit(), new Cancellation(), s -> { },
                new Strategy.BreadthFirst(), false, 64, null, null, false, false);
    }

    public RunSettings withThreads(int n) {
        return new RunSettings(n, timeLimit, memoryLimit, cancellation, progress, strategy, stopAtFirstViolation, fingerprintBits, engine, profileName, symmetry, partialOrder);
    }

    public RunSettings withTimeLimit(Duration d) {
        return new RunSettings(threads, d, memoryLimit, cancellation, progress, strategy, stopAtFirstViolation, fingerprintBits, engine, profileName, symmetry, partialOrder);
    }

    public RunSettings withMemoryLimit(long bytes) {
        return new RunSettings(threads, timeLimit, bytes, cancellation, progress, strategy, stopAtFirstViolation, fingerprintBits, engine, profileName, symmetry, partialOrder);
    }

    public RunSettings withCancellation(Cancellation c) {
        return new RunSettings(threads, timeLimit, memoryLimit, c, progress, strategy, stopAtFirstViolation, fingerprintBits, engine, profileName, symmetry, partialOrder);
    }

    public RunSettings withProgress(Consumer<? super Statistics> p) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, p, strategy, stopAtFirstViolation, fingerprintBits, engine, profileName, symmetry, partialOrder);
    }

    public RunSettings withStrategy(Strategy s) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, progress, s, stopAtFirstViolation, fingerprintBits, engine, profileName, symmetry, partialOrder);
    }

    public RunSettings withStopAtFirstViolation(boolean stop) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, progress, strategy, stop, fingerprintBits, engine, profileName, symmetry, partialOrder);
    }

    public RunSettings withFingerprintBits(int bits) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, progress, strategy, stopAtFirstViolation, bits, engine, profileName, symmetry, partialOrder);
    }

    public RunSettings withEngine(Engine e) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, progress, strategy, stopAtFirstViolation, fingerprintBits, e, profileName, symmetry, partialOrder);
    }

    public RunSettings withProfileName(String name) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, progress, strategy, stopAtFirstViolation, fingerprintBits, engine, name, symmetry, partialOrder);
    }

    public RunSettings withSymmetry(boolean on) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, progress, strategy, stopAtFirstViolation, fingerprintBits, engine, profileName, on, partialOrder);
    }

    public RunSettings withPartialOrder(boolean on) {
        return new RunSettings(threads, timeLimit, memoryLimit, cancellation, progress, strategy, stopAtFirstViolation, fingerprintBits, engine, profileName, symmetry, on);
    }
}
