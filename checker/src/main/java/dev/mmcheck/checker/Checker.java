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
 * <tr><td>new distinct state (initial or successor), fewer than {@code maxStates} stored</td>
 *     <td>stored with its parent link, checked against every undecided property, queued for the next level</td></tr>
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
 * <tr><td>no properties at all</td><td>the whole space within the bounds is explored (to count states)</td></tr>
 * <tr><td>before each block of states: cancelled, time limit passed, heap in use over the memory limit</td>
 *     <td>the search stops ({@link Stop#CANCELLED}, {@link Stop#TIME_LIMIT}, {@link Stop#MEMORY_LIMIT}); decided
 *     verdicts and their traces stand, the rest are undecided in the explored part</td></tr>
 * <tr><td>an allocation fails ({@link OutOfMemoryError})</td><td>as for the memory limit</td></tr>
 * <tr><td>next level empty</td><td>the search ends; undecided ALWAYS properties are HOLDS_WITHIN_BOUNDS, undecided
 *     SOMETIMES properties are NOT_REACHED_WITHIN_BOUNDS</td></tr>
 * <tr><td>model or property throws</td><td>the exception propagates: unchanged with one thread, as the cause of a
 *     {@link ModelException} from worker threads (an {@link Error} is rethrown as it is)</td></tr>
 * <tr><td>replaying a trace gives a state other than the one recorded</td>
 *     <td>{@link IllegalStateException} "model is not deterministic", naming the step</td></tr>
 * </table>
 *
 * <p>Verdicts, statistics (except elapsed time) and traces are the same on every run and for any thread count:
 * worker threads only compute successors, in parallel over contiguous slices of the frontier, and a single thread
 * merges their output in frontier order, exactly as a single-threaded search would.
 */
public final class Checker<S, A> {
    /** The most states the visited set can hold. */
    public static final int MAX_STATES = FingerprintTable.MAX_SIZE;

    /** Everything a check is configured with; each fluent call copies it with one field changed. */
    record Settings<S>(List<Property<S>> properties, int maxDepth, int maxStates, int threads,
                       Consumer<? super Statistics> progress, Duration timeLimit, long memoryLimit,
                       Cancellation cancellation) {
    }

    private final Model<S, A> model;
    private final Settings<S> settings;

    private Checker(Model<S, A> model, Settings<S> settings) {
        this.model = model;
        this.settings = settings;
    }

    /**
     * A checker with no properties, no depth bound, {@link #MAX_STATES}, one thread, no time limit, and a memory
     * limit of {@link #defaultMemoryLimit()}.
     */
    public static <S, A> Checker<S, A> of(Model<S, A> model) {
        return new Checker<>(Objects.requireNonNull(model, "model"), new Settings<>(List.of(), Integer.MAX_VALUE,
                MAX_STATES, 1, statistics -> { }, null, defaultMemoryLimit(), new Cancellation()));
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
        Settings<S> c = settings;
        return new Checker<>(model, new Settings<>(copy, c.maxDepth, c.maxStates, c.threads, c.progress, c.timeLimit,
                c.memoryLimit, c.cancellation));
    }

    /** States at this depth are checked but not expanded (initial states have depth 0). */
    public Checker<S, A> maxDepth(int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be >= 0: " + maxDepth);
        }
        Settings<S> c = settings;
        return new Checker<>(model, new Settings<>(c.properties, maxDepth, c.maxStates, c.threads, c.progress,
                c.timeLimit, c.memoryLimit, c.cancellation));
    }

    /** At most this many distinct states are stored. */
    public Checker<S, A> maxStates(int maxStates) {
        if (maxStates < 1 || maxStates > MAX_STATES) {
            throw new IllegalArgumentException("maxStates must be in [1, " + MAX_STATES + "]: " + maxStates);
        }
        Settings<S> c = settings;
        return new Checker<>(model, new Settings<>(c.properties, c.maxDepth, maxStates, c.threads, c.progress,
                c.timeLimit, c.memoryLimit, c.cancellation));
    }

    /** Number of threads that expand states; results do not depend on it. */
    public Checker<S, A> threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        Settings<S> c = settings;
        return new Checker<>(model, new Settings<>(c.properties, c.maxDepth, c.maxStates, threads, c.progress,
                c.timeLimit, c.memoryLimit, c.cancellation));
    }

    /**
     * Called on the checking thread after each block of expanded states and each completed level with the
     * statistics so far ({@code exhaustive} is false until the end), e.g. to print progress or sample memory.
     */
    public Checker<S, A> progress(Consumer<? super Statistics> listener) {
        Settings<S> c = settings;
        return new Checker<>(model, new Settings<>(c.properties, c.maxDepth, c.maxStates, c.threads,
                Objects.requireNonNull(listener), c.timeLimit, c.memoryLimit, c.cancellation));
    }

    /** Stop with {@link Stop#TIME_LIMIT} and a partial result once this much time has passed. */
    public Checker<S, A> timeLimit(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the time limit must be positive: " + limit);
        }
        Settings<S> c = settings;
        return new Checker<>(model, new Settings<>(c.properties, c.maxDepth, c.maxStates, c.threads, c.progress, limit,
                c.memoryLimit, c.cancellation));
    }

    /**
     * Stop with {@link Stop#MEMORY_LIMIT} and a partial result once the heap in use (after a collection) exceeds
     * this many bytes. An allocation that fails ends the search the same way.
     */
    public Checker<S, A> memoryLimit(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the memory limit must be positive: " + bytes);
        }
        Settings<S> c = settings;
        return new Checker<>(model, new Settings<>(c.properties, c.maxDepth, c.maxStates, c.threads, c.progress,
                c.timeLimit, bytes, c.cancellation));
    }

    /** Stop with {@link Stop#CANCELLED} and a partial result when this is cancelled. */
    public Checker<S, A> cancellation(Cancellation cancellation) {
        Settings<S> c = settings;
        return new Checker<>(model, new Settings<>(c.properties, c.maxDepth, c.maxStates, c.threads, c.progress,
                c.timeLimit, c.memoryLimit, Objects.requireNonNull(cancellation)));
    }

    /** Runs the search. Each call is independent: all search bookkeeping lives and dies inside the call. */
    public CheckResult<S, A> check() {
        return new Search<>(model, settings).run();
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
