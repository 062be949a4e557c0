package dev.mmcheck.checker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The strategies beyond exhaustive reach: {@link Strategy.RandomWalks} and {@link Strategy.Swarm}. Both are made of
 * independent runs (a walk, a bounded DFS), run i driven by a generator seeded from (seed, i). Runs go in batches,
 * in parallel, and their outcomes are merged in run order, stopping at exactly the run where the search would stop
 * with one thread, so verdicts, counts and traces depend on the seed only.
 *
 * <table>
 * <caption>What a run does</caption>
 * <tr><th>Situation</th><th>Random walk</th><th>Swarm run (bounded DFS)</th></tr>
 * <tr><td>start</td><td>an initial state chosen at random</td><td>each initial state in turn</td></tr>
 * <tr><td>a state (new to a DFS run)</td><td colspan="2">checked against every property undecided when the
 *     batch began; the first (run, step) deciding a property decides it, with the run's path as trace</td></tr>
 * <tr><td>state outside the boundary, or no action has an effect</td><td>the walk ends</td><td>backtrack</td></tr>
 * <tr><td>at the depth bound with an enabled action</td><td>the walk ends (counted as cut)</td>
 *     <td>backtrack (counted as cut)</td></tr>
 * <tr><td>otherwise</td><td>one enabled action with an effect, uniformly at random</td>
 *     <td>every action, in an order shuffled at random; a state the run has stored is not entered again</td></tr>
 * <tr><td>a run's visited set reaches maxStates</td><td>(walks store nothing per run)</td><td>the run ends</td></tr>
 * </table>
 *
 * <p>{@code distinctStates} counts the distinct fingerprints over all runs merged so far.
 */
final class RandomSearch<S, A> {
    private static final int UNDECIDED = -1;

    private final Model<S, A> model;
    private final Checker.Settings<S> settings;
    private final List<Property<S>> properties;
    private final Strategy strategy;
    private final FingerprintTable seen = new FingerprintTable();
    private final int[] decidedBy;
    /** Per decided property: initial index and action indices of its trace. */
    private final int[] traceInitial;
    private final List<List<Integer>> traceActions = new ArrayList<>();
    private int undecided;
    private long distinct;
    private long transitions;
    private long cut;
    private int maxDepthReached;
    private Stop stop = Stop.COMPLETE;
    private long startNanos;

    RandomSearch(Model<S, A> model, Checker.Settings<S> settings) {
        this.model = model;
        this.settings = settings;
        this.properties = settings.properties();
        this.strategy = settings.strategy();
        this.decidedBy = new int[properties.size()];
        this.traceInitial = new int[properties.size()];
        Arrays.fill(decidedBy, UNDECIDED);
        for (int p = 0; p < properties.size(); p++) {
            traceActions.add(null);
        }
        this.undecided = properties.size();
    }

    /** What one run found: its fingerprints, counts, and per property the path to the first state deciding it. */
    record Outcome(long[] fingerprints, int stored, long transitions, long cut, int maxDepth,
                   int[] decidingInitial, List<List<Integer>> decidingPath) implements java.io.Serializable {
    }

    /** Run {@code run} alone, evaluating every property: what one task of a distributed swarm computes. */
    Outcome single(int run) {
        int[] all = new int[properties.size()];
        Arrays.setAll(all, p -> p);
        return runOne(run, all);
    }

    /**
     * The result of merging the outcomes of runs 0, 1, ... in run order, as {@link #run()} merges them: the same
     * verdicts, traces and counts as a local run of the same seed (limits of time and memory are the caller's).
     */
    CheckResult<S, A> merged(List<Outcome> outcomes) {
        startNanos = System.nanoTime();
        int[] all = new int[properties.size()];
        Arrays.setAll(all, p -> p);
        for (Outcome o : outcomes) {
            if (!merge(o, all)) {
                break;
            }
        }
        return result();
    }

    private int runs() {
        return strategy instanceof Strategy.RandomWalks w ? w.walks() : ((Strategy.Swarm) strategy).runs();
    }

    private long seed() {
        return strategy instanceof Strategy.RandomWalks w ? w.seed() : ((Strategy.Swarm) strategy).seed();
    }

    private int depth() {
        int d = strategy instanceof Strategy.RandomWalks w ? w.depth() : ((Strategy.Swarm) strategy).depth();
        return Math.min(d, settings.maxDepth());
    }

    /** The generator of run i: the same (seed, i) always gives the same sequence. */
    private SplittableRandom random(int run) {
        return new SplittableRandom(seed() * 0x9e3779b97f4a7c15L + run * 0xbf58476d1ce4e5b9L + 0x632be59bd9b4e019L);
    }

    CheckResult<S, A> run() {
        startNanos = System.nanoTime();
        int threads = settings.threads();
        ExecutorService pool = threads == 1 ? null
                : Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("mmcheck-worker-", 0).daemon().factory());
        try {
            search(pool, threads);
        } catch (OutOfMemoryError e) {
            stop = Stop.MEMORY_LIMIT;
        } catch (CancellationException e) {
            stop = settings.cancellation().isCancelled() ? Stop.CANCELLED : Stop.TIME_LIMIT;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
                pool.close();
            }
        }
        return result();
    }

    private CheckResult<S, A> result() {
        List<PropertyResult<S, A>> results = new ArrayList<>();
        for (int p = 0; p < properties.size(); p++) {
            Property<S> property = properties.get(p);
            boolean decided = decidedBy[p] != UNDECIDED;
            PropertyResult.Status status = switch (property.expectation()) {
                case ALWAYS -> decided ? PropertyResult.Status.VIOLATED : PropertyResult.Status.HOLDS_WITHIN_BOUNDS;
                case SOMETIMES -> decided ? PropertyResult.Status.REACHED : PropertyResult.Status.NOT_REACHED_WITHIN_BOUNDS;
            };
            Optional<Path<S, A>> path = decided ? Optional.of(trace(p)) : Optional.empty();
            results.add(new PropertyResult<>(property, status, path));
        }
        return new CheckResult<>(results, statistics(true));
    }

    private Path<S, A> trace(int p) {
        Path<S, A> path = Checker.replay(model, traceInitial[p], traceActions.get(p), (s, step) -> { },
                Search::notDeterministic);
        if (!properties.get(p).isDecidedBy(path.lastState())) {
            throw Search.notDeterministic("its last state " + path.lastState() + " no longer decides "
                    + properties.get(p).name());
        }
        return path;
    }

    private void search(ExecutorService pool, int threads) {
        int batch = strategy instanceof Strategy.RandomWalks ? 16 * threads : threads;
        for (int first = 0; first < runs(); first += batch) {
            Stop limit = limitReached();
            if (limit != null) {
                stop = limit;
                return;
            }
            int[] open = undecidedProperties();
            int last = Math.min(runs(), first + batch);
            List<Outcome> outcomes = new ArrayList<>();
            if (pool == null) {
                for (int r = first; r < last; r++) {
                    outcomes.add(runOne(r, open));
                }
            } else {
                List<Future<Outcome>> futures = new ArrayList<>();
                for (int r = first; r < last; r++) {
                    int run = r;
                    futures.add(pool.submit(() -> runOne(run, open)));
                }
                Throwable failure = null;
                for (Future<Outcome> f : futures) {
                    try {
                        outcomes.add(f.get());
                    } catch (ExecutionException e) {
                        failure = failure == null ? e.getCause() : failure;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new CancellationException("check interrupted");
                    }
                }
                if (failure instanceof Error error) {
                    throw error;
                }
                if (failure instanceof CancellationException c) {
                    throw c;
                }
                if (failure != null) {
                    throw new ModelException("model or property threw in run " + first + ".." + (last - 1), failure);
                }
            }
            for (Outcome o : outcomes) {
                if (!merge(o, open)) {
                    return;
                }
            }
            settings.progress().accept(statistics(false));
        }
    }

    /** Adds one run's outcome; false when the search stops with it. */
    private boolean merge(Outcome o, int[] open) {
        transitions += o.transitions();
        cut += o.cut();
        maxDepthReached = Math.max(maxDepthReached, o.maxDepth());
        for (int i = 0; i < o.stored(); i++) {
            long fp = o.fingerprints()[i];
            if (!seen.contains(fp, 0)) {
                if (distinct == settings.maxStates()) {
                    stop = Stop.STATE_BOUND;
                    return false;
                }
                seen.add(fp, 0);
                distinct++;
            }
        }
        boolean go = true;
        for (int p : open) {
            if (o.decidingPath().get(p) != null && decidedBy[p] == UNDECIDED) {
                decidedBy[p] = 0;
                traceInitial[p] = o.decidingInitial()[p];
                traceActions.set(p, o.decidingPath().get(p));
                undecided--;
                if (undecided == 0) {
                    stop = Stop.ALL_DECIDED;
                    go = false;
                } else if (go && settings.stopAtFirstViolation()
                        && properties.get(p).expectation() == Property.Expectation.ALWAYS) {
                    stop = Stop.FIRST_VIOLATION;
                    go = false;
                }
            }
        }
        return go;
    }

    private Outcome runOne(int run, int[] open) {
        return strategy instanceof Strategy.RandomWalks ? walk(run, open) : dfs(run, open);
    }

    /** Evaluates the open properties on a state reached by path; records the first decision of each. */
    private void check(S state, int initial, List<Integer> path, int[] open, int[] decidingInitial,
                       List<List<Integer>> decidingPath) {
        for (int p : open) {
            if (decidingPath.get(p) == null && properties.get(p).isDecidedBy(state)) {
                decidingInitial[p] = initial;
                decidingPath.set(p, List.copyOf(path));
            }
        }
    }

    private Outcome walk(int run, int[] open) {
        SplittableRandom random = random(run);
        int depth = depth();
        List<S> initial = model.initialStates();
        int initialIndex = random.nextInt(initial.size());
        S state = initial.get(initialIndex);
        StateEncoder encoder = new StateEncoder();
        long[] fingerprints = new long[Math.min(depth + 1, 1024)];
        int[] decidingInitial = new int[properties.size()];
        List<List<Integer>> decidingPath = new ArrayList<>(java.util.Collections.nCopies(properties.size(), null));
        List<Integer> path = new ArrayList<>();
        List<A> enabled = new ArrayList<>();
        long steps = 0;
        long cutHere = 0;
        int n = 0;
        while (true) {
            encoder.reset();
            model.encode(state, encoder);
            if (n == fingerprints.length) {
                fingerprints = Arrays.copyOf(fingerprints, n * 2);
            }
            fingerprints[n++] = encoder.fingerprint();
            check(state, initialIndex, path, open, decidingInitial, decidingPath);
            if (!model.withinBoundary(state)) {
                break;
            }
            enabled.clear();
            model.actions(state, enabled);
            if (path.size() == depth) {
                cutHere = enabled.isEmpty() ? 0 : 1;
                break;
            }
            // Try the actions in a random order until one has an effect.
            int[] order = shuffled(enabled.size(), random);
            S next = null;
            int chosen = -1;
            for (int a : order) {
                next = model.next(state, enabled.get(a));
                if (next != null) {
                    chosen = a;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            steps++;
            path.add(chosen);
            state = next;
        }
        return new Outcome(fingerprints, n, steps, cutHere, path.size(), decidingInitial, decidingPath);
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** One frame of the DFS stack: a state, its actions in this run's order, and the next to try. */
    private final class Frame {
        final S state;
        final List<A> enabled = new ArrayList<>();
        int[] order;
        int next;

        Frame(S state) {
            this.state = state;
        }
    }

    private Outcome dfs(int run, int[] open) {
        SplittableRandom random = random(run);
        int depth = depth();
        FingerprintTable visited = new FingerprintTable();
        StateEncoder encoder = new StateEncoder();
        long[] fingerprints = new long[1024];
        int stored = 0;
        long steps = 0;
        long cutHere = 0;
        int deepest = 0;
        int[] decidingInitial = new int[properties.size()];
        List<List<Integer>> decidingPath = new ArrayList<>(java.util.Collections.nCopies(properties.size(), null));
        List<S> initial = model.initialStates();
        List<Integer> path = new ArrayList<>();
        List<Frame> stack = new ArrayList<>();
        for (int i = 0; i < initial.size() && stored < settings.maxStates(); i++) {
            S root = initial.get(i);
            encoder.reset();
            model.encode(root, encoder);
            long rootFp = encoder.fingerprint();
            if (!visited.add(rootFp, 0)) {
                continue;
            }
            if (stored == fingerprints.length) {
                fingerprints = Arrays.copyOf(fingerprints, stored * 2);
            }
            fingerprints[stored++] = rootFp;
            check(root, i, path, open, decidingInitial, decidingPath);
            stack.add(new Frame(root));
            while (!stack.isEmpty()) {
                Frame top = stack.get(stack.size() - 1);
                if (top.order == null) {
                    if (!model.withinBoundary(top.state)) {
                        top.order = new int[0];
                    } else {
                        model.actions(top.state, top.enabled);
                        if (path.size() == depth) {
                            cutHere += top.enabled.isEmpty() ? 0 : 1;
                            top.order = new int[0];
                        } else {
                            top.order = shuffled(top.enabled.size(), random);
                        }
                    }
                }
                if (top.next == top.order.length) {
                    stack.remove(stack.size() - 1);
                    if (!path.isEmpty()) {
                        path.remove(path.size() - 1);
                    }
                    continue;
                }
                int a = top.order[top.next++];
                S next = model.next(top.state, top.enabled.get(a));
                if (next == null) {
                    continue;
                }
                steps++;
                encoder.reset();
                model.encode(next, encoder);
                long fp = encoder.fingerprint();
                if (visited.contains(fp, 0)) {
                    continue;
                }
                if (stored == settings.maxStates()) {
                    break;
                }
                if ((stored & 4095) == 0 && (settings.cancellation().isCancelled() || timeUp())) {
                    throw new CancellationException("stopped in run " + run);
                }
                visited.add(fp, 0);
                if (stored == fingerprints.length) {
                    fingerprints = Arrays.copyOf(fingerprints, stored * 2);
                }
                fingerprints[stored++] = fp;
                path.add(a);
                deepest = Math.max(deepest, path.size());
                check(next, i, path, open, decidingInitial, decidingPath);
                stack.add(new Frame(next));
            }
            stack.clear();
            path.clear();
        }
        return new Outcome(fingerprints, stored, steps, cutHere, deepest, decidingInitial, decidingPath);
    }

    private boolean timeUp() {
        return settings.timeLimit() != null && System.nanoTime() - startNanos >= settings.timeLimit().toNanos();
    }

    private int[] undecidedProperties() {
        int[] open = new int[undecided];
        for (int p = 0, n = 0; p < decidedBy.length; p++) {
            if (decidedBy[p] == UNDECIDED) {
                open[n++] = p;
            }
        }
        return open;
    }

    private Stop limitReached() {
        if (settings.cancellation().isCancelled()) {
            return Stop.CANCELLED;
        }
        if (timeUp()) {
            return Stop.TIME_LIMIT;
        }
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() - rt.freeMemory() > settings.memoryLimit()) {
            System.gc();
            if (rt.totalMemory() - rt.freeMemory() > settings.memoryLimit()) {
                return Stop.MEMORY_LIMIT;
            }
        }
        return null;
    }

    private Statistics statistics(boolean finished) {
        return new Statistics(distinct, transitions, maxDepthReached, cut, stop, false, 0,
                Duration.ofNanos(System.nanoTime() - startNanos), strategy, 64, Double.NaN, Double.NaN,
                seen.bytes(), 0);
    }
}
