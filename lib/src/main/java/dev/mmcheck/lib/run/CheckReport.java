package dev.mmcheck.lib.run;

import dev.mmcheck.checker.Statistics;
import dev.mmcheck.checker.Stop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;

/**
 * Everything a check found for one spec under one profile: the typed result a library caller reads.
 *
 * @param release    the kernel release the profile is or departs from ("v5.9")
 * @param decisions  every decision point's choice, point name to choice name, in table order
 * @param arch       the architecture whose features the check ran under ("" for the default, x86_64)
 * @param bounds     "2 processes, 1 page, depth 8"
 * @param stop       why the search ended
 * @param exhaustive the whole reachable space within the bounds was explored
 * @param source     the spec's text, as checked
 * @param labels     the spec's reference names (label n is {@code labels.get(n - 1)})
 * @param search     the search's own statistics: strategy, fingerprint bits, collision probability, coverage
 * @param engine     where the search ran: "local" (this JVM's checker) or e.g. "spark (master local[2], 4 partitions)"
 */
public record CheckReport(String file, String spec, String title, List<String> cites, String profile, String release,
                          List<String> profileChoices, Map<String, String> decisions, String arch, String bounds,
                          long states, long transitions, int maxDepthReached, long statesCutByDepthBound, Stop stop,
                          boolean exhaustive, Duration elapsed, List<PropertyReport> properties, String source,
                          List<String> labels, Statistics search, String engine) {

    /** The name of a reference label, for reports. */
    public IntFunction<String> labelName() {
        return l -> labels.get(l - 1);
    }

    /** How the run ends for its caller: the CLI's exit status is derived from it. */
    public enum Status { NO_VIOLATION, VIOLATION, INCOMPLETE }

    public Status status() {
        if (properties.stream().anyMatch(p -> p.verdict().kind() == Verdict.Kind.FAIL)) return Status.VIOLATION;
        if (properties.stream().anyMatch(p -> p.verdict().kind() == Verdict.Kind.INCOMPLETE)) return Status.INCOMPLETE;
        return Status.NO_VIOLATION;
    }

    public boolean failing() {
        return status() == Status.VIOLATION;
    }

    /** The result for one property (an invariant, a witness, or the outcome clause as "exists ..."/"forbidden ..."). */
    public PropertyReport property(String name) {
        return properties.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no property '" + name + "' in " + spec + "; it has "
                        + properties.stream().map(PropertyReport::name).toList()));
    }

    public Verdict verdict(String property) {
        return property(property).verdict();
    }

    /** The search was cut short by a limit (state bound, time, memory, cancellation) with properties undecided. */
    public boolean incomplete() {
        return status() == Status.INCOMPLETE;
    }

    /** "2 processes, 1 page, depth 8; 1,234 states": what a "no violation" verdict was checked within. */
    public String shortBounds() {
        return bounds + "; " + String.format("%,d", states) + " states"
                + (stop.incomplete() || !search.strategy().canBeExhaustive() ? ", " + stopText() : "");
    }

    /** "2 processes, 1 page, depth 8; 1,234 states" and how the search ended. */
    public String boundsSummary() {
        StringBuilder b = new StringBuilder(bounds).append("; ").append(String.format("%,d", states)).append(" states, ")
                .append(String.format("%,d", transitions)).append(" transitions");
        if (!search.strategy().canBeExhaustive()) {
            b.append("; ").append(stopText());
        } else if (stop.incomplete()) {
            b.append("; ").append(stopText()).append(", exploration incomplete");
        } else if (statesCutByDepthBound > 0) {
            b.append("; depth bound reached by ").append(String.format("%,d", statesCutByDepthBound)).append(" states");
        } else if (exhaustive) {
            b.append("; all reachable states explored");
        }
        return b.toString();
    }

    /** How the search ended, in words; a strategy that is not exhaustive says so even when it ran to its end. */
    public String stopText() {
        if (stop == Stop.COMPLETE && !search.strategy().canBeExhaustive()) {
            return "not exhaustive: " + search.strategy().describe();
        }
        return switch (stop) {
            case COMPLETE -> "complete";
            case ALL_DECIDED -> "every property decided";
            case FIRST_VIOLATION -> "stopped at the first violation";
            case STATE_BOUND -> "state bound hit";
            case TIME_LIMIT -> "time limit hit";
            case MEMORY_LIMIT -> "memory limit hit";
            case CANCELLED -> "interrupted";
        };
    }

    /**
     * "breadth-first, 64-bit fingerprints, probability that a collision hid a state 2.7e-06": how the states were
     * stored and what that may have cost.
     */
    public String searchSummary() {
        String how = search.strategy().describe() + ("local".equals(engine) ? "" : " on " + engine);
        if (search.strategy() instanceof dev.mmcheck.checker.Strategy.Bitstate) {
            return how + ", NOT EXHAUSTIVE; estimated coverage " + String.format("%.4f", search.coverageEstimate())
                    + " of the states offered, probability some state was lost "
                    + String.format("%.2g", search.omissionProbability());
        }
        if (!search.strategy().canBeExhaustive()) {
            return how + ", NOT EXHAUSTIVE: states it did not visit were never checked";
        }
        return how + ", " + search.fingerprintBits() + "-bit fingerprints, probability that a collision hid a state "
                + String.format("%.2g", search.omissionProbability());
    }
}
