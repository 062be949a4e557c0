package dev.mmcheck.checker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One run of the breadth-first search described in {@link Checker} (also with a bitstate visited set). All
 * bookkeeping (visited set, parent links, frontier, verdicts, counters) lives in this object, created per
 * {@link Checker#check()}, so checks never share state.
 *
 * <p>Ids are handed out in admission order, so a level's states have consecutive ids and level position i has id
 * {@code firstId + i}; the frontier needs no ids. Each level is processed in blocks of {@link #BLOCK} states, and
 * each block in three parallel phases with the checking thread in between:
 *
 * <table>
 * <caption>The phases of one block</caption>
 * <tr><th>Phase</th><th>Who</th><th>What</th></tr>
 * <tr><td>1. expand</td><td>one task per source (a contiguous slice of the block)</td>
 *     <td>decode each state, compute its successors and their fingerprints, drop those the visited set holds
 *     (it is read-only in this phase) and keep the others as candidates, in (parent, action) order</td></tr>
 * <tr><td>2. insert</td><td>one task per thread; thread t owns the visited-set partitions p with p % threads == t</td>
 *     <td>walk all candidates in (parent, action) order and insert those of its partitions: the first candidate
 *     with a fingerprint wins, so each new state is won by its first occurrence in BFS order whatever the thread
 *     count</td></tr>
 * <tr><td>3. evaluate</td><td>one task per source</td>
 *     <td>evaluate the undecided properties once on each winner, noting per property the first winner that decides
 *     it, and pack the winners into a chunk of the next level</td></tr>
 * <tr><td>commit</td><td>the checking thread</td>
 *     <td>rank the winners in (parent, action) order; find the first stop (state bound, every property decided,
 *     first violation); give ids and parent links to the winners before it; append the chunks to the next
 *     level</td></tr>
 * </table>
 *
 * <p>The commit only copies a few ints a state, so the threads do nearly all the work; and since the winners and
 * their order do not depend on who computed what, ids, verdicts, counts and traces are those of one thread.
 *
 * <p>With sleep sets ({@link Model#sleepIds} above 0), phase 1 skips the actions asleep in the state it expands and
 * gives each successor the sleep set its transition leaves (what slept or ran before, among the actions whose
 * {@link Model#footprint footprints} are disjoint from the one taken); a successor dropped as visited or repeated keeps
 * its set for phase 2. Phase 2 enters each new state's set in the next level's {@link SleepSets} and intersects the
 * others' into theirs (a state of an older level has no entry there and is left alone), after all the block's new
 * states are entered; the commit records the new states' fingerprints in level order, by which the next level finds
 * each state's set when it expands it. Intersection does not depend on order, so the thread count changes nothing.
 * The level at the depth bound is never expanded and keeps no sets.
 */
final class Search<S, A> {
    /** Frontier states per block and thread: larger blocks with more threads make the phases' barriers rarer. */
    static final int BLOCK = 4096;
    /** Sources per thread in a block: more, smaller slices even out the threads' work. */
    private static final int SOURCES_PER_THREAD = 4;
    private static final int UNDECIDED = -1;

    private final Model<S, A> model;
    private final Checker.Settings<S> settings;
    private final List<Property<S>> properties;
    private final int maxDepth;
    private final int maxStates;
    private final int threads;
    private final Consumer<? super Statistics> progress;
    private final boolean packed;
    private final boolean wide;
    /** Longs in a sleep set: 0 without partial-order reduction ({@link Model#sleepIds}). */
    private final int sleepWords;

    private final VisitedSet visited;
    private final ParentLinks links = new ParentLinks();
    private final List<Source> sources = new ArrayList<>();
    /** Per property: the id of the first state that decided it, or UNDECIDED. */
    private final int[] decidedBy;
    private int undecided;
    private int admitted;
    private long transitions;
    private long statesCutByDepth;
    private int maxDepthReached;
    private Stop stop = Stop.COMPLETE;
    private long frontier;
    private long startNanos;
    private long lastCollectionNanos;
    private Level<S> level;
    private Level<S> nextLevel;
    /** With sleep sets: the sleep sets of the level being expanded and of the next one, and their fingerprints by position. */
    private SleepSets sleeping;
    private SleepSets nextSleeping;
    private LongList levelFingerprints;
    private LongList nextFingerprints;
    /** Whether the next level's sleep sets are kept: not when it is the depth bound's, which is never expanded. */
    private boolean keepSleepSets;
    /** Wall time in expand, insert, evaluate and commit, printed when the system property mmcheck.phases is set. */
    private final long[] phaseNanos = new long[4];

    Search(Model<S, A> model, Checker.Settings<S> settings) {
        this.model = model;
        this.settings = settings;
        this.properties = settings.properties();
        this.maxDepth = settings.maxDepth();
        this.maxStates = settings.maxStates();
        this.threads = settings.threads();
        this.progress = settings.progress();
        this.packed = settings.packedFrontier() && model.canDecode();
        this.wide = settings.fingerprintBits() == 128;
        this.sleepWords = (model.sleepIds() + 63) / 64;
        this.visited = settings.strategy() instanceof Strategy.Bitstate b ? new BitstateSet(b.bits())
                : new FingerprintTable(settings.fingerprintBits());
        this.decidedBy = new int[properties.size()];
        Arrays.fill(decidedBy, UNDECIDED);
        this.undecided = properties.size();
        int n = threads == 1 ? 1 : threads * SOURCES_PER_THREAD;
        for (int s = 0; s < n; s++) {
            sources.add(new Source());
        }
    }

    /**
     * What one source, frontier positions [from, to), produced in a block. Reused from block to block, so its
     * buffers grow to the largest block and stay.
     */
    private final class Source {
        int from;
        int to;
        int[] transitions = new int[0];
        boolean[] cut = new boolean[0];
        /** Candidates: successors absent from the visited set when the block started, in (parent, action) order. */
        int count;
        long[] fingerprints = new long[64];
        long[] fingerprints2 = new long[64];
        int[] parents = new int[64];
        int[] actions = new int[64];
        Object[] states = new Object[64];
        /** Packed: candidate c's words are words[c == 0 ? 0 : ends[c - 1], ends[c]). */
        int[] ends = new int[64];
        int[] words = new int[1024];
        byte[] won = new byte[64];
        /**
         * The fingerprints (both words) this source has met in the block, in a small table that stays in cache: a
         * candidate that repeats one is dropped as it comes, keeping the first of each in (parent, action) order, so
         * phase 2 probes the large visited set once per distinct new state of the source rather than once per way of
         * reaching it.
         */
        long[] seen = new long[64];
        long[] seen2 = new long[64];
        int seenCount;
        /** The properties still undecided when the block started. */
        int[] open = new int[0];
        /**
         * Early evaluation (one thread, a packed frontier and at most 64 open properties): the properties are
         * evaluated on each new candidate as soon as its parent's successors are probed, while the state is still in
         * cache and before it can age into the old generation; bit i of {@code decides[c]} says whether candidate c
         * decides {@code open[i]}, and the state object is dropped at once. Repeats were dropped first, and with one
         * source every candidate left is a new state: still one evaluation per new state. With several sources a
         * candidate may lose to another source's in phase 2, so they evaluate in phase 3, after it, on the state
         * objects kept for the block.
         */
        boolean early;
        long[] decides = new long[64];
        /**
         * With sleep sets: candidate c's sleep set is {@code sleepSets[c * sleepWords, (c + 1) * sleepWords)}; the
         * successors that phase 1 dropped as visited or repeated keep theirs in {@code revisit*}, for phase 2 to
         * intersect into the state's set if the state is of the next level.
         */
        long[] sleepSets = new long[64 * sleepWords];
        int revisits;
        long[] revisitFingerprints = new long[16];
        long[] revisitSets = new long[16 * sleepWords];
        final long[] asleep = new long[sleepWords];
        final long[] done = new long[sleepWords];
        int[] ids = new int[16];
        int[] independent = new int[16];
        long[] footprints = new long[16];
        /** Phase 3: winners in order (candidate indices), the first winner deciding each property, the chunk. */
        int winners;
        int[] winnerCandidates = new int[64];
        int[] firstDecider = new int[properties.size()];
        Level.Chunk chunk;
        final StateEncoder encoder = packed ? StateEncoder.withDetail() : new StateEncoder();
        final List<A> enabled = new ArrayList<>();

        void reset(int from, int to) {
            this.from = from;
            this.to = to;
            int n = to - from;
            if (transitions.length < n) {
                transitions = new int[n];
                cut = new boolean[n];
            } else {
                Arrays.fill(transitions, 0, n, 0);
                Arrays.fill(cut, 0, n, false);
            }
            count = 0;
            winners = 0;
            revisits = 0;
            chunk = null;
        }

        void addCandidate(long fp, long fp2, int parent, int action, S state) {
            if (count == fingerprints.length) {
                int capacity = count * 2;
                fingerprints = Arrays.copyOf(fingerprints, capacity);
                fingerprints2 = Arrays.copyOf(fingerprints2, capacity);
                parents = Arrays.copyOf(parents, capacity);
                actions = Arrays.copyOf(actions, capacity);
                decides = Arrays.copyOf(decides, capacity);
                states = Arrays.copyOf(states, capacity);
                ends = Arrays.copyOf(ends, capacity);
                won = Arrays.copyOf(won, capacity);
                sleepSets = Arrays.copyOf(sleepSets, capacity * sleepWords);
            }
            fingerprints[count] = fp;
            fingerprints2[count] = fp2;
            parents[count] = parent;
            actions[count] = action;
            // a packed frontier keeps no object past the block: early evaluation drops it after its parent's probes;
            // otherwise phase 3 evaluates the winners on it (decoding them from their words would cost more than the
            // block's objects weigh: they die young) and drops them all
            states[count] = state;
            if (packed) {
                int start = count == 0 ? 0 : ends[count - 1];
                int end = start + encoder.size();
                if (end > words.length) {
                    words = Arrays.copyOf(words, Math.max(end, words.length * 2));
                }
                encoder.copyTo(words, start);
                ends[count] = end;
            }
            count++;
        }

        /** Phase 1. */
        Source expand(int depth, int[] open) {
            this.open = open;
            this.early = packed && open.length <= 64 && sources.size() == 1;
            Arrays.fill(seen, 0L);
            seenCount = 0;
            int c = level.chunkOf(from);
            Level.Chunk chunk = level.chunk(c);
            int i = from - level.start(c);
            for (int position = from; position < to; position++, i++) {
                if (i == chunk.count) {
                    chunk = level.chunk(++c);
                    i = 0;
                }
                S state = Level.state(chunk, i, model);
                int k = position - from;
                if (!model.withinBoundary(state)) {
                    continue;
                }
                enabled.clear();
                if (depth == maxDepth) {
                    cut[k] = model.anyAction(state, enabled);
                    continue;
                }
                model.actions(state, enabled);
                // All successors first, then their visited-set probes in one tight loop: the probes are
                // independent, so the processor overlaps their cache misses.
                int first = count;
                if (sleepWords > 0) {
                    successorsAwake(state, k, levelFingerprints.get(position));
                } else {
                    for (int a = 0; a < enabled.size(); a++) {
                        successor(state, k, a);
                    }
                }
                transitions[k] = count - first;
                for (int n = first; n < count; n++) {
                    won[n] = visited.contains(fingerprints[n], fingerprints2[n]) ? (byte) 0 : (byte) 1;
                    if (keepSleepSets && won[n] == 0) revisit(n);
                }
                for (int n = first; n < count; n++) {
                    if (won[n] != 0 && !firstSeen(fingerprints[n], fingerprints2[n])) {
                        won[n] = 0;
                        if (keepSleepSets) revisit(n);
                    }
                }
                dropVisited(first);
                if (early) {
                    for (int n = first; n < count; n++) {
                        @SuppressWarnings("unchecked")
                        S fresh = (S) states[n];
                        long mask = 0;
                        for (int o = 0; o < open.length; o++) {
                            if (properties.get(open[o]).isDecidedBy(fresh)) mask |= 1L << o;
                        }
                        decides[n] = mask;
                        states[n] = null;
                    }
                }
            }
            return this;
        }

        /**
         * The successors of state (level fingerprint {@code fingerprint}) by the actions not asleep in it, each with
         * its sleep set: the actions asleep in state or executed before it, among those independent of it (their
         * footprints disjoint). An action that returns no successor is not executed and does not go to sleep.
         */
        private void successorsAwake(S state, int k, long fingerprint) {
            int n = enabled.size();
            if (ids.length < n) {
                ids = new int[Math.max(n, ids.length * 2)];
                footprints = new long[ids.length];
                independent = new int[ids.length];
            }
            sleeping.get(fingerprint, asleep);
            Arrays.fill(done, 0L);
            model.sleepInfo(state, enabled, ids, footprints);
            // the actions that can be independent of another here: only they can sleep in a successor
            int candidates = 0;
            for (int j = 0; j < n; j++) {
                if (ids[j] >= 0 && footprints[j] != Model.ANY) independent[candidates++] = j;
            }
            for (int a = 0; a < n; a++) {
                int id = ids[a];
                if (id >= 0 && has(asleep, id)) {
                    continue;
                }
                if (!successor(state, k, a)) {
                    continue;
                }
                int at = (count - 1) * sleepWords;
                Arrays.fill(sleepSets, at, at + sleepWords, 0L);
                long fa = footprints[a];
                if (fa != Model.ANY && keepSleepSets) {
                    for (int c = 0; c < candidates; c++) {
                        int j = independent[c];
                        int other = ids[j];
                        if ((footprints[j] & fa) == 0 && (has(asleep, other) || has(done, other))) {
                            sleepSets[at + (other >>> 6)] |= 1L << other;
                        }
                    }
                }
                if (id >= 0) {
                    done[id >>> 6] |= 1L << id;
                }
            }
        }

        /** Adds the successor of state (frontier slot k) by enabled action a as a candidate; false if there is none. */
        private boolean successor(S state, int k, int a) {
            S next = model.next(state, enabled.get(a));
            if (next == null) {
                return false;
            }
            encoder.reset();
            model.encode(next, encoder);
            addCandidate(encoder.fingerprint(), wide ? encoder.fingerprint2() : 0, k, a, next);
            return true;
        }

        /** Keeps candidate c's fingerprint and sleep set for phase 2 before it is dropped. */
        private void revisit(int c) {
            if (revisits == revisitFingerprints.length) {
                revisitFingerprints = Arrays.copyOf(revisitFingerprints, revisits * 2);
                revisitSets = Arrays.copyOf(revisitSets, revisits * 2 * sleepWords);
            }
            revisitFingerprints[revisits] = fingerprints[c];
            System.arraycopy(sleepSets, c * sleepWords, revisitSets, revisits * sleepWords, sleepWords);
            revisits++;
        }

        /** True the first time this source meets a fingerprint in the block (then remembers it). */
        private boolean firstSeen(long fp, long fp2) {
            if ((seenCount + 1) * 2 > seen.length) {
                long[] oldSeen = seen;
                long[] oldSeen2 = seen2;
                seen = new long[oldSeen.length * 2];
                seen2 = new long[oldSeen.length * 2];
                seenCount = 0;
                for (int i = 0; i < oldSeen.length; i++) {
                    if (oldSeen[i] != 0) put(oldSeen[i], oldSeen2[i]);
                }
            }
            long key = fp == 0 ? 1 : fp;
            int mask = seen.length - 1;
            for (int slot = (int) (key ^ (key >>> 32)) & mask; seen[slot] != 0; slot = (slot + 1) & mask) {
                // with 128-bit fingerprints, equal first words are a repeat only if the second words are equal too
                if (seen[slot] == key && (!wide || seen2[slot] == fp2)) return false;
            }
            put(key, fp2);
            return true;
        }

        private void put(long key, long fp2) {
            int mask = seen.length - 1;
            int slot = (int) (key ^ (key >>> 32)) & mask;
            while (seen[slot] != 0) slot = (slot + 1) & mask;
            seen[slot] = key;
            seen2[slot] = fp2;
            seenCount++;
        }

        /** Removes the candidates from {@code first} on that phase 1 found visited (won[c] == 0), keeping order. */
        private void dropVisited(int first) {
            int kept = first;
            int wordsAt = first == 0 ? 0 : ends[first - 1];
            for (int c = first; c < count; c++) {
                if (won[c] == 0) {
                    states[c] = null;
                    continue;
                }
                if (packed) {
                    int start = c == 0 ? 0 : ends[c - 1];
                    int length = ends[c] - start;
                    System.arraycopy(words, start, words, wordsAt, length);
                    wordsAt += length;
                    ends[kept] = wordsAt;
                }
                if (kept != c) {
                    if (sleepWords > 0) {
                        System.arraycopy(sleepSets, c * sleepWords, sleepSets, kept * sleepWords, sleepWords);
                    }
                    fingerprints[kept] = fingerprints[c];
                    fingerprints2[kept] = fingerprints2[c];
                    parents[kept] = parents[c];
                    actions[kept] = actions[c];
                    decides[kept] = decides[c];
                    states[kept] = states[c];
                    states[c] = null;
                }
                kept++;
            }
            count = kept;
        }

        /** Phase 3, for the properties {@link #expand} was given. */
        Source evaluate() {
            Arrays.fill(firstDecider, -1);
            if (winnerCandidates.length < count) {
                winnerCandidates = new int[fingerprints.length];
            }
            int wordCount = 0;
            for (int c = 0; c < count; c++) {
                if (won[c] != 0) {
                    winnerCandidates[winners++] = c;
                    wordCount += packed ? ends[c] - (c == 0 ? 0 : ends[c - 1]) : 0;
                }
            }
            int[] chunkWords = packed ? new int[wordCount] : null;
            int[] chunkEnds = packed ? new int[winners] : null;
            Object[] chunkStates = packed ? null : new Object[winners];
            int at = 0;
            for (int r = 0; r < winners; r++) {
                int c = winnerCandidates[r];
                int start = c == 0 ? 0 : ends[c - 1];
                if (early) {
                    long mask = decides[c];
                    for (int i = 0; mask != 0 && i < open.length; i++) {
                        if ((mask & (1L << i)) != 0 && firstDecider[open[i]] < 0) {
                            firstDecider[open[i]] = r;
                        }
                    }
                } else {
                    @SuppressWarnings("unchecked")
                    S state = (S) states[c];
                    for (int p : open) {
                        if (firstDecider[p] < 0 && properties.get(p).isDecidedBy(state)) {
                            firstDecider[p] = r;
                        }
                    }
                }
                if (packed) {
                    System.arraycopy(words, start, chunkWords, at, ends[c] - start);
                    at += ends[c] - start;
                    chunkEnds[r] = at;
                } else {
                    chunkStates[r] = states[c];
                }
            }
            Arrays.fill(states, 0, count, null);
            if (winners > 0) {
                chunk = packed ? Level.Chunk.packed(chunkWords, chunkEnds, winners) : Level.Chunk.objects(chunkStates);
            }
            return this;
        }

        long bytes() {
            return 8L * fingerprints.length * 2 + 4L * (parents.length + actions.length + ends.length + words.length)
                    + 4L * states.length + won.length + 4L * winnerCandidates.length + 5L * transitions.length
                    + 8L * (seen.length + seen2.length + decides.length)
                    + 8L * (sleepSets.length + revisitFingerprints.length + revisitSets.length);
        }
    }

    CheckResult<S, A> run() {
        startNanos = System.nanoTime();
        ExecutorService pool = threads == 1 ? null
                : Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("mmcheck-worker-", 0).daemon().factory());
        try {
            explore(pool);
        } catch (OutOfMemoryError e) {
            // The frontier and the unmerged candidates die with explore(); the visited set and the parent links
            // are consistent (they grow atomically), so decided verdicts and their traces stand.
            stop = Stop.MEMORY_LIMIT;
        } finally {
            if (pool != null) {
                // After a failure other workers may still be inside the model: stop them and wait, so that no
                // thread of this check outlives it.
                pool.shutdownNow();
                pool.close();
            }
            frontier = (level == null ? 0 : level.size()) + (nextLevel == null ? 0 : nextLevel.size());
            closeLevels();
        }
        if (Boolean.getBoolean("mmcheck.phases")) {
            System.err.printf("search phases (ms): expand %d, insert %d, evaluate %d, commit %d, total %d%n",
                    phaseNanos[0] / 1_000_000, phaseNanos[1] / 1_000_000, phaseNanos[2] / 1_000_000,
                    phaseNanos[3] / 1_000_000, (System.nanoTime() - startNanos) / 1_000_000);
        }
        Statistics statistics = statistics(true);
        List<PropertyResult<S, A>> results = new ArrayList<>();
        for (int p = 0; p < properties.size(); p++) {
            results.add(verdict(p));
        }
        return new CheckResult<>(results, statistics);
    }

    private void closeLevels() {
        if (level != null) {
            level.close();
        }
        if (nextLevel != null) {
            nextLevel.close();
        }
    }

    private Level<S> newLevel() {
        return new Level<>(settings.frontierBudget(), settings.spillDirectory());
    }

    private void explore(ExecutorService pool) {
        level = newLevel();
        if (!admitInitialStates()) {
            return;
        }
        int firstId = 0;
        for (int depth = 0; level.size() > 0; depth++) {
            int nextFirstId = admitted;
            nextLevel = newLevel();
            keepSleepSets = sleepWords > 0 && depth + 1 < maxDepth;
            if (keepSleepSets) {
                nextSleeping = new SleepSets(sleepWords);
                nextFingerprints = new LongList();
            }
            int block = BLOCK * threads;
            for (int from = 0; from < level.size(); from += block) {
                Stop limit = limitReached();
                if (limit != null) {
                    stop = limit;
                    return;
                }
                int to = Math.min(level.size(), from + block);
                level.prepare(from, to);
                if (!expandBlock(pool, from, to, firstId, depth)) {
                    return;
                }
                frontier = level.size() - to + nextLevel.size();
                progress.accept(statistics(false));
            }
            level.close();
            level = nextLevel;
            nextLevel = null;
            sleeping = nextSleeping;
            levelFingerprints = nextFingerprints;
            nextSleeping = null;
            nextFingerprints = null;
            firstId = nextFirstId;
        }
    }

    private boolean admitInitialStates() {
        List<S> initial = model.initialStates();
        StateEncoder encoder = packed ? StateEncoder.withDetail() : new StateEncoder();
        int[] open = undecidedProperties();
        List<S> states = new ArrayList<>();
        List<int[]> encodings = new ArrayList<>();
        if (sleepWords > 0) {
            // nothing sleeps in an initial state
            sleeping = new SleepSets(sleepWords);
            levelFingerprints = new LongList();
        }
        boolean go = true;
        for (int i = 0; i < initial.size() && go; i++) {
            S state = initial.get(i);
            encoder.reset();
            model.encode(state, encoder);
            long fp = encoder.fingerprint();
            long fp2 = wide ? encoder.fingerprint2() : 0;
            if (!visited.add(fp, fp2)) {
                continue;
            }
            if (admitted == maxStates) {
                stop = Stop.STATE_BOUND;
                return false;
            }
            int id = admitted++;
            links.add(ParentLinks.ROOT, i);
            if (sleepWords > 0) {
                levelFingerprints.add(fp);
            }
            states.add(state);
            if (packed) {
                int[] words = new int[encoder.size()];
                encoder.copyTo(words, 0);
                checkDecode(state, words, fp, encoder);
                encodings.add(words);
            }
            for (int p : open) {
                if (decidedBy[p] == UNDECIDED && properties.get(p).isDecidedBy(state)) {
                    go = decide(p, id);
                    if (!go) {
                        break;
                    }
                }
            }
        }
        if (packed) {
            int total = encodings.stream().mapToInt(w -> w.length).sum();
            int[] words = new int[total];
            int[] ends = new int[encodings.size()];
            int at = 0;
            for (int i = 0; i < encodings.size(); i++) {
                System.arraycopy(encodings.get(i), 0, words, at, encodings.get(i).length);
                at += encodings.get(i).length;
                ends[i] = at;
            }
            level.add(Level.Chunk.packed(words, ends, ends.length));
        } else {
            level.add(Level.Chunk.objects(states.toArray()));
        }
        return go;
    }

    /** A model whose decode does not invert its encode would explore other states than it means: say so at once. */
    private void checkDecode(S state, int[] words, long fingerprint, StateEncoder encoder) {
        S decoded = model.decode(words, 0, words.length);
        encoder.reset();
        model.encode(decoded, encoder);
        if (encoder.fingerprint() != fingerprint) {
            throw new IllegalStateException("model decode does not invert encode: initial state " + state
                    + " decodes to " + decoded);
        }
    }

    /** Records that state id decides property p; false if that ends the search. */
    private boolean decide(int p, int id) {
        decidedBy[p] = id;
        undecided--;
        if (undecided == 0) {
            stop = Stop.ALL_DECIDED;
            return false;
        }
        if (settings.stopAtFirstViolation() && properties.get(p).expectation() == Property.Expectation.ALWAYS) {
            stop = Stop.FIRST_VIOLATION;
            return false;
        }
        return true;
    }

    /** Expands level positions [from, to) into the next level; false when the search must stop. */
    private boolean expandBlock(ExecutorService pool, int from, int to, int firstId, int depth) {
        int n = Math.min(sources.size(), to - from);
        List<Source> active = sources.subList(0, n);
        for (int s = 0; s < n; s++) {
            active.get(s).reset(from + (to - from) * s / n, from + (to - from) * (s + 1) / n);
        }
        int[] open = undecidedProperties();
        long t0 = System.nanoTime();
        run(pool, depth, active.stream().<Callable<Source>>map(src -> () -> src.expand(depth, open)).toList());
        long t1 = System.nanoTime();
        if (pool == null) {
            insert(active, 0, 1);
        } else {
            List<Callable<Source>> inserts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int owner = t;
                inserts.add(() -> {
                    insert(active, owner, threads);
                    return null;
                });
            }
            run(pool, depth, inserts);
        }
        long t2 = System.nanoTime();
        run(pool, depth, active.stream().<Callable<Source>>map(src -> () -> src.evaluate()).toList());
        long t3 = System.nanoTime();
        boolean go = commit(active, open, firstId, depth);
        long t4 = System.nanoTime();
        phaseNanos[0] += t1 - t0;
        phaseNanos[1] += t2 - t1;
        phaseNanos[2] += t3 - t2;
        phaseNanos[3] += t4 - t3;
        return go;
    }

    /** Phase 2 for one thread: inserts the candidates of the partitions it owns, in (parent, action) order. */
    private void insert(List<Source> active, int owner, int owners) {
        for (Source src : active) {
            for (int c = 0; c < src.count; c++) {
                long fp = src.fingerprints[c];
                if (VisitedSet.partition(fp) % owners == owner) {
                    src.won[c] = visited.add(fp, src.fingerprints2[c]) ? (byte) 1 : (byte) 0;
                    if (keepSleepSets) {
                        nextSleeping.meet(fp, src.sleepSets, c * sleepWords, src.won[c] != 0);
                    }
                }
            }
        }
        if (!keepSleepSets) {
            return;
        }
        // every state of the next level is entered by now: the other transitions into it intersect its sleep set
        for (Source src : active) {
            for (int r = 0; r < src.revisits; r++) {
                long fp = src.revisitFingerprints[r];
                if (VisitedSet.partition(fp) % owners == owner) {
                    nextSleeping.meet(fp, src.revisitSets, r * sleepWords, false);
                }
            }
        }
    }

    /** A decision found in a block: the winner of block rank {@code rank} is the first to decide property p. */
    private record Decision(int rank, int property) implements Comparable<Decision> {
        @Override
        public int compareTo(Decision o) {
            return rank != o.rank ? Integer.compare(rank, o.rank) : Integer.compare(property, o.property);
        }
    }

    /** The checking thread's part of a block: ranks, stop, ids, links, next level. False when the search stops. */
    private boolean commit(List<Source> active, int[] open, int firstId, int depth) {
        int baseId = admitted;
        long total = 0;
        List<Decision> decisions = new ArrayList<>();
        for (Source src : active) {
            for (int p : open) {
                if (src.firstDecider[p] >= 0) {
                    decisions.add(new Decision((int) (total + src.firstDecider[p]), p));
                }
            }
            total += src.winners;
        }
        Collections.sort(decisions);
        long boundRank = (long) maxStates - admitted;
        long limit = total;
        boolean stopped = false;
        for (Decision d : decisions) {
            if (d.rank() >= boundRank) {
                break;
            }
            if (decidedBy[d.property()] == UNDECIDED && !decide(d.property(), baseId + d.rank())) {
                limit = d.rank() + 1;
                stopped = true;
                break;
            }
        }
        if (!stopped && total > boundRank) {
            limit = boundRank;
            stop = Stop.STATE_BOUND;
            stopped = true;
        }
        // Which winner ended the search: its parent's transitions are the last counted, as with one thread that
        // stops in the middle of expanding that parent.
        long stopRank = stopped ? (stop == Stop.STATE_BOUND ? limit : limit - 1) : -1;
        long rank = 0;
        for (Source src : active) {
            int parentsDone = src.to - src.from;
            if (stopped && stopRank < rank + src.winners) {
                parentsDone = src.parents[src.winnerCandidates[(int) (stopRank - rank)]] + 1;
            }
            for (int k = 0; k < parentsDone; k++) {
                transitions += src.transitions[k];
                statesCutByDepth += src.cut[k] ? 1 : 0;
            }
            int take = (int) Math.max(0, Math.min(src.winners, limit - rank));
            for (int r = 0; r < take; r++) {
                int c = src.winnerCandidates[r];
                links.add(firstId + src.from + src.parents[c], src.actions[c]);
                if (keepSleepSets) {
                    nextFingerprints.add(src.fingerprints[c]);
                }
            }
            admitted += take;
            if (take > 0) {
                maxDepthReached = depth + 1;
            }
            if (!stopped && src.chunk != null) {
                nextLevel.add(src.chunk);
            }
            src.chunk = null;
            rank += src.winners;
            if (stopped && stopRank < rank) {
                break;
            }
        }
        return !stopped;
    }

    /** Runs the tasks (inline with one thread) and waits for all; the first failure in task order is thrown. */
    private void run(ExecutorService pool, int depth, List<Callable<Source>> tasks) {
        if (pool == null) {
            for (Callable<Source> t : tasks) {
                try {
                    t.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return;
        }
        List<Future<Source>> futures = new ArrayList<>(tasks.size());
        for (Callable<Source> t : tasks) {
            futures.add(pool.submit(t));
        }
        Throwable first = null;
        // Waiting for all in task order makes the reported failure the first in frontier order, as with one thread.
        for (Future<Source> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                first = first == null ? e.getCause() : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("check interrupted");
            }
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new ModelException("model or property threw while expanding depth " + depth, first);
        }
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

    /** The limit the search has reached, or null: checked between blocks, so a stop leaves no block half merged. */
    private Stop limitReached() {
        if (settings.cancellation().isCancelled()) {
            return Stop.CANCELLED;
        }
        long now = System.nanoTime();
        if (settings.timeLimit() != null && now - startNanos >= settings.timeLimit().toNanos()) {
            return Stop.TIME_LIMIT;
        }
        Runtime rt = Runtime.getRuntime();
        if (rt.totalMemory() - rt.freeMemory() > settings.memoryLimit()) {
            // The heap holds garbage too: only a full collection says what is live. At most one every 5 s.
            if (now - lastCollectionNanos < 5_000_000_000L) {
                return null;
            }
            System.gc();
            lastCollectionNanos = System.nanoTime();
            if (rt.totalMemory() - rt.freeMemory() > settings.memoryLimit()) {
                return Stop.MEMORY_LIMIT;
            }
        }
        return null;
    }

    private long engineBytes() {
        long b = visited.bytes() + links.bytes();
        b += level == null ? 0 : level.bytesInMemory();
        b += nextLevel == null ? 0 : nextLevel.bytesInMemory();
        b += sleeping == null ? 0 : sleeping.bytes() + levelFingerprints.bytes();
        b += nextSleeping == null ? 0 : nextSleeping.bytes() + nextFingerprints.bytes();
        for (Source s : sources) {
            b += s.bytes();
        }
        return b;
    }

    private Statistics statistics(boolean finished) {
        boolean exhaustive = finished && stop == Stop.COMPLETE && statesCutByDepth == 0
                && settings.strategy().canBeExhaustive();
        long onDisk = (level == null ? 0 : level.bytesOnDisk()) + (nextLevel == null ? 0 : nextLevel.bytesOnDisk());
        return new Statistics(admitted, transitions, maxDepthReached, statesCutByDepth, stop, exhaustive,
                finished ? 0 : frontier, Duration.ofNanos(System.nanoTime() - startNanos), settings.strategy(),
                visited.fingerprintBits(), visited.omissionProbability(admitted), visited.coverageEstimate(),
                engineBytes(), onDisk);
    }

    private PropertyResult<S, A> verdict(int p) {
        Property<S> property = properties.get(p);
        boolean decided = decidedBy[p] != UNDECIDED;
        PropertyResult.Status status = switch (property.expectation()) {
            case ALWAYS -> decided ? PropertyResult.Status.VIOLATED : PropertyResult.Status.HOLDS_WITHIN_BOUNDS;
            case SOMETIMES -> decided ? PropertyResult.Status.REACHED : PropertyResult.Status.NOT_REACHED_WITHIN_BOUNDS;
        };
        return new PropertyResult<>(property, status,
                decided ? Optional.of(trace(decidedBy[p], property)) : Optional.empty());
    }

    /**
     * Rebuilds the trace to state id by replaying its recorded action indices through the model, checking that
     * every replayed state is one the search stored and that the last one decides the property as it did.
     */
    private Path<S, A> trace(int id, Property<S> property) {
        List<Integer> actionIndices = new ArrayList<>();
        int at = id;
        for (; links.parent(at) != ParentLinks.ROOT; at = links.parent(at)) {
            actionIndices.add(links.action(at));
        }
        Collections.reverse(actionIndices);
        StateEncoder encoder = new StateEncoder();
        Path<S, A> path = Checker.replay(model, links.action(at), actionIndices, (state, step) -> {
            encoder.reset();
            model.encode(state, encoder);
            if (!visited.contains(encoder.fingerprint(), wide ? encoder.fingerprint2() : 0)) {
                throw notDeterministic("step " + step + " gave " + state + ", a state the search never stored");
            }
        }, Search::notDeterministic);
        if (!property.isDecidedBy(path.lastState())) {
            throw notDeterministic("its last state " + path.lastState() + " no longer decides " + property.name());
        }
        return path;
    }

    private static boolean has(long[] set, int id) {
        return (set[id >>> 6] & (1L << id)) != 0;
    }

    /** A growable list of longs: a level's fingerprints by position. */
    private static final class LongList {
        private long[] values = new long[16];
        private int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, (int) Math.min(Checker.MAX_STATES, 2L * size));
            values[size++] = v;
        }

        long get(int i) {
            return values[i];
        }

        long bytes() {
            return 8L * values.length;
        }
    }

    static IllegalStateException notDeterministic(String detail) {
        return new IllegalStateException("model is not deterministic: replaying the trace, " + detail);
    }
}
