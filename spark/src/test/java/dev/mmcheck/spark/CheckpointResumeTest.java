package dev.mmcheck.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.Checker;
import dev.mmcheck.checker.Stop;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run stopped after some levels and resumed from its checkpoint ends as an uninterrupted run (and as local). */
class CheckpointResumeTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = Same.local(2);
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    private static SparkSearch.Result<int[], Integer> run(CountersSource src, SparkSearch.Config config) {
        return new SparkSearch<>(sc, src, config).run();
    }

    @Test
    void stoppedAndResumedEndsAsUninterrupted(@TempDir Path dir) throws Exception {
        // Counters 3 x 0..4 with limit 11: the first violation is at depth 11, so the run spans 12 levels.
        CountersSource src = new CountersSource(3, 4, 11, false, true);
        CheckResult<int[], Integer> local = Checker.of(src.model()).properties(src.properties()).check();
        CheckResult<int[], Integer> whole = run(src, SparkSearch.Config.defaults(3)).result();
        Same.assertSameResult(local, whole, "uninterrupted");

        SparkSearch.Result<int[], Integer> stopped = run(src, SparkSearch.Config.defaults(3)
                .checkpoint(dir, 2, false).stopAfterLevels(5));
        assertEquals(Stop.CANCELLED, stopped.result().statistics().stop());
        assertTrue(stopped.result().statistics().distinctStates() < whole.statistics().distinctStates());
        assertTrue(Files.exists(dir.resolve("level-000004").resolve("state.properties")));
        assertEquals(dir.resolve("level-000004"), Checkpoints.newest(dir));

        // Resumed with another partition count: the visited set is re-partitioned by fingerprint.
        SparkSearch.Result<int[], Integer> resumed = run(src, SparkSearch.Config.defaults(5).checkpoint(dir, 2, true));
        assertEquals(4, resumed.resumedFrom());
        Same.assertSameResult(whole, resumed.result(), "resumed");
        Same.assertSameResult(local, resumed.result(), "resumed against local");
    }

    @Test
    void modelThatCannotDecodeResumesToo(@TempDir Path dir) {
        CountersSource src = new CountersSource(2, 5, 100, true, true);
        CheckResult<int[], Integer> local = Checker.of(src.model()).properties(src.properties()).check();
        run(src, SparkSearch.Config.defaults(2).checkpoint(dir, 3, false).stopAfterLevels(4));
        SparkSearch.Result<int[], Integer> resumed = run(src, SparkSearch.Config.defaults(2).checkpoint(dir, 3, true));
        assertEquals(3, resumed.resumedFrom());
        Same.assertSameResult(local, resumed.result(), "opaque resumed");
    }

    @Test
    void checkpointOfAnotherModelIsRefused(@TempDir Path dir) {
        run(new CountersSource(2, 3, 100, false, true), SparkSearch.Config.defaults(2).checkpoint(dir, 1, false)
                .stopAfterLevels(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run(new CountersSource(2, 4, 100, false, true), SparkSearch.Config.defaults(2).checkpoint(dir, 1, true)));
        assertTrue(e.getMessage().contains("was written for another spec"), e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> run(CountersSource.plain(2, 2), SparkSearch.Config.defaults(2).checkpoint(dir.resolve("empty"), 1, true)));
        assertTrue(none.getMessage().contains("no checkpoint to resume from"), none.getMessage());
    }

    @Test
    void checkpointOfAnotherFormatOrDamagedIsRefused(@TempDir Path dir) throws Exception {
        CountersSource src = new CountersSource(2, 3, 100, false, true);
        run(src, SparkSearch.Config.defaults(2).checkpoint(dir, 1, false).stopAfterLevels(2));
        Path state = Checkpoints.newest(dir).resolve("state.properties");
        String written = java.nio.file.Files.readString(state);
        assertTrue(written.contains("format=2"), written);
        // a checkpoint of the format before varint nodes had no format line
        java.nio.file.Files.writeString(state, written.replace("format=2\n", ""));
        IllegalArgumentException old = assertThrows(IllegalArgumentException.class,
                () -> run(src, SparkSearch.Config.defaults(2).checkpoint(dir, 1, true)));
        assertTrue(old.getMessage().contains("is in format 1 of an older or newer mmcheck; this one reads format 2"), old.getMessage());
        java.nio.file.Files.writeString(state, written.replaceFirst("(?m)^admitted=.*\n", ""));
        IllegalArgumentException damaged = assertThrows(IllegalArgumentException.class,
                () -> run(src, SparkSearch.Config.defaults(2).checkpoint(dir, 1, true)));
        assertTrue(damaged.getMessage().contains("is damaged") && damaged.getMessage().contains("missing or malformed counter"),
                damaged.getMessage());
    }
}
