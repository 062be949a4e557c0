package dev.mmcheck.checker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;

/**
 * A bounded, breadth-first, explicit-state model checker for any {@link Model}. Configure it fluently (each call
 * returns a new immutable checker, so one configuration can be shared and run many times, even concurrently):
 *
 * <pre>{@code
 * CheckResult<S, A> r = Checker.of(model).properties(list).maxDepth(8).maxStates(5_000_000).threads(2).check();
 * }</pre>
 *
 * <p>The search goes level by level: depth 0 holds the initial states, depth d+1 the new states first reached from
 * depth d. Within a level states are taken in the order they were found, and their actions in the model's order,
 * so "first in BFS order" is well defined and the first state that decides a property ends a shortest trace.
 *
 * <table>
 * <caption>What the search does in each situation</caption>
 * <tr><th>Situation</th><th>Action</th></tr>
 * <tr><td>successor whose fingerprint was already visited</td>
 *     <td>counted as a transition, otherwise dropped</td></tr>
 * <tr><td>{@code next} returns null</td><td>ignored: not a transition</td></tr>
 * <tr><td>an action asleep in the state (sleep sets, when the model gives {@link Model#sleepIds sleep ids})</td>
 *     <td>not run: every state it reaches is reached anyway at the same depth; not a transition</td></tr>
 * <tr><td>new distinct state (initial or successor), fewer than {@code maxStates} stored</td>
 *     <td>stored with its parent link, checked once against every undecided property, queued for the next level
 *     (packed, if the model can {@link Model#decode decode})</td></tr>
 * <tr><td>new distinct state when {@code maxStates} are already stored</td>
 *     <td>not stored; {@code stateBoundHit}; the search stops</td></tr>
 * <tr><td>state outside {@link Model#withinBoundary}</td><td>stored and checked, never expanded</td></tr>
 * <tr><td>state at depth {@code maxDepth}</td>
 *     <td>stored and checked, not expanded; counted in {@code statesCutByDepthBound} if it has an enabled action</td></tr>
 * <tr><td>first state violating an ALWAYS property</td>
 *     <td>property VIOLATED, the trace to this state is its shortest counterexample</td></tr>
 * <tr><td>first state satisfying a SOMETIMES property</td>
 *     <td>property REACHED, the trace to this state is its shortest witness</td></tr>
 * <tr><td>a decided property</td><td>no longer evaluated</td></tr>
 * <tr><td>every property decided (and there is at least one)</td>
 *     <td>the search stops at once ({@code stoppedEarly})</td></tr>
 * <tr><td>first violated ALWAYS property, with {@link #stopAtFirstViolation}</td>
 *     <td>the search stops at once ({@link Stop#FIRST_VIOLATION}); undecided properties stay undecided</td></tr>
 * <tr><td>no properties at all</td><td>the whole space within the bounds is explored (to count states)</td></tr>
 * <tr><td>before each block of states: cancelled, time limit passed, heap in use over the memory limit</td>
 *     <td>the search stops ({@link Stop#CANCELLED}, {@link Stop#TIME_LIMIT}, {@link Stop#MEMORY_LIMIT}); decided
 *     verdicts and their traces stand, the rest are undecided in the explored part</td></tr>
 * <tr><td>an allocation fails ({@link OutOfMemoryError})</td><td>as for the memory limit</td></tr>
 * <tr><td>next level empty</td><td>the search ends; undecided ALWAYS properties are HOLDS_WITHIN_BOUNDS, undecided
 *     SOMETIMES properties are NOT_REACHED_WITHIN_BOUNDS</td></tr>
 * <tr><td>model or property throws</td><td>the exception propagates: unchanged with one thread, as the cause of a
 *     {@link ModelException} from worker threads (an {@link Error} is rethrown as it is)</td></tr>
 * <tr><td>replaying a trace gives a state the search never stored, or a last state that does not decide the
 *     property</td>
 *     <td>{@link IllegalStateException} "model is not deterministic", naming the step</td></tr>
 * </table>
 *
 * <p>Verdicts, statistics (except elapsed time and bytes) and traces are the same on every run and for any thread
 * count: threads expand slices of the frontier and insert into the partitions of the visited set they own, and each
 * new state is won by its first occurrence in (parent, action) order, exactly as a single-threaded search would
 * (see {@code Search}). {@link #strategy} selects a bitstate visited set, random walks or a swarm of bounded
 * depth-first searches instead; their results say that they are not exhaustive.
 */
public final class Checker<S, A> {
    /** The most states the visited set can hold. */
    public static final int MAX_STATES = Integer.MAX_VALUE - 8;

    /** Everything a check is configured with; each fluent call copies it with one field changed. */
    record Settings<S>(List<Property<S>> properties, int maxDepth, int maxStates, int threads,
                       Consumer<? super Statistics> progress, Duration timeLimit, long memoryLimit,
                       Cancellation cancellation, Strategy strategy, boolean stopAtFirstViolation, int fingerprintBits,
                       boolean packedFrontier, long frontierMemory, java.nio.file.Path spillDirectory) {
        Settings<S> with(Consumer<Builder<S>> change) {
            Builder<S> b = new Builder<>(this);
            change.accept(b);
            return b.build();
        }

        /** The frontier budget in bytes: as set, or a quarter of the memory limit. */
        long frontierBudget() {
            return frontierMemory > 0 ? frontierMemory : memoryLimit / 4;
        }
    }

    /** A mutable copy of {@link Settings}, only used inside {@link Settings#with}. */
    static final class Builder<S> {
        List<Property<S>> properties;
        int maxDepth;
        int maxStates;
        int threads;
        Consumer<? super Statistics> progress;
        Duration timeLimit;
        long memoryLimit;
        Cancellation cancellation;
        Strategy strategy;
        boolean stopAtFirstViolation;
        int fingerprintBits;
        boolean packedFrontier;
        long frontierMemory;
        java.nio.file.Path spillDirectory;

        Builder(Settings<S> s) {
            properties = s.properties();
            maxDepth = s.maxDepth();
            maxStates = s.maxStates();
            threads = s.threads();
            progress = s.progress();
            timeLimit = s.timeLimit();
            memoryLimit = s.memoryLimit();
            cancellation = s.cancellation();
            strategy = s.strategy();
            stopAtFirstViolation = s.stopAtFirstViolation();
            fingerprintBits = s.fingerprintBits();
            packedFrontier = s.packedFrontier();
            frontierMemory = s.frontierMemory();
            spillDirectory = s.spillDirectory();
        }

        Settings<S> build() {
            return new Settings<>(properties, maxDepth, maxStates, threads, progress, timeLimit, memoryLimit,
                    cancellation, strategy, stopAtFirstViolation, fingerprintBits, packedFrontier, frontierMemory,
                    spillDirectory);
        }
    }

    private final Model<S, A> model;
    private final Settings<S> settings;

    private Checker(Model<S, A> model, Settings<S> settings) {
        this.model = model;
        this.settings = settings;
    }

    private Checker<S, A> with(Consumer<Builder<S>> change) {
        return new Checker<>(model, settings.with(change));
    }

    /**
     * A checker with no properties, no depth bound, {@link #MAX_STATES}, one thread, no time limit, a memory limit
     * of {@link #defaultMemoryLimit()}, breadth-first with 64-bit fingerprints, a packed frontier if the model can
     * decode, and a search that runs until every property is decided.
     */
    public static <S, A> Checker<S, A> of(Model<S, A> model) {
        return new Checker<>(Objects.requireNonNull(model, "model"), new Settings<>(List.of(), Integer.MAX_VALUE,
                MAX_STATES, 1, statistics -> { }, null, defaultMemoryLimit(), new Cancellation(),
                new Strategy.BreadthFirst(), false, 64, true, 0, null));
    }

    /** 90% of the largest heap the JVM may use: the search stops cleanly before the JVM runs out. */
    public static long defaultMemoryLimit() {
        return Runtime.getRuntime().maxMemory() / 10 * 9;
    }

    /** The properties to check, replacing any given before; names must be unique. */
    public Checker<S, A> properties(List<Property<S>> properties) {
        List<Property<S>> copy = List.copyOf(properties);
        Set<String> names = new HashSet<>();
        for (Property<S> p : copy) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("duplicate property name: " + p.name());
            }
        }
        return with(b -> b.properties = copy);
    }

    /** States at this depth are checked but not expanded (initial states have depth 0). */
    public Checker<S, A> maxDepth(int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be >= 0: " + maxDepth);
        }
        return with(b -> b.maxDepth = maxDepth);
    }

    /** At most this many distinct states are stored (for {@link Strategy.Swarm}: per run). */
    public Checker<S, A> maxStates(int maxStates) {
        if (maxStates < 1 || maxStates > MAX_STATES) {
            throw new IllegalArgumentException("maxStates must be in [1, " + MAX_STATES + "]: " + maxStates);
        }
        return with(b -> b.maxStates = maxStates);
    }

    /** Number of threads that expand states; results do not depend on it. */
    public Checker<S, A> threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        return with(b -> b.threads = threads);
    }

    /**
     * Called on the checking thread after each block of expanded states and each completed level with the
     * statistics so far ({@code exhaustive} is false until the end), e.g. to print progress or sample memory.
     */
    public Checker<S, A> progress(Consumer<? super Statistics> listener) {
        Objects.requireNonNull(listener);
        return with(b -> b.progress = listener);
    }

    /** Stop with {@link Stop#TIME_LIMIT} and a partial result once this much time has passed. */
    public Checker<S, A> timeLimit(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the time limit must be positive: " + limit);
        }
        return with(b -> b.timeLimit = limit);
    }

    /**
     * Stop with {@link Stop#MEMORY_LIMIT} and a partial result once the heap in use (after a collection) exceeds
     * this many bytes. An allocation that fails ends the search the same way. Everything the search keeps in memory
     * is on the heap, so this bounds all of it; frontier spilled to disk ({@link #frontierMemory}) is not counted.
     */
    public Checker<S, A> memoryLimit(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the memory limit must be positive: " + bytes);
        }
        return with(b -> b.memoryLimit = bytes);
    }

    /** Stop with {@link Stop#CANCELLED} and a partial result when this is cancelled. */
    public Checker<S, A> cancellation(Cancellation cancellation) {
        Objects.requireNonNull(cancellation);
        return with(b -> b.cancellation = cancellation);
    }

    /** How to explore: breadth-first (the default), bitstate, random walks or a swarm of bounded DFS. */
    public Checker<S, A> strategy(Strategy strategy) {
        Objects.requireNonNull(strategy);
        return with(b -> b.strategy = strategy);
    }

    /**
     * Stop at the first state (in breadth-first order) that violates an ALWAYS property, with {@link
     * Stop#FIRST_VIOLATION}: its trace is still a shortest counterexample, and properties not decided by then are
     * undecided in the explored part. Off by default: the search runs until every property is decided.
     */
    public Checker<S, A> stopAtFirstViolation(boolean stop) {
        return with(b -> b.stopAtFirstViolation = stop);
    }

    /**
     * Bits of fingerprint stored per state: 64 (the default; collision probability about n²/2^65) or 128 (about
     * n²/2^129, at 16 bytes a slot instead of 8).
     */
    public Checker<S, A> fingerprintBits(int bits) {
        if (bits != 64 && bits != 128) {
            throw new IllegalArgumentException("fingerprints have 64 or 128 bits: " + bits);
        }
        return with(b -> b.fingerprintBits = bits);
    }

    /**
     * Whether to keep the frontier as packed encodings when the model {@link Model#canDecode can decode} (the
     * default); false keeps state objects, as for a model that cannot. Results are the same either way.
     */
    public Checker<S, A> packedFrontier(boolean packed) {
        return with(b -> b.packedFrontier = packed);
    }

    /**
     * Bytes of packed frontier kept in memory per level; more is written to a temporary file in {@code directory}
     * (null: the system's temporary directory) and read back when expanded. Default (0): a quarter of the memory
     * limit. A frontier of state objects always stays in memory.
     */
    public Checker<S, A> frontierMemory(long bytes, java.nio.file.Path directory) {
        if (bytes < 0) {
            throw new IllegalArgumentException("the frontier memory must be >= 0: " + bytes);
        }
        return with(b -> {
            b.frontierMemory = bytes;
            b.spillDirectory = directory;
        });
    }

    /** Runs the search. Each call is independent: all search bookkeeping lives and dies inside the call. */
    public CheckResult<S, A> check() {
        return switch (settings.strategy()) {
            case Strategy.BreadthFirst b -> new Search<>(model, settings).run();
            case Strategy.Bitstate b -> new Search<>(model, settings).run();
            case Strategy.RandomWalks w -> new RandomSearch<>(model, settings).run();
            case Strategy.Swarm w -> new RandomSearch<>(model, settings).run();
        };
    }

    /**
     * One run of a {@link Strategy.Swarm swarm} or {@link Strategy.RandomWalks random-walk} strategy, alone and with
     * every property evaluated: what one task of a distributed swarm computes. Opaque to callers except for
     * {@link #mergeRuns}; serializable so that it can travel between JVMs.
     */
    public record SwarmRun(int run, java.io.Serializable outcome) implements java.io.Serializable {
    }

    /** Run number {@code run} of this checker's swarm or random-walk strategy (it depends on the seed and run only). */
    public SwarmRun swarmRun(int run) {
        requireRuns();
        return new SwarmRun(run, new RandomSearch<>(model, settings).single(run));
    }

    /**
     * The result of runs 0..n-1 ({@link #swarmRun}, in any order, computed anywhere): the same verdicts, traces and
     * counts as {@link #check()} with this strategy, apart from its time and memory limits.
     */
    public CheckResult<S, A> mergeRuns(List<SwarmRun> runs) {
        requireRuns();
        List<SwarmRun> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingInt(SwarmRun::run));
        List<RandomSearch.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i).run() != i) {
                throw new IllegalArgumentException("runs 0.." + (sorted.size() - 1) + " expected, run " + i + " missing");
            }
            outcomes.add((RandomSearch.Outcome) sorted.get(i).outcome());
        }
        return new RandomSearch<>(model, settings).merged(outcomes);
    }

    private void requireRuns() {
        if (!(settings.strategy() instanceof Strategy.Swarm || settings.strategy() instanceof Strategy.RandomWalks)) {
            throw new IllegalStateException("swarm runs need a swarm or random-walk strategy, not "
                    + settings.strategy().describe());
        }
    }

    /**
     * Rebuilds a trace from initial state number {@code initialIndex} by taking, at each step, the action at the
     * given position in the model's action list. Pure: it only calls the model.
     *
     * @throws IllegalArgumentException if an index is out of range or an action has no effect
     */
    public static <S, A> Path<S, A> replay(Model<S, A> model, int initialIndex, List<Integer> actionIndices) {
        return replay(model, initialIndex, actionIndices, (state, step) -> { }, IllegalArgumentException::new);
    }

    /** Replay that shows each state (with its step number, 0 = initial) to {@code onStep}. */
    static <S, A> Path<S, A> replay(Model<S, A> model, int initialIndex, List<Integer> actionIndices,
                                    ObjIntConsumer<S> onStep, Function<String, RuntimeException> invalid) {
        List<S> initial = model.initialStates();
        if (initialIndex < 0 || initialIndex >= initial.size()) {
            throw invalid.apply("step 0: initial state " + initialIndex + " requested, " + initial.size() + " exist");
        }
        S state = initial.get(initialIndex);
        onStep.accept(state, 0);
        List<S> states = new ArrayList<>(List.of(state));
        List<A> actions = new ArrayList<>();
        List<A> enabled = new ArrayList<>();
        for (int step = 1; step <= actionIndices.size(); step++) {
            int index = actionIndices.get(step - 1);
            enabled.clear();
            model.actions(state, enabled);
            if (index < 0 || index >= enabled.size()) {
                throw invalid.apply("step " + step + ": action " + index + " requested, " + enabled.size()
                        + " enabled in " + state);
            }
            A action = enabled.get(index);
            state = model.next(state, action);
            if (state == null) {
                throw invalid.apply("step " + step + ": action " + action + " has no effect");
            }
            onStep.accept(state, step);
            states.add(state);
            actions.add(action);
        }
        return new Path<>(initialIndex, actionIndices, states, actions);
    }
}
