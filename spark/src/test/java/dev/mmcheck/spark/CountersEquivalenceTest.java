package dev.mmcheck.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.PropertyResult;
import dev.mmcheck.checker.Stop;
import dev.mmcheck.checker.toys.Counters;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Spark engine against the local one on the checker's Counters toy, in local[2] with 1, 3 and 7 partitions. */
class CountersEquivalenceTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = Same.local(2);
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static CheckResult<int[], Integer> local(CountersSource src, int maxDepth, int maxStates, boolean first) {
        return Checker.of(src.model()).properties(src.properties()).maxDepth(maxDepth).maxStates(maxStates)
                .stopAtFirstViolation(first).check();
    }

    private static CheckResult<int[], Integer> spark(CountersSource src, int partitions, int maxDepth, int maxStates,
                                                     boolean first) {
        return new SparkSearch<>(sc, src, SparkSearch.Config.defaults(partitions).maxDepth(maxDepth)
                .maxStates(maxStates).stopAtFirstViolation(first)).run().result();
    }

    private static void compare(CountersSource src, int maxDepth, int maxStates, boolean first) {
        CheckResult<int[], Integer> local = local(src, maxDepth, maxStates, first);
        for (int partitions : new int[] {1, 3, 7}) {
            Same.assertSameResult(local, spark(src, partitions, maxDepth, maxStates, first),
                    src + " depth " + maxDepth + " states " + maxStates + " first " + first + " partitions " + partitions);
        }
    }

    @Test
    void fullSpaceWithoutProperties() {
        CountersSource src = CountersSource.plain(3, 4);
        CheckResult<int[], Integer> r = spark(src, 3, Integer.MAX_VALUE, Checker.MAX_STATES, false);
        Counters c = new Counters(3, 4);
        assertEquals(c.states(), r.statistics().distinctStates());
        assertEquals(c.transitions(), r.statistics().transitions());
        assertEquals(12, r.statistics().maxDepthReached());
        assertTrue(r.statistics().exhaustive());
        compare(src, Integer.MAX_VALUE, Checker.MAX_STATES, false);
    }

    @Test
    void violationsWitnessesAndStops() {
        CountersSource src = new CountersSource(3, 3, 5, false, true);
        CheckResult<int[], Integer> r = spark(src, 4, Integer.MAX_VALUE, Checker.MAX_STATES, false);
        assertEquals(PropertyResult.Status.VIOLATED, r.result("sum-below-limit").status());
        assertEquals(5, r.result("sum-below-limit").path().orElseThrow().length());
        assertEquals(Stop.ALL_DECIDED, r.statistics().stop());
        compare(src, Integer.MAX_VALUE, Checker.MAX_STATES, false);
        compare(src, Integer.MAX_VALUE, Checker.MAX_STATES, true);
    }

    @Test
    void depthAndStateBounds() {
        CountersSource src = new CountersSource(3, 3, 100, false, true);
        compare(src, 2, Checker.MAX_STATES, false);
        compare(src, 4, 30, false);
        CheckResult<int[], Integer> bound = spark(src, 2, Integer.MAX_VALUE, 30, false);
        assertEquals(Stop.STATE_BOUND, bound.statistics().stop());
        assertEquals(30, bound.statistics().distinctStates());
    }

    @Test
    void modelThatCannotDecodeIsReplayed() {
        CountersSource src = new CountersSource(3, 3, 5, true, true);
        assertTrue(!src.model().canDecode());
        compare(src, Integer.MAX_VALUE, Checker.MAX_STATES, false);
        compare(CountersSource.plain(2, 5).withOpaque(), 6, Checker.MAX_STATES, false);
    }
}
