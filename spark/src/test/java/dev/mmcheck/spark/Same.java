package dev.mmcheck.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmcheck.checker.CheckResult;
import dev.mmcheck.checker.PropertyResult;
import dev.mmcheck.checker.Statistics;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Assertions that two engines agree, and Spark contexts for the tests. */
final class Same {
    private Same() {
    }

    static JavaSparkContext local(int cores) {
        return new JavaSparkContext(new SparkConf().setMaster("local[" + cores + "]").setAppName("mmcheck-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    /** Same counts, stop, verdicts and traces (initial index and action indices). */
    static <S, A> void assertSameResult(CheckResult<S, A> local, CheckResult<S, A> spark, String what) {
        Statistics a = local.statistics();
        Statistics b = spark.statistics();
        assertEquals(a.distinctStates(), b.distinctStates(), what + ": distinct states");
        assertEquals(a.transitions(), b.transitions(), what + ": transitions");
        assertEquals(a.maxDepthReached(), b.maxDepthReached(), what + ": max depth reached");
        assertEquals(a.statesCutByDepthBound(), b.statesCutByDepthBound(), what + ": states cut by depth");
        assertEquals(a.stop(), b.stop(), what + ": stop");
        assertEquals(a.exhaustive(), b.exhaustive(), what + ": exhaustive");
        assertEquals(local.results().size(), spark.results().size(), what + ": properties");
        for (int i = 0; i < local.results().size(); i++) {
            PropertyResult<S, A> x = local.results().get(i);
            PropertyResult<S, A> y = spark.results().get(i);
            String p = what + ": " + x.property().name();
            assertEquals(x.property().name(), y.property().name(), p);
            assertEquals(x.status(), y.status(), p + " status");
            assertEquals(x.path().map(q -> q.initialIndex()), y.path().map(q -> q.initialIndex()), p + " trace start");
            assertEquals(x.path().map(q -> q.actionIndices()), y.path().map(q -> q.actionIndices()), p + " trace");
        }
    }

    static <T> T orNull(Optional<T> o) {
        return o.orElse(null);
    }
}
