package dev.mmcheck.spark;

import dev.mmcheck.checker.Cancellation;
import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Model;
import dev.mmcheck.checker.Path;
import dev.mmcheck.checker.Property;
import dev.mmcheck.checker.PropertyResult;
import dev.mmcheck.checker.StateEncoder;
import dev.mmcheck.checker.Statistics;
import dev.mmcheck.checker.Stop;
import dev.mmcheck.checker.Strategy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * The level-synchronous breadth-first search on Spark. Same results as {@link Checker} (breadth-first, 64-bit
 * fingerprints): the same distinct-state count, transitions, verdicts and counterexamples, for any number of
 * partitions and executors.
 *
 * <table>
 * <caption>One BFS level</caption>
 * <tr><th>Step</th><th>Where</th><th>What</th></tr>
 * <tr><td>expand</td><td>each frontier partition (mapPartitions)</td><td>the task builds the model from the
 *     {@link ModelSource}, rebuilds each state (decode, or replay of its path) and emits (fingerprint, successor)</td></tr>
 * <tr><td>shuffle</td><td>reduceByKey with a {@link FingerprintPartitioner}</td><td>successors go to the partition that
 *     owns their fingerprint; of one fingerprint's successors the first in BFS order (smallest path) stays</td></tr>
 * <tr><td>drop visited</td><td>zipPartitions with the visited set</td><td>partition i of the visited set (a sorted
 *     long[] of fingerprints) lives in partition i of a cached RDD and never moves; candidates it holds are dropped.
 *     The new visited set is the merge of the old one and the new states (one copy of the partition per level)</td></tr>
 * <tr><td>evaluate</td><td>each partition of the new states</td><td>per undecided property, the smallest path of a new
 *     state deciding it; the driver gets one small summary per partition</td></tr>
 * <tr><td>decide</td><td>driver</td><td>the decisions in (path, property) order are exactly the local engine's; at a
 *     stop (every property decided, first violation, state bound) a count job ranks the stopping state, so the state
 *     and transition counts are those of the local search stopping at that state</td></tr>
 * </table>
 *
 * <p>Parent links are the paths: the frontier carries each state's path (4 bytes a step), the visited set only
 * fingerprints (8 bytes a state). A counterexample is the decider's path, replayed through the driver's model.
 * Transitions are counted with an accumulator (exact unless Spark re-runs a finished expansion task after a lost
 * executor); at a stopping level they are recounted exactly over the parents up to the stopping state's parent.
 */
public final class SparkSearch<S, A> {

    /**
     * @param partitions       fingerprint partitions (of the visited set and of each level)
     * @param timeLimit        null for none; checked between levels
     * @param checkpointDir    null for none; else every {@code checkpointEvery} levels the frontier, visited set and
     *                         the driver's counters are written there (a path all executors and the driver see)
     * @param resume           start from the newest checkpoint in {@code checkpointDir}
     * @param stopAfterLevels  0 for none; else stop (as cancelled) after expanding this many levels in this run
     */
    public record Config(int partitions, int maxDepth, int maxStates, boolean stopAtFirstViolation, Duration timeLimit,
                         Cancellation cancellation, java.nio.file.Path checkpointDir, int checkpointEvery,
                         boolean resume, int stopAfterLevels) {
        public Config {
            if (partitions < 1) throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
            if (maxDepth < 0) throw new IllegalArgumentException("maxDepth must be >= 0: " + maxDepth);
            if (maxStates < 1) throw new IllegalArgumentException("maxStates must be >= 1: " + maxStates);
            if (checkpointEvery < 1) throw new IllegalArgumentException("checkpoint interval must be >= 1: " + checkpointEvery);
            if (resume && checkpointDir == null) throw new IllegalArgumentException("--resume needs --checkpoint DIR");
            Objects.requireNonNull(cancellation, "cancellation");
        }

        public static Config defaults(int partitions) {
            return new Config(partitions, Integer.MAX_VALUE, Checker.MAX_STATES, false, null, new Cancellation(), null,
                    4, false, 0);
        }

        public Config maxDepth(int d) {
            return new Config(partitions, d, maxStates, stopAtFirstViolation, timeLimit, cancellation, checkpointDir,
                    checkpointEvery, resume, stopAfterLevels);
        }

        public Config maxStates(int n) {
            return new Config(partitions, maxDepth, n, stopAtFirstViolation, timeLimit, cancellation, checkpointDir,
                    checkpointEvery, resume, stopAfterLevels);
        }

        public Config stopAtFirstViolation(boolean stop) {
            return new Config(partitions, maxDepth, maxStates, stop, timeLimit, cancellation, checkpointDir,
                    checkpointEvery, resume, stopAfterLevels);
        }

        public Config checkpoint(java.nio.file.Path dir, int every, boolean resumeFromIt) {
            return new Config(partitions, maxDepth, maxStates, stopAtFirstViolation, timeLimit, cancellation, dir,
                    every, resumeFromIt, stopAfterLevels);
        }

        public Config stopAfterLevels(int levels) {
            return new Config(partitions, maxDepth, maxStates, stopAtFirstViolation, timeLimit, cancellation,
                    checkpointDir, checkpointEvery, resume, levels);
        }

        public Config timeLimit(Duration d) {
            return new Config(partitions, maxDepth, maxStates, stopAtFirstViolation, d, cancellation, checkpointDir,
                    checkpointEvery, resume, stopAfterLevels);
        }

        public Config cancellation(Cancellation c) {
            return new Config(partitions, maxDepth, maxStates, stopAtFirstViolation, timeLimit, c, checkpointDir,
                    checkpointEvery, resume, stopAfterLevels);
        }
    }

    /**
     * What one level cost: its depth, new states, wall time on the driver (all its Spark jobs), and the bytes Spark
     * held for the search's cached RDDs (visited set and frontier, memory and disk, all executors) at its end.
     */
    public record LevelTiming(int depth, long newStates, long millis, long cachedBytes) {
    }

    /**
     * @param observed    the model source's observed flag, ORed over every property evaluation
     * @param levels      per expanded level, its cost
     * @param resumedFrom the level the run resumed from, or -1
     */
    public record Result<S, A>(CheckResult<S, A> result, boolean observed, List<LevelTiming> levels, int resumedFrom) {
    }

    private final JavaSparkContext sc;
    private final ModelSource<S, A> source;
    private final ModelSource.Instance<S, A> driverInstance;
    private final Config config;

    public SparkSearch(JavaSparkContext sc, ModelSource<S, A> source, Config config) {
        this(sc, source, null, config);
    }

    /**
     * @param driver the model and properties the driver uses (initial states, traces), or null to open the source;
     *               the traces' states and actions are this model's
     */
    public SparkSearch(JavaSparkContext sc, ModelSource<S, A> source, ModelSource.Instance<S, A> driver, Config config) {
        this.sc = Objects.requireNonNull(sc);
        this.source = Objects.requireNonNull(source);
        this.driverInstance = driver;
        this.config = Objects.requireNonNull(config);
    }

    /** Per-partition result of evaluating the undecided properties on a level's new states. */
    private record Summary(long count, int[][] deciders, boolean observed) implements Serializable {
    }

    /** Runs the search. All bookkeeping lives in this call (and in the RDDs it creates and drops). */
    public Result<S, A> run() {
        return new Run().go();
    }

    /** The driver's side of one run. */
    private final class Run {
        final long start = System.nanoTime();
        final ModelSource.Instance<S, A> driver = driverInstance != null ? driverInstance : source.open();
        final Model<S, A> model = driver.model();
        final List<Property<S>> properties = driver.properties();
        final boolean packed = model.canDecode();
        final FingerprintPartitioner partitioner = new FingerprintPartitioner(config.partitions());
        final int[][] decidedBy;
        int undecided;
        long admitted;
        long transitions;
        long cut;
        int maxDepthReached;
        Stop stop = Stop.COMPLETE;
        boolean observed;
        long frontierSize;
        int depth;
        JavaRDD<Node> frontier;
        JavaRDD<long[]> visited;
        final List<JavaRDD<?>> toDrop = new ArrayList<>();
        final List<LevelTiming> levels = new ArrayList<>();
        int resumedFrom = -1;
        long peakNodeBytes;

        Run() {
            decidedBy = new int[properties.size()][];
            undecided = properties.size();
            Set<String> names = new HashSet<>();
            for (Property<S> p : properties) {
                if (!names.add(p.name())) throw new IllegalArgumentException("duplicate property name: " + p.name());
            }
        }

        Result<S, A> go() {
            try {
                boolean go;
                if (config.resume()) {
                    go = resume();
                } else {
                    go = admitInitialStates();
                }
                if (go) {
                    search();
                }
            } finally {
                for (JavaRDD<?> r : toDrop) r.unpersist(false);
                if (frontier != null) frontier.unpersist(false);
                if (visited != null) visited.unpersist(false);
            }
            List<PropertyResult<S, A>> results = new ArrayList<>();
            for (int p = 0; p < properties.size(); p++) {
                Property<S> property = properties.get(p);
                boolean decided = decidedBy[p] != null;
                PropertyResult.Status status = switch (property.expectation()) {
                    case ALWAYS -> decided ? PropertyResult.Status.VIOLATED : PropertyResult.Status.HOLDS_WITHIN_BOUNDS;
                    case SOMETIMES -> decided ? PropertyResult.Status.REACHED : PropertyResult.Status.NOT_REACHED_WITHIN_BOUNDS;
                };
                results.add(new PropertyResult<>(property, status,
                        decided ? Optional.of(trace(decidedBy[p], property)) : Optional.empty()));
            }
            boolean exhaustive = stop == Stop.COMPLETE && cut == 0;
            double omission = Math.min(1.0, (double) admitted * admitted / Math.pow(2, 65));
            Statistics st = new Statistics(admitted, transitions, maxDepthReached, cut, stop, exhaustive, 0,
                    Duration.ofNanos(System.nanoTime() - start), new Strategy.BreadthFirst(), 64, omission, 1.0,
                    8L * admitted + peakNodeBytes, 0);
            return new Result<>(new CheckResult<>(results, st), observed || driver.observed().getAsBoolean(),
                    List.copyOf(levels), resumedFrom);
        }

        private Path<S, A> trace(int[] path, Property<S> property) {
            List<Integer> actions = new ArrayList<>();
            for (int i = 1; i < path.length; i++) actions.add(path[i]);
            Path<S, A> p = Checker.replay(model, path[0], actions);
            if (!property.isDecidedBy(p.lastState())) {
                throw new IllegalStateException("model is not deterministic: replaying the trace, its last state "
                        + p.lastState() + " no longer decides " + property.name());
            }
            return p;
        }

        private boolean decide(int p, int[] path) {
            decidedBy[p] = path;
            undecided--;
            if (undecided == 0) {
                stop = Stop.ALL_DECIDED;
                return false;
            }
            if (config.stopAtFirstViolation() && properties.get(p).expectation() == Property.Expectation.ALWAYS) {
                stop = Stop.FIRST_VIOLATION;
                return false;
            }
            return true;
        }

        private int[] open() {
            int[] open = new int[undecided];
            for (int p = 0, n = 0; p < decidedBy.length; p++) {
                if (decidedBy[p] == null) open[n++] = p;
            }
            return open;
        }

        /** As the local engine: initial states in order, duplicates dropped, each checked as it is admitted. */
        private boolean admitInitialStates() {
            List<S> initial = model.initialStates();
            StateEncoder encoder = packed ? StateEncoder.withDetail() : new StateEncoder();
            Set<Long> seen = new HashSet<>();
            List<Node> nodes = new ArrayList<>();
            int[] open = open();
            boolean go = true;
            for (int i = 0; i < initial.size() && go; i++) {
                S state = initial.get(i);
                encoder.reset();
                model.encode(state, encoder);
                long fp = encoder.fingerprint();
                if (!seen.add(fp)) continue;
                if (admitted == config.maxStates()) {
                    stop = Stop.STATE_BOUND;
                    return false;
                }
                admitted++;
                int[] words = packed ? encoder.toArray() : null;
                if (packed) {
                    S decoded = model.decode(words, 0, words.length);
                    encoder.reset();
                    model.encode(decoded, encoder);
                    if (encoder.fingerprint() != fp) {
                        throw new IllegalStateException("model decode does not invert encode: initial state " + state
                                + " decodes to " + decoded);
                    }
                }
                nodes.add(new Node(fp, new int[] {i}, words));
                for (int p : open) {
                    if (decidedBy[p] == null && properties.get(p).isDecidedBy(state)) {
                        go = decide(p, new int[] {i});
                        if (!go) break;
                    }
                }
            }
            observed |= driver.observed().getAsBoolean();
            frontierSize = nodes.size();
            frontier = sc.parallelize(nodes, config.partitions()).persist(StorageLevel.MEMORY_AND_DISK());
            List<Tuple2<Long, Boolean>> keys = new ArrayList<>();
            for (Node n : nodes) keys.add(new Tuple2<>(n.fingerprint, Boolean.TRUE));
            visited = JavaPairRDD.fromJavaRDD(sc.parallelize(keys, config.partitions())).partitionBy(partitioner)
                    .mapPartitions(SparkSearch::sortedKeys, true).persist(StorageLevel.MEMORY_AND_DISK());
            depth = 0;
            return go;
        }

        private void search() {
            int expanded = 0;
            while (frontierSize > 0) {
                if (config.cancellation().isCancelled()) {
                    stop = Stop.CANCELLED;
                    return;
                }
                if (config.timeLimit() != null && System.nanoTime() - start >= config.timeLimit().toNanos()) {
                    stop = Stop.TIME_LIMIT;
                    return;
                }
                if (config.stopAfterLevels() > 0 && expanded == config.stopAfterLevels()) {
                    stop = Stop.CANCELLED;
                    return;
                }
                long t0 = System.nanoTime();
                ModelSource<S, A> src = source;
                if (depth == config.maxDepth()) {
                    cut += frontier.mapPartitions(it -> List.of(count(src, it, false)).iterator()).reduce(Long::sum);
                    levels.add(new LevelTiming(depth, 0, (System.nanoTime() - t0) / 1_000_000, cachedBytes()));
                    return;
                }
                if (!expandLevel()) {
                    levels.add(new LevelTiming(depth, -1, (System.nanoTime() - t0) / 1_000_000, cachedBytes()));
                    return;
                }
                expanded++;
                levels.add(new LevelTiming(depth, frontierSize, (System.nanoTime() - t0) / 1_000_000, cachedBytes()));
                if (config.checkpointDir() != null && depth % config.checkpointEvery() == 0) {
                    Checkpoints.write(sc, config.checkpointDir(), depth, frontier, visited, counters(), identity());
                }
            }
        }

        /** Expands the frontier at {@code depth} into the next level; false when the search stops in it. */
        private boolean expandLevel() {
            ModelSource<S, A> src = source;
            boolean pk = packed;
            LongAccumulator counted = sc.sc().longAccumulator("transitions from depth " + depth);
            JavaPairRDD<Long, Node> candidates = frontier
                    .mapPartitionsToPair(it -> expand(src, pk, it, counted))
                    .reduceByKey(partitioner, Node::first);
            JavaRDD<Node> fresh = candidates.zipPartitions(visited, SparkSearch::dropVisited)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            JavaRDD<long[]> nextVisited = visited.zipPartitions(fresh, SparkSearch::merge)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            if ((depth + 1) % 8 == 0) {
                // Keep Spark's lineage (and so its job planning) short on deep searches.
                fresh.rdd().localCheckpoint();
                nextVisited.rdd().localCheckpoint();
            }
            int[] open = open();
            List<Summary> summaries = fresh.mapPartitions(it -> List.of(evaluate(src, open, it)).iterator())
                    .collect();
            nextVisited.count();
            long total = 0;
            record Decision(int[] path, int property) {
            }
            List<Decision> decisions = new ArrayList<>();
            int[][] best = new int[open.length][];
            for (Summary s : summaries) {
                total += s.count();
                observed |= s.observed();
                for (int i = 0; i < open.length; i++) {
                    int[] d = s.deciders()[i];
                    if (d != null && (best[i] == null || Arrays.compare(d, best[i]) < 0)) best[i] = d;
                }
            }
            for (int i = 0; i < open.length; i++) {
                if (best[i] != null) decisions.add(new Decision(best[i], open[i]));
            }
            decisions.sort((a, b) -> {
                int c = Arrays.compare(a.path(), b.path());
                return c != 0 ? c : Integer.compare(a.property(), b.property());
            });
            long boundRank = config.maxStates() - admitted;
            long limit = total;
            int[] stopPath = null;
            for (Decision d : decisions) {
                long rank = total > boundRank ? rank(fresh, d.path()) : -1;
                if (total > boundRank && rank >= boundRank) break;
                if (!decide(d.property(), d.path())) {
                    limit = (rank >= 0 ? rank : rank(fresh, d.path())) + 1;
                    stopPath = d.path();
                    break;
                }
            }
            if (stopPath == null && total > boundRank) {
                limit = boundRank;
                stop = Stop.STATE_BOUND;
                stopPath = fresh.map(n -> n.path).takeOrdered((int) boundRank + 1, Node.PATH_ORDER).get((int) boundRank);
            }
            toDrop.forEach(r -> r.unpersist(false));
            toDrop.clear();
            if (stopPath != null) {
                int[] lastParent = Node.parent(stopPath);
                transitions += frontier.filter(n -> Arrays.compare(n.path, lastParent) <= 0)
                        .mapPartitions(it -> List.of(count(src, it, true)).iterator()).reduce(Long::sum);
                admitted += limit;
                if (limit > 0) maxDepthReached = depth + 1;
                fresh.unpersist(false);
                nextVisited.unpersist(false);
                return false;
            }
            transitions += counted.value();
            admitted += total;
            if (total > 0) maxDepthReached = depth + 1;
            toDrop.add(frontier);
            toDrop.add(visited);
            frontier = fresh;
            visited = nextVisited;
            frontierSize = total;
            depth++;
            long nodeBytes = 0;
            for (Summary s : summaries) nodeBytes += s.count();
            peakNodeBytes = Math.max(peakNodeBytes, nodeBytes * (40 + 4L * (depth + 1)));
            return true;
        }

        /** Bytes of the cached RDDs Spark reports now (the frontier and visited set of this search). */
        long cachedBytes() {
            long b = 0;
            for (org.apache.spark.storage.RDDInfo i : sc.sc().getRDDStorageInfo()) {
                b += i.memSize() + i.diskSize();
            }
            return b;
        }

        Checkpoints.Counters counters() {
            return new Checkpoints.Counters(depth, admitted, transitions, cut, maxDepthReached, frontierSize,
                    decidedBy.clone(), observed);
        }

        /** What a checkpoint must match to be resumed: the model source and the bounds, hashed. */
        String identity() {
            try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                 ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(source);
                out.writeInt(config.maxDepth());
                out.writeInt(config.maxStates());
                out.writeBoolean(config.stopAtFirstViolation());
                out.flush();
                return Long.toHexString(Arrays.hashCode(bytes.toByteArray()) * 0x9e3779b97f4a7c15L
                        ^ bytes.size());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private boolean resume() {
            java.nio.file.Path dir = config.checkpointDir();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("no checkpoint to resume from: " + dir + " is not a directory");
            }
            Checkpoints.Loaded loaded = Checkpoints.read(sc, dir, identity());
            Checkpoints.Counters c = loaded.counters();
            if (c.decidedBy().length != properties.size()) {
                throw new IllegalArgumentException("checkpoint " + dir + " was written for other properties");
            }
            depth = c.depth();
            resumedFrom = depth;
            admitted = c.admitted();
            transitions = c.transitions();
            cut = c.cut();
            maxDepthReached = c.maxDepthReached();
            frontierSize = c.frontierSize();
            observed = c.observed();
            for (int p = 0; p < properties.size(); p++) {
                decidedBy[p] = c.decidedBy()[p];
                if (decidedBy[p] != null) undecided--;
            }
            frontier = loaded.frontier().repartition(config.partitions()).persist(StorageLevel.MEMORY_AND_DISK());
            visited = loaded.visited().flatMapToPair(a -> {
                List<Tuple2<Long, Boolean>> out = new ArrayList<>(a.length);
                for (long fp : a) out.add(new Tuple2<>(fp, Boolean.TRUE));
                return out.iterator();
            }).partitionBy(partitioner).mapPartitions(SparkSearch::sortedKeys, true)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            return true;
        }
    }

    // ---- what runs in the tasks: static, so that closures capture only the model source and small values ----

    /** Rebuilds a node's state: decodes it, or replays its path from its initial state. */
    private static <S, A> S state(Model<S, A> model, List<S> initial, Node node, List<A> scratch) {
        int[] words = node.words();
        if (words != null) return model.decode(words, 0, words.length);
        S s = initial.get(node.path[0]);
        for (int i = 1; i < node.path.length; i++) {
            scratch.clear();
            model.actions(s, scratch);
            s = model.next(s, scratch.get(node.path[i]));
        }
        return s;
    }

    private static <S, A> Iterator<Tuple2<Long, Node>> expand(ModelSource<S, A> source, boolean packed,
                                                              Iterator<Node> nodes, LongAccumulator counted) {
        Model<S, A> model = source.open().model();
        List<S> initial = model.initialStates();
        List<A> enabled = new ArrayList<>();
        List<A> scratch = new ArrayList<>();
        StateEncoder encoder = packed ? StateEncoder.withDetail() : new StateEncoder();
        return new Iterator<>() {
            final List<Tuple2<Long, Node>> buffer = new ArrayList<>();
            int at;
            long transitions;
            boolean done;

            @Override
            public boolean hasNext() {
                while (at == buffer.size()) {
                    if (!nodes.hasNext()) {
                        if (!done) {
                            counted.add(transitions);
                            done = true;
                        }
                        return false;
                    }
                    buffer.clear();
                    at = 0;
                    Node node = nodes.next();
                    S state = state(model, initial, node, scratch);
                    if (!model.withinBoundary(state)) continue;
                    enabled.clear();
                    model.actions(state, enabled);
                    for (int a = 0; a < enabled.size(); a++) {
                        S next = model.next(state, enabled.get(a));
                        if (next == null) continue;
                        transitions++;
                        encoder.reset();
                        model.encode(next, encoder);
                        long fp = encoder.fingerprint();
                        buffer.add(new Tuple2<>(fp, new Node(fp, Node.append(node.path, a),
                                packed ? encoder.toArray() : null)));
                    }
                }
                return true;
            }

            @Override
            public Tuple2<Long, Node> next() {
                if (!hasNext()) throw new NoSuchElementException();
                return buffer.get(at++);
            }
        };
    }

    /**
     * Over the states of some nodes within the model's boundary: the transitions they have ({@code transitions}), or how
     * many have any (the states a depth bound cuts).
     */
    private static <S, A> long count(ModelSource<S, A> source, Iterator<Node> nodes, boolean transitions) {
        Model<S, A> model = source.open().model();
        List<S> initial = model.initialStates();
        List<A> enabled = new ArrayList<>();
        List<A> scratch = new ArrayList<>();
        long n = 0;
        while (nodes.hasNext()) {
            S state = state(model, initial, nodes.next(), scratch);
            if (!model.withinBoundary(state)) continue;
            enabled.clear();
            model.actions(state, enabled);
            if (!transitions) {
                if (!enabled.isEmpty()) n++;
                continue;
            }
            for (A a : enabled) {
                if (model.next(state, a) != null) n++;
            }
        }
        return n;
    }

    private static <S, A> Summary evaluate(ModelSource<S, A> source, int[] open, Iterator<Node> nodes) {
        ModelSource.Instance<S, A> instance = source.open();
        Model<S, A> model = instance.model();
        List<Property<S>> properties = instance.properties();
        List<S> initial = model.initialStates();
        List<A> scratch = new ArrayList<>();
        int[][] best = new int[open.length][];
        long count = 0;
        while (nodes.hasNext()) {
            Node node = nodes.next();
            count++;
            S state = null;
            for (int i = 0; i < open.length; i++) {
                if (best[i] != null && Arrays.compare(node.path, best[i]) >= 0) continue;
                if (state == null) state = state(model, initial, node, scratch);
                if (properties.get(open[i]).isDecidedBy(state)) best[i] = node.path;
            }
        }
        return new Summary(count, best, instance.observed().getAsBoolean());
    }

    private static Iterator<Node> dropVisited(Iterator<Tuple2<Long, Node>> candidates, Iterator<long[]> visited) {
        long[] v = visited.hasNext() ? visited.next() : new long[0];
        List<Node> out = new ArrayList<>();
        while (candidates.hasNext()) {
            Tuple2<Long, Node> c = candidates.next();
            if (Arrays.binarySearch(v, c._1()) < 0) out.add(c._2());
        }
        return out.iterator();
    }

    private static Iterator<long[]> merge(Iterator<long[]> visited, Iterator<Node> fresh) {
        long[] v = visited.hasNext() ? visited.next() : new long[0];
        List<Long> added = new ArrayList<>();
        while (fresh.hasNext()) added.add(fresh.next().fingerprint);
        long[] a = new long[added.size()];
        for (int i = 0; i < a.length; i++) a[i] = added.get(i);
        Arrays.sort(a);
        long[] m = new long[v.length + a.length];
        int i = 0, j = 0, k = 0;
        while (i < v.length && j < a.length) m[k++] = v[i] <= a[j] ? v[i++] : a[j++];
        while (i < v.length) m[k++] = v[i++];
        while (j < a.length) m[k++] = a[j++];
        return Collections.singletonList(m).iterator();
    }

    /** The keys of a partition as one sorted array (the partition's part of the visited set). */
    static Iterator<long[]> sortedKeys(Iterator<Tuple2<Long, Boolean>> keys) {
        List<Long> list = new ArrayList<>();
        while (keys.hasNext()) list.add(keys.next()._1());
        long[] a = new long[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        Arrays.sort(a);
        return Collections.singletonList(a).iterator();
    }

    private static long rank(JavaRDD<Node> level, int[] path) {
        return level.filter(n -> Arrays.compare(n.path, path) < 0).count();
    }
}
