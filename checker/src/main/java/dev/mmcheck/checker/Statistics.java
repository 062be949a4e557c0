package dev.mmcheck.checker;

import java.time.Duration;

/**
 * Counts from one search. Everything except {@code elapsed} (and a stop by time, memory or cancellation) is the
 * same on every run and for any thread count.
 *
 * @param distinctStates        states stored in the visited set, initial ones included
 * @param transitions           successors computed (non-null {@link Model#next} results), duplicates included
 * @param maxDepthReached       depth of the deepest stored state (initial states have depth 0)
 * @param statesCutByDepthBound states at depth {@code maxDepth} that had an enabled action but were not expanded
 * @param stop                  why the search ended (while it runs: {@link Stop#COMPLETE})
 * @param exhaustive            no bound was hit and the search did not stop early: the full reachable space within
 *                              the model's boundary was explored
 * @param frontier              states found but not yet expanded (0 once the search is over)
 * @param elapsed               wall-clock time of the search
 */
public record Statistics(long distinctStates, long transitions, int maxDepthReached, long statesCutByDepthBound,
                         Stop stop, boolean exhaustive, long frontier, Duration elapsed) {

    /** A new distinct state was found when {@code maxStates} states were already stored. */
    public boolean stateBoundHit() {
        return stop == Stop.STATE_BOUND;
    }

    /** The search stopped because every property was decided, leaving the rest unexplored. */
    public boolean stoppedEarly() {
        return stop == Stop.ALL_DECIDED;
    }
}
