package dev.mmcheck.checker;

/**
 * How the checker explores. Only {@link BreadthFirst} can be exhaustive; the others reach further in spaces too large
 * to store, at the price of not knowing what they missed, and every result they give says so
 * ({@link Statistics#exhaustive()} is false, {@link Statistics#strategy()} names the strategy).
 */
public sealed interface Strategy {

    /** True if a search with this strategy can cover the whole space within the bounds. */
    boolean canBeExhaustive();

    /** One line for reports: "breadth-first", "random walks (seed 7, 100 walks of depth 40)", ... */
    String describe();

    /** Breadth-first over every reachable state, each stored by fingerprint: shortest traces, exhaustive. */
    record BreadthFirst() implements Strategy {
        @Override
        public boolean canBeExhaustive() {
            return true;
        }

        @Override
        public String describe() {
            return "breadth-first";
        }
    }

    /**
     * Breadth-first with a bitstate visited set of {@code bits} bits (a power of two): fixed memory, but a new state
     * whose bits happen to be set already is taken as visited and never explored. Traces are the shortest among the
     * states it did explore.
     */
    record Bitstate(long bits) implements Strategy {
        public Bitstate {
            if (Long.bitCount(bits) != 1 || bits < 1 << 12 || bits > 1L << 40) {
                throw new IllegalArgumentException("bitstate bits must be a power of two in [2^12, 2^40]: " + bits);
            }
        }

        @Override
        public boolean canBeExhaustive() {
            return false;
        }

        @Override
        public String describe() {
            return "bitstate breadth-first (2^" + Long.numberOfTrailingZeros(bits) + " bits, "
                    + BitstateSet.HASHES + " hashes)";
        }
    }

    /**
     * {@code walks} random walks of at most {@code depth} steps from the initial states; walk i chooses its steps with
     * a generator seeded from {@code (seed, i)}, so the same seed gives the same walks and verdicts with any thread
     * count. A walk ends early in a state with no enabled action, outside the boundary, or at {@code depth}.
     */
    record RandomWalks(long seed, int walks, int depth) implements Strategy {
        public RandomWalks {
            if (walks < 1 || depth < 0) {
                throw new IllegalArgumentException("random walks need walks >= 1 and depth >= 0: " + walks + ", " + depth);
            }
        }

        @Override
        public boolean canBeExhaustive() {
            return false;
        }

        @Override
        public String describe() {
            return "random walks (seed " + seed + ", " + walks + " walks of depth " + depth + ")";
        }
    }

    /**
     * Swarm search: {@code runs} depth-first searches bounded by {@code depth}, run i trying the actions of each state
     * in an order shuffled by a generator seeded from {@code (seed, i)}, each with its own visited set of at most
     * the checker's {@code maxStates} states. Different orders reach different corners of a space too large for one
     * search; a state first met deep is not re-explored when met again shallower, so even one run of a small space
     * may miss states. Traces are the DFS stack: not the shortest.
     */
    record Swarm(long seed, int runs, int depth) implements Strategy {
        public Swarm {
            if (runs < 1 || depth < 0) {
                throw new IllegalArgumentException("a swarm needs runs >= 1 and depth >= 0: " + runs + ", " + depth);
            }
        }

        @Override
        public boolean canBeExhaustive() {
            return false;
        }

        @Override
        public String describe() {
            return "swarm of bounded depth-first searches (seed " + seed + ", " + runs + " runs of depth " + depth + ")";
        }
    }
}
