package dev.mmcheck.spark;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Property;
import dev.mmcheck.checker.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Swarm and random-walk strategies on Spark: run i of the strategy (a bounded DFS with shuffled action orders, or a
 * random walk, seeded from (seed, i) exactly as the local checker seeds it) is one Spark task; the driver merges the
 * runs in run order with {@link Checker#mergeRuns}, so verdicts, traces and coverage (distinct fingerprints over all
 * runs, the result's distinct-state count) are those of the local checker with the same seed, and each run is
 * reproducible from its seed and number alone. Not exhaustive: the result says so.
 */
public final class SwarmSearch<S, A> {
    private final JavaSparkContext sc;
    private final ModelSource<S, A> source;
    private final ModelSource.Instance<S, A> driver;
    private final Strategy strategy;
    private final int maxStates;
    private final boolean stopAtFirstViolation;

    /** @param observed the model source's observed flag, ORed over all runs */
    public record Result<S, A>(CheckResult<S, A> result, boolean observed, int tasks) {
    }

    public SwarmSearch(JavaSparkContext sc, ModelSource<S, A> source, ModelSource.Instance<S, A> driver,
                       Strategy strategy, int maxStates, boolean stopAtFirstViolation) {
        if (!(strategy instanceof Strategy.Swarm || strategy instanceof Strategy.RandomWalks)) {
            throw new IllegalArgumentException("a swarm search needs a swarm or random-walk strategy: " + strategy.describe());
        }
        this.sc = Objects.requireNonNull(sc);
        this.source = Objects.requireNonNull(source);
        this.driver = driver != null ? driver : source.open();
        this.strategy = strategy;
        this.maxStates = maxStates;
        this.stopAtFirstViolation = stopAtFirstViolation;
    }

    private static int runs(Strategy s) {
        return s instanceof Strategy.Swarm w ? w.runs() : ((Strategy.RandomWalks) s).walks();
    }

    private static <S, A> Checker<S, A> checker(ModelSource.Instance<S, A> in, Strategy strategy, int maxStates,
                                                boolean first) {
        List<Property<S>> properties = in.properties();
        return Checker.of(in.model()).properties(properties).strategy(strategy).maxStates(maxStates)
                .stopAtFirstViolation(first);
    }

    public Result<S, A> run() {
        int n = runs(strategy);
        ModelSource<S, A> src = source;
        // Strategies are not serializable: the task rebuilds this one from its numbers.
        boolean walks = strategy instanceof Strategy.RandomWalks;
        long seed = walks ? ((Strategy.RandomWalks) strategy).seed() : ((Strategy.Swarm) strategy).seed();
        int depth = walks ? ((Strategy.RandomWalks) strategy).depth() : ((Strategy.Swarm) strategy).depth();
        int bound = maxStates;
        boolean first = stopAtFirstViolation;
        record Done(Checker.SwarmRun run, boolean observed) implements java.io.Serializable {
        }
        List<Integer> indices = IntStream.range(0, n).boxed().toList();
        int tasks = Math.min(n, Math.max(1, sc.defaultParallelism() * 4));
        List<Done> done = sc.parallelize(indices, tasks).mapPartitions(it -> {
            ModelSource.Instance<S, A> in = src.open();
            Strategy st = walks ? new Strategy.RandomWalks(seed, n, depth) : new Strategy.Swarm(seed, n, depth);
            Checker<S, A> c = checker(in, st, bound, first);
            List<Done> out = new ArrayList<>();
            while (it.hasNext()) out.add(new Done(c.swarmRun(it.next()), false));
            out.add(new Done(null, in.observed().getAsBoolean()));
            return out.iterator();
        }).collect();
        List<Checker.SwarmRun> runs = new ArrayList<>();
        boolean observed = false;
        for (Done d : done) {
            if (d.run() != null) runs.add(d.run());
            observed |= d.observed();
        }
        CheckResult<S, A> merged = checker(driver, strategy, maxStates, stopAtFirstViolation).mergeRuns(runs);
        return new Result<>(merged, observed, tasks);
    }
}
