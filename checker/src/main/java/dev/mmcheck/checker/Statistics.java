package dev.mmcheck.checker;

import java.time.Duration;

/**
 * Counts from one search. Everything except {@code elapsed}, the byte counts (and a stop by time, memory or
 * cancellation) is the same on every run and for any thread count.
 *
 * @param distinctStates        states stored in the visited set, initial ones included (random walks: distinct
 *                              fingerprints seen)
 * @param transitions           successors computed (non-null {@link Model#next} results), duplicates included
 * @param maxDepthReached       depth of the deepest stored state (initial states have depth 0)
 * @param statesCutByDepthBound states at depth {@code maxDepth} that had an enabled action but were not expanded
 * @param stop                  why the search ended (while it runs: {@link Stop#COMPLETE})
 * @param exhaustive            no bound was hit, the search did not stop early and its strategy can be exhaustive:
 *                              the full reachable space within the model's boundary was explored (up to fingerprint
 *                              collisions, see {@code omissionProbability})
 * @param frontier              states found but not yet expanded (0 once the search is over)
 * @param elapsed               wall-clock time of the search
 * @param strategy              how the space was explored
 * @param fingerprintBits       bits of fingerprint stored per state (64 or 128); 0 for bitstate, which stores none
 * @param omissionProbability   the probability that a state was never explored because it was taken for another:
 *                              for stored fingerprints the birthday bound n²/2^(b+1); for bitstate the estimated
 *                              chance that some state was lost; NaN for random walks and swarm runs, which never
 *                              claim to cover anything
 * @param coverageEstimate      bitstate: estimated fraction of the states offered to the visited set that it kept;
 *                              1 for breadth-first; NaN for random walks and swarm runs
 * @param engineBytes           bytes the search's own structures hold in memory now (visited set, parent links,
 *                              frontier); at the end, their size when the search stopped
 * @param frontierBytesOnDisk   bytes of frontier written to disk because they did not fit the frontier's budget
 */
public record Statistics(long distinctStates, long transitions, int maxDepthReached, long statesCutByDepthBound,
                         Stop stop, boolean exhaustive, long frontier, Duration elapsed, Strategy strategy,
                         int fingerprintBits, double omissionProbability, double coverageEstimate, long engineBytes,
                         long frontierBytesOnDisk) {

    /** A new distinct state was found when {@code maxStates} states were already stored. */
    public boolean stateBoundHit() {
        return stop == Stop.STATE_BOUND;
    }

    /** The search stopped because every property was decided, leaving the rest unexplored. */
    public boolean stoppedEarly() {
        return stop == Stop.ALL_DECIDED;
    }
}
