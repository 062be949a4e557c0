package dev.mmcheck.checker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One run of the breadth-first search described in {@link Checker}. All bookkeeping (visited set, parent links,
 * verdicts, counters) lives in this object, created per {@link Checker#check()}, so checks never share state.
 *
 * <p>The frontier is the list of state objects of the current level. Their ids need no array: ids are handed out
 * in admission order, so a level's states have consecutive ids and frontier position i has id {@code firstId + i}.
 *
 * <p>Each level is processed in blocks of {@link #BLOCK} frontier states. A block is first expanded, in parallel
 * over contiguous slices with several threads, by workers that only read the visited set: they compute
 * successors, drop those already visited, and evaluate the undecided properties on the rest. Then this thread
 * merges the slices in frontier order, so ids, parents and verdicts come out as with one thread. Blocks keep the
 * unmerged successors small and let a search that hits a bound stop without expanding the rest of the level.
 */
final class Search<S, A> {
    private static final int BLOCK = 4096;
    private static final int UNDECIDED = -1;

    /** A successor a worker did not find in the visited set; {@code decides} is null when it decides nothing. */
    private record Successor<S>(long fingerprint, int actionIndex, S state, BitSet decides) {
    }

    /** What one worker produced for frontier positions {@code [from, from + count)}, in frontier order. */
    private static final class Expansion<S> {
        final int from;
        final int[] transitions;
        final boolean[] cutByDepth;
        /** successorsEnd[k]: end in {@code successors} of the new successors of frontier state from + k. */
        final int[] successorsEnd;
        final List<Successor<S>> successors = new ArrayList<>();

        Expansion(int from, int count) {
            this.from = from;
            this.transitions = new int[count];
            this.cutByDepth = new boolean[count];
            this.successorsEnd = new int[count];
        }
    }

    private final Model<S, A> model;
    private final List<Property<S>> properties;
    private final int maxDepth;
    private final int maxStates;
    private final int threads;
    private final Consumer<? super Statistics> progress;
    private final Duration timeLimit;
    private final long memoryLimit;
    private final Cancellation cancellation;

    private final FingerprintTable visited = new FingerprintTable();
    private final ParentLinks links = new ParentLinks();
    /** Per property: the id of the first state that decided it, or UNDECIDED. */
    private final int[] decidedBy;
    private int undecided;
    private long transitions;
    private long statesCutByDepth;
    private int maxDepthReached;
    private Stop stop = Stop.COMPLETE;
    private long frontier;
    private long startNanos;
    private long lastCollectionNanos;

    Search(Model<S, A> model, Checker.Settings<S> settings) {
        this.model = model;
        this.properties = settings.properties();
        this.maxDepth = settings.maxDepth();
        this.maxStates = settings.maxStates();
        this.threads = settings.threads();
        this.progress = settings.progress();
        this.timeLimit = settings.timeLimit();
        this.memoryLimit = settings.memoryLimit();
        this.cancellation = settings.cancellation();
        this.decidedBy = new int[properties.size()];
        Arrays.fill(decidedBy, UNDECIDED);
        this.undecided = properties.size();
    }

    CheckResult<S, A> run() {
        startNanos = System.nanoTime();
        ExecutorService pool = threads == 1 ? null
                : Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("mmcheck-worker-", 0).daemon().factory());
        try {
            explore(pool);
        } catch (OutOfMemoryError e) {
            // The frontier and the unmerged successors die with explore(); the visited set and the parent links
            // are consistent (they grow atomically), so decided verdicts and their traces stand.
            stop = Stop.MEMORY_LIMIT;
        } finally {
            if (pool != null) {
                // After a failure other workers may still be inside the model: stop them and wait, so that no
                // thread of this check outlives it.
                pool.shutdownNow();
                pool.close();
            }
        }
        Statistics statistics = statistics(true);
        List<PropertyResult<S, A>> results = new ArrayList<>();
        for (int p = 0; p < properties.size(); p++) {
            results.add(verdict(p));
        }
        return new CheckResult<>(results, statistics);
    }

    private void explore(ExecutorService pool) {
        List<S> level = new ArrayList<>();
        if (!admitInitialStates(level)) {
            return;
        }
        int firstId = 0;
        for (int depth = 0; !level.isEmpty(); depth++) {
            int nextFirstId = visited.size();
            List<S> nextLevel = new ArrayList<>();
            for (int from = 0; from < level.size(); from += BLOCK) {
                Stop limit = limitReached();
                if (limit != null) {
                    stop = limit;
                    return;
                }
                List<Expansion<S>> slices = expand(pool, level, from, Math.min(level.size(), from + BLOCK), depth);
                if (!merge(slices, firstId, depth + 1, nextLevel)) {
                    return;
                }
                frontier = level.size() - Math.min(level.size(), from + BLOCK) + nextLevel.size();
                progress.accept(statistics(false));
            }
            level = nextLevel;
            firstId = nextFirstId;
        }
    }

    private boolean admitInitialStates(List<S> level) {
        List<S> initial = model.initialStates();
        StateEncoder encoder = new StateEncoder();
        int[] open = undecidedProperties();
        for (int i = 0; i < initial.size(); i++) {
            S state = initial.get(i);
            Successor<S> root = new Successor<>(fingerprint(encoder, state), i, state, decisions(state, open));
            if (!admit(root, ParentLinks.ROOT, 0, level)) {
                return false;
            }
        }
        return true;
    }

    /** Expands frontier positions [from, to): inline with one thread, else in one contiguous slice per thread. */
    private List<Expansion<S>> expand(ExecutorService pool, List<S> level, int from, int to, int depth) {
        int[] open = undecidedProperties();
        if (pool == null) {
            return List.of(expandSlice(level, from, to, depth, open));
        }
        int slices = Math.min(threads, to - from);
        List<Future<Expansion<S>>> futures = new ArrayList<>(slices);
        for (int t = 0; t < slices; t++) {
            int sliceFrom = from + (to - from) * t / slices;
            int sliceTo = from + (to - from) * (t + 1) / slices;
            futures.add(pool.submit(() -> expandSlice(level, sliceFrom, sliceTo, depth, open)));
        }
        List<Expansion<S>> result = new ArrayList<>(slices);
        // Waiting in slice order makes the reported failure the first in frontier order, as with one thread.
        for (Future<Expansion<S>> future : futures) {
            try {
                result.add(future.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new ModelException("model or property threw while expanding depth " + depth, e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("check interrupted");
            }
        }
        return result;
    }

    /** Worker side: reads the visited set and the model, writes only its own Expansion. */
    private Expansion<S> expandSlice(List<S> level, int from, int to, int depth, int[] open) {
        Expansion<S> out = new Expansion<>(from, to - from);
        StateEncoder encoder = new StateEncoder();
        List<A> enabled = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int k = i - from;
            S state = level.get(i);
            if (model.withinBoundary(state)) {
                enabled.clear();
                model.actions(state, enabled);
                if (depth == maxDepth) {
                    out.cutByDepth[k] = !enabled.isEmpty();
                } else {
                    for (int a = 0; a < enabled.size(); a++) {
                        S next = model.next(state, enabled.get(a));
                        if (next == null) {
                            continue;
                        }
                        out.transitions[k]++;
                        long fingerprint = fingerprint(encoder, next);
                        if (visited.get(fingerprint) == FingerprintTable.ABSENT) {
                            out.successors.add(new Successor<>(fingerprint, a, next, decisions(next, open)));
                        }
                    }
                }
            }
            out.successorsEnd[k] = out.successors.size();
        }
        return out;
    }

    /** Merges worker output in frontier order; false when the search must stop. */
    private boolean merge(List<Expansion<S>> slices, int firstId, int depth, List<S> nextLevel) {
        for (Expansion<S> slice : slices) {
            int s = 0;
            for (int k = 0; k < slice.transitions.length; k++) {
                transitions += slice.transitions[k];
                statesCutByDepth += slice.cutByDepth[k] ? 1 : 0;
                int parentId = firstId + slice.from + k;
                for (; s < slice.successorsEnd[k]; s++) {
                    if (!admit(slice.successors.get(s), parentId, depth, nextLevel)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Stores a state unless already visited and decides properties on it; false when the search must stop. */
    private boolean admit(Successor<S> candidate, int parentId, int depth, List<S> level) {
        // A worker checked the visited set as it was before this merge; a sibling may have added the state since.
        if (visited.get(candidate.fingerprint()) != FingerprintTable.ABSENT) {
            return true;
        }
        if (visited.size() == maxStates) {
            stop = Stop.STATE_BOUND;
            return false;
        }
        int id = visited.size();
        // Links first: if the visited set then fails to grow, the extra link is never read.
        links.add(parentId, candidate.actionIndex());
        visited.put(candidate.fingerprint(), id);
        level.add(candidate.state());
        maxDepthReached = depth;
        BitSet decides = candidate.decides();
        for (int p = decides == null ? -1 : decides.nextSetBit(0); p >= 0; p = decides.nextSetBit(p + 1)) {
            if (decidedBy[p] == UNDECIDED) {
                decidedBy[p] = id;
                undecided--;
            }
        }
        if (undecided == 0 && !properties.isEmpty()) {
            stop = Stop.ALL_DECIDED;
            return false;
        }
        return true;
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

    private BitSet decisions(S state, int[] open) {
        BitSet decides = null;
        for (int p : open) {
            if (properties.get(p).isDecidedBy(state)) {
                decides = decides == null ? new BitSet(properties.size()) : decides;
                decides.set(p);
            }
        }
        return decides;
    }

    private long fingerprint(StateEncoder encoder, S state) {
        encoder.reset();
        model.encode(state, encoder);
        return encoder.fingerprint();
    }

    /** The limit the search has reached, or null: checked between blocks, so a stop leaves no block half merged. */
    private Stop limitReached() {
        if (cancellation.isCancelled()) {
            return Stop.CANCELLED;
        }
        long now = System.nanoTime();
        if (timeLimit != null && now - startNanos >= timeLimit.toNanos()) {
            return Stop.TIME_LIMIT;
        }
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() - rt.freeMemory() > memoryLimit) {
            // The heap holds garbage too: only a full collection says what is live. At most one every 5 s.
            if (now - lastCollectionNanos < 5_000_000_000L) {
                return null;
            }
            System.gc();
            lastCollectionNanos = System.nanoTime();
            if (rt.totalMemory() - rt.freeMemory() > memoryLimit) {
                return Stop.MEMORY_LIMIT;
            }
        }
        return null;
    }

    private Statistics statistics(boolean finished) {
        boolean exhaustive = finished && stop == Stop.COMPLETE && statesCutByDepth == 0;
        return new Statistics(visited.size(), transitions, maxDepthReached, statesCutByDepth, stop, exhaustive,
                finished ? 0 : frontier, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private PropertyResult<S, A> verdict(int p) {
        Property<S> property = properties.get(p);
        boolean decided = decidedBy[p] != UNDECIDED;
        PropertyResult.Status status = switch (property.expectation()) {
            case ALWAYS -> decided ? PropertyResult.Status.VIOLATED : PropertyResult.Status.HOLDS_WITHIN_BOUNDS;
            case SOMETIMES -> decided ? PropertyResult.Status.REACHED : PropertyResult.Status.NOT_REACHED_WITHIN_BOUNDS;
        };
        return new PropertyResult<>(property, status, decided ? Optional.of(trace(decidedBy[p])) : Optional.empty());
    }

    /**
     * Rebuilds the trace to state id by replaying its recorded action indices through the model, checking at every
     * step that the replayed state has the fingerprint of the state recorded there.
     */
    private Path<S, A> trace(int id) {
        List<Integer> ids = new ArrayList<>();
        List<Integer> actionIndices = new ArrayList<>();
        int at = id;
        for (; links.parent(at) != ParentLinks.ROOT; at = links.parent(at)) {
            ids.add(at);
            actionIndices.add(links.action(at));
        }
        ids.add(at);
        Collections.reverse(ids);
        Collections.reverse(actionIndices);
        StateEncoder encoder = new StateEncoder();
        return Checker.replay(model, links.action(at), actionIndices, (state, step) -> {
            if (visited.get(fingerprint(encoder, state)) != ids.get(step)) {
                throw notDeterministic("step " + step + " gave " + state + ", not the state the search recorded");
            }
        }, Search::notDeterministic);
    }

    private static IllegalStateException notDeterministic(String detail) {
        return new IllegalStateException("model is not deterministic: replaying the trace, " + detail);
    }
}
