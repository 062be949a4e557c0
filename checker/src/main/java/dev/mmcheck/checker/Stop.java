package dev.mmcheck.checker;

/** Why a search ended. Only {@link #COMPLETE} and {@link #ALL_DECIDED} leave nothing unexplored that could matter. */
public enum Stop {
    /** Every state within the bounds was explored (for a non-exhaustive strategy: it ran to its end). */
    COMPLETE,
    /** Every property was decided, so the rest of the space could not change a verdict. */
    ALL_DECIDED,
    /**
     * An ALWAYS property was violated and the checker was asked to stop at the first violation
     * ({@link Checker#stopAtFirstViolation}); properties not decided by then are undecided in the explored part.
     */
    FIRST_VIOLATION,
    /** A new state was found when {@code maxStates} were already stored. */
    STATE_BOUND,
    /** The time limit passed. */
    TIME_LIMIT,
    /** The heap in use reached the memory limit, or an allocation failed. */
    MEMORY_LIMIT,
    /** The caller cancelled the search (Ctrl-C on the command line). */
    CANCELLED;

    /** The search stopped before the bounds were covered while some property was still undecided. */
    public boolean incomplete() {
        return this != COMPLETE && this != ALL_DECIDED;
    }
}
