package dev.mmcheck.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Strategy;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Swarm and random-walk runs as Spark tasks: the same verdicts, traces and coverage as the local checker's runs. */
class SwarmTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = Same.local(2);
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static CheckResult<int[], Integer> local(CountersSource src, Strategy s) {
        return Checker.of(src.model()).properties(src.properties()).strategy(s).maxStates(2_000).check();
    }

    private static CheckResult<int[], Integer> spark(CountersSource src, Strategy s) {
        return new SwarmSearch<>(sc, src, null, s, 2_000, false).run().result();
    }

    @Test
    void swarmAsLocal() {
        CountersSource src = new CountersSource(4, 3, 9, false, true);
        Strategy swarm = new Strategy.Swarm(7, 12, 10);
        CheckResult<int[], Integer> local = local(src, swarm);
        CheckResult<int[], Integer> spark = spark(src, swarm);
        Same.assertSameResult(local, spark, "swarm seed 7");
        assertFalse(spark.statistics().exhaustive());
        // Reproducible from the seed; another seed gives other runs.
        Same.assertSameResult(spark, spark(src, swarm), "swarm seed 7 again");
        assertNotEquals(spark.statistics().transitions(), spark(src, new Strategy.Swarm(8, 12, 10)).statistics().transitions());
    }

    @Test
    void coverageIsTheDistinctStatesOfAllRuns() {
        CountersSource src = CountersSource.plain(4, 3);
        Strategy one = new Strategy.Swarm(5, 1, 6);
        Strategy many = new Strategy.Swarm(5, 16, 6);
        CheckResult<int[], Integer> single = spark(src, one);
        CheckResult<int[], Integer> swarm = spark(src, many);
        Same.assertSameResult(local(src, many), swarm, "swarm without properties");
        // Run 0 is the same run in both; the other runs add states; no run leaves the 4^4 states.
        assertTrue(swarm.statistics().distinctStates() > single.statistics().distinctStates(),
                swarm.statistics().distinctStates() + " vs " + single.statistics().distinctStates());
        assertTrue(swarm.statistics().distinctStates() <= 256);
    }

    @Test
    void randomWalksAsLocal() {
        CountersSource src = new CountersSource(3, 4, 10, true, true);
        Strategy walks = new Strategy.RandomWalks(3, 200, 14);
        Same.assertSameResult(local(src, walks), spark(src, walks), "random walks seed 3");
    }
}
