package dev.mmcheck.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.run.PropertyReport;
import dev.mmcheck.lib.run.Verdict;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bundled MM specs through the library (as {@code check --engine spark} runs them): the same states, transitions,
 * verdicts and counterexample traces with the local engine and with Spark in local[1] (one partition) and local[2]
 * (five partitions). The MM model cannot decode, so its states travel as paths and are replayed on the executors.
 */
class SpecEquivalenceTest {

    static Path spec(String relative) {
        return Path.of(System.getProperty("mmcheck.root", "..")).resolve(relative);
    }

    static void assertSameReport(CheckReport local, CheckReport spark) {
        String what = local.file();
        assertEquals(local.states(), spark.states(), what + ": states");
        assertEquals(local.transitions(), spark.transitions(), what + ": transitions");
        assertEquals(local.maxDepthReached(), spark.maxDepthReached(), what + ": depth");
        assertEquals(local.statesCutByDepthBound(), spark.statesCutByDepthBound(), what + ": cut");
        assertEquals(local.stop(), spark.stop(), what + ": stop");
        assertEquals(local.properties().size(), spark.properties().size(), what + ": properties");
        for (int i = 0; i < local.properties().size(); i++) {
            PropertyReport a = local.properties().get(i);
            PropertyReport b = spark.properties().get(i);
            assertEquals(a.name(), b.name(), what);
            assertEquals(a.verdict(), b.verdict(), what + ": " + a.name());
            assertEquals(a.trace().map(t -> t.actionIndices()), b.trace().map(t -> t.actionIndices()), what + ": " + a.name());
            assertEquals(a.trace().map(t -> t.steps().stream().map(s -> s.call()).toList()),
                    b.trace().map(t -> t.steps().stream().map(s -> s.call()).toList()), what + ": " + a.name() + " calls");
            assertEquals(a.detail(), b.detail(), what + ": " + a.name() + " detail");
        }
        assertEquals("local", local.engine());
    }

    @ParameterizedTest
    @ValueSource(strings = {"specs/teeth/zeropage-never-writable-reverted.mmc", "specs/teeth/zeropage-never-writable.mmc",
            "specs/cow/cve-2020-29374-vmsplice-child.mmc", "specs/gup/ro-pin-swap-out-in.mmc",
            "specs/explore/pfnmap-2pages.mmc", "specs/races/gup-fast-fork.mmc", "specs/races/gup-fast-fork-explore.mmc",
            "specs/races/thp-mapcount-split.mmc", "specs/drivers/hmm-mirror-no-retry.mmc"})
    void sameAsLocal(String file) throws Exception {
        CheckReport local = MmCheck.options().check(spec(file));
        CheckReport one = MmCheck.options().engine(new SparkEngine("local[1]", 1, null, 4, false, "", Map.of()))
                .check(spec(file));
        assertSameReport(local, one);
        assertEquals("spark (master local[1], 1 partitions)", one.engine());
        CheckReport two = MmCheck.options().engine(new SparkEngine("local[2]", 5, null, 4, false, "", Map.of()))
                .check(spec(file));
        assertSameReport(local, two);
        assertTrue(two.searchSummary().contains("on spark (master local[2], 5 partitions)"), two.searchSummary());
        System.out.println(file + ": " + local.states() + " states, " + local.status() + ", local "
                + local.elapsed().toMillis() + " ms, local[2] " + two.elapsed().toMillis() + " ms");
    }

    /**
     * --symmetry on Spark: the executors rebuild the exploration with the reduction (SpecSource carries the flag), so
     * the classes, verdicts and traces are the local engine's; fewer states than without it, so the flag did reach them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"specs/explore/pfnmap-2pages.mmc", "specs/explore/uffd-thp.mmc"})
    void symmetryAsLocal(String file) throws Exception {
        CheckReport full = MmCheck.options().check(spec(file));
        CheckReport local = MmCheck.options().symmetry(true).check(spec(file));
        CheckReport spark = MmCheck.options().symmetry(true)
                .engine(new SparkEngine("local[2]", 3, null, 4, false, "", Map.of())).check(spec(file));
        assertSameReport(local, spark);
        assertTrue(spark.states() < full.states(), file + ": " + spark.states() + " classes, " + full.states() + " states");
        assertTrue(spark.bounds().contains("up to a renaming of processes"), spark.bounds());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stopAtFirstViolationAsLocal(boolean stop) throws Exception {
        String file = "specs/cow/cve-2020-29374-vmsplice-child.mmc";
        CheckReport local = MmCheck.options().stopAtFirstViolation(stop).check(spec(file));
        CheckReport spark = MmCheck.options().stopAtFirstViolation(stop)
                .engine(new SparkEngine("local[2]", 3, null, 4, false, "", Map.of())).check(spec(file));
        assertSameReport(local, spark);
        assertTrue(local.properties().stream().anyMatch(p -> p.verdict() == Verdict.VIOLATED), "the spec has a violation");
    }

    @org.junit.jupiter.api.Test
    void swarmOfAnMmSpecAsLocal() throws Exception {
        Path spec = spec("specs/cow/cve-2020-29374-vmsplice-child.mmc");
        dev.mmcheck.checker.Strategy swarm = new dev.mmcheck.checker.Strategy.Swarm(1, 8, 12);
        CheckReport local = MmCheck.options().strategy(swarm).check(spec);
        CheckReport spark = MmCheck.options().strategy(swarm)
                .engine(new SparkEngine("local[2]", 0, null, 4, false, "", Map.of())).check(spec);
        assertSameReport(local, spark);
        assertTrue(spark.searchSummary().contains("NOT EXHAUSTIVE"), spark.searchSummary());
        assertTrue(spark.failing(), "the swarm finds the violation");
    }
}
