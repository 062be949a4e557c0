package dev.mmcheck.spark;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.toys.Counters;
import dev.mmcheck.lib.run.SpecSource;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The Spark engine against the local one on the same explorations: distinct states, wall time, states/s, bytes per
 * state, and the fixed cost of one BFS level. Run it with mmcheck's class path:
 *
 * <pre>
 * java [Spark's --add-opens] -cp 'cli/target/mmcheck-cli.jar:cli/target/lib/*' dev.mmcheck.spark.SparkBench [MASTER [PARTITIONS [large]]]
 * </pre>
 *
 * With {@code large}, also the Counters toy at 15x0..2 (14,348,907 states, run once per engine, without a warm-up run),
 * once without properties and once with two that only the last level decides; {@code large-only} runs just those two.
 *
 * Checks that both engines find the same states and transitions, verdicts and traces (it stops with an exception if
 * not). Not a test: timings vary. {@code scripts/spark-cluster} runs it against a standalone cluster on this machine.
 */
public final class SparkBench {
    private SparkBench() {
    }

    /**
     * The Counters toy as a model source: without properties (the whole space), or with a witness and an invariant
     * that only the last level's state (every counter at k) reaches and breaks, so the search runs to the last level,
     * stops there with both decided, and each engine must give the same counts at that stop and the same two traces.
     */
    record Toy(int n, int k, boolean lastLevelProperties) implements ModelSource<int[], Integer> {
        Toy(int n, int k) {
            this(n, k, false);
        }

        @Override
        public Instance<int[], Integer> open() {
            if (!lastLevelProperties) return new Instance<>(new Counters(n, k), List.of());
            java.util.function.Predicate<int[]> full = c -> java.util.Arrays.stream(c).allMatch(x -> x == k);
            return new Instance<>(new Counters(n, k), List.of(dev.mmcheck.checker.Property.sometimes("all-at-k", full),
                    dev.mmcheck.checker.Property.always("never-all-at-k", full.negate())));
        }
    }

    record Row(String name, long states, int levels, long localMillis, long localBytes, long sparkMillis,
               long sparkCachedBytes, long overheadPerLevelMillis) {
    }

    public static void main(String[] args) throws Exception {
        String master = args.length > 0 ? args[0] : "local[2]";
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        boolean large = args.length > 2 && args[2].startsWith("large");
        boolean onlyLarge = args.length > 2 && args[2].equals("large-only");
        Path root = Path.of(System.getProperty("mmcheck.home", "."));
        SparkEngine engine = new SparkEngine(master, partitions, null, 4, false, "", java.util.Map.of());
        List<Row> rows = new ArrayList<>();
        int executors;
        try (JavaSparkContext sc = engine.context()) {
            if (!onlyLarge) {
                // Per-level overhead: a model with one state per level, so the time is all Spark's.
                rows.add(run(sc, "counters 1x0..40 (41 levels, 1 state each)", new Toy(1, 40), Integer.MAX_VALUE, partitions));
                rows.add(run(sc, "counters 10x0..2", new Toy(10, 2), Integer.MAX_VALUE, partitions));
                rows.add(run(sc, "counters 12x0..2", new Toy(12, 2), Integer.MAX_VALUE, partitions));
            }
            if (large) {
                rows.add(compare(sc, "counters 15x0..2 (no warm-up)", new Toy(15, 2), Integer.MAX_VALUE, Checker.MAX_STATES,
                        partitions, false));
                rows.add(compare(sc, "counters 15x0..2, 2 properties at the last level", new Toy(15, 2, true), Integer.MAX_VALUE,
                        Checker.MAX_STATES, partitions, false));
            }
            for (String f : onlyLarge ? List.<String>of() : List.of("specs/explore/pfnmap-2pages.mmc", "specs/explore/anon-ksm-zero-1page.mmc")) {
                rows.add(runSpec(sc, root.resolve(f), partitions));
            }
            // counted after the runs: a standalone cluster's executors register some seconds after the context starts
            executors = Math.max(1, sc.sc().getExecutorMemoryStatus().size() - (master.startsWith("local") ? 0 : 1));
        }
        System.out.printf("master %s, %d partitions, %d executor(s); %d cores, max heap %d MiB%n", master, partitions,
                executors, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("%-46s %10s %6s | %9s %10s %7s | %9s %10s %9s %9s %10s%n", "exploration", "states", "levels",
                "local ms", "states/s", "B/state", "spark ms", "states/s", "B/state", "B/st/exec", "ms/level");
        for (Row r : rows) {
            System.out.printf("%-46s %,10d %6d | %,9d %,10d %7d | %,9d %,10d %9d %9d %,10d%n", r.name(), r.states(), r.levels(),
                    r.localMillis(), rate(r.states(), r.localMillis()), r.localBytes() / Math.max(1, r.states()),
                    r.sparkMillis(), rate(r.states(), r.sparkMillis()), r.sparkCachedBytes() / Math.max(1, r.states()),
                    r.sparkCachedBytes() / Math.max(1, r.states()) / executors, r.overheadPerLevelMillis());
        }
        System.out.println("local: one thread, the checker's engine (B/state: its own structures at the end).");
        System.out.println("spark B/state: peak bytes of the cached visited set and frontier over all executors,"
                + " per distinct state; B/st/exec: per executor. ms/level: Spark's time per level minus the local"
                + " engine's, spread over the levels.");
    }

    private static long rate(long states, long millis) {
        return states * 1000 / Math.max(1, millis);
    }

    private static <S, A> Row compare(JavaSparkContext sc, String name, ModelSource<S, A> source, int maxDepth,
                                      int maxStates, int partitions) {
        return compare(sc, name, source, maxDepth, maxStates, partitions, true);
    }

    private static <S, A> Row compare(JavaSparkContext sc, String name, ModelSource<S, A> source, int maxDepth,
                                      int maxStates, int partitions, boolean warmUp) {
        ModelSource.Instance<S, A> in = source.open();
        Checker<S, A> checker = Checker.of(in.model()).properties(in.properties()).maxDepth(maxDepth).maxStates(maxStates);
        if (warmUp) checker.check(); // warm the JIT for the local engine, as the Spark run warms it for itself below
        long t0 = System.nanoTime();
        CheckResult<S, A> local = checker.check();
        long localMillis = (System.nanoTime() - t0) / 1_000_000;
        SparkSearch.Config config = SparkSearch.Config.defaults(partitions).maxDepth(maxDepth).maxStates(maxStates);
        if (warmUp) new SparkSearch<>(sc, source, config).run();
        t0 = System.nanoTime();
        SparkSearch.Result<S, A> spark = new SparkSearch<>(sc, source, config).run();
        long sparkMillis = (System.nanoTime() - t0) / 1_000_000;
        if (local.statistics().distinctStates() != spark.result().statistics().distinctStates()
                || local.statistics().transitions() != spark.result().statistics().transitions()) {
            throw new IllegalStateException(name + ": the engines disagree: " + local.statistics() + " vs "
                    + spark.result().statistics());
        }
        for (int i = 0; i < local.results().size(); i++) {
            var a = local.results().get(i);
            var b = spark.result().results().get(i);
            if (a.status() != b.status() || !a.path().map(p -> p.initialIndex() + ":" + p.actionIndices())
                    .equals(b.path().map(p -> p.initialIndex() + ":" + p.actionIndices()))) {
                throw new IllegalStateException(name + ": the engines disagree on " + a.property().name() + ": " + a + " vs " + b);
            }
            System.out.printf("%s: %s %s on both engines, trace of %d steps%n", name, a.property().name(), a.status(),
                    a.path().map(p -> p.actionIndices().size()).orElse(0));
        }
        long peak = spark.levels().stream().mapToLong(SparkSearch.LevelTiming::cachedBytes).max().orElse(0);
        int levels = spark.levels().size();
        return new Row(name, local.statistics().distinctStates(), levels, localMillis, local.statistics().engineBytes(),
                sparkMillis, peak, (sparkMillis - localMillis) / Math.max(1, levels));
    }

    private static Row run(JavaSparkContext sc, String name, Toy toy, int maxDepth, int partitions) {
        return compare(sc, name, toy, maxDepth, Checker.MAX_STATES, partitions);
    }

    private static Row runSpec(JavaSparkContext sc, Path file, int partitions) throws SpecException, java.io.IOException {
        Spec spec = SpecParser.parse(file);
        SpecSource source = new SpecSource(spec.file(), Files.readString(file), null, "");
        return compare(sc, "MM " + file.getFileName(), new SpecModelSource<>(source), spec.depth(),
                (int) Math.min(spec.maxStates(), Checker.MAX_STATES), partitions);
    }
}
