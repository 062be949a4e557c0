package dev.mmcheck.lib.run;

import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.Property;
import dev.mmcheck.checker.Strategy;
import java.time.Duration;
import java.util.List;

/**
 * Where a search runs when it does not run in this JVM's own checker (the default, "local"): the Spark engine of the
 * {@code mmcheck-spark} module implements this and is found through {@link EngineProvider} (a
 * {@link java.util.ServiceLoader} service), so the library does not depend on Spark. An engine must give the same
 * distinct-state count, verdicts and traces as {@link dev.mmcheck.checker.Checker}.
 */
public interface Engine {

    /** "spark (master local[2], 4 partitions)": what every report names as the engine. */
    String describe();

    /**
     * Runs the search. {@code job.model()} and {@code job.properties()} are this JVM's copies; {@code job.source()}
     * rebuilds the same model and properties in another JVM.
     */
    <S, A> Outcome<S, A> check(Job<S, A> job);

    /**
     * The engine cannot run this job as asked (a master it cannot reach, a checkpoint that is missing or of another
     * spec, an option it does not support): bad input, told in one line, not an internal error.
     */
    final class Refused extends RuntimeException {
        public Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What to search.
     *
     * @param timeLimit null for none
     */
    record Job<S, A>(Model<S, A> model, List<Property<S>> properties, SpecSource source, int maxDepth, int maxStates,
                     boolean stopAtFirstViolation, Duration timeLimit, Cancellation cancellation, Strategy strategy,
                     int fingerprintBits) {
    }

    /**
     * The result, and whether a property evaluation anywhere {@linkplain SpecSource.Opened#observed observed} a final
     * state (the local run keeps that flag in its own properties).
     */
    record Outcome<S, A>(CheckResult<S, A> result, boolean observed) {
    }
}
