package dev.mmcheck.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.spec.Spec;
import dev.mmcheck.lib.spec.SpecException;
import dev.mmcheck.lib.spec.SpecParser;
import dev.mmcheck.lib.sweep.Ranges;
import dev.mmcheck.lib.sweep.Sweep;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code sweep --engine spark}: each run of the product a Spark task, with the very rows of the local pool (but for
 * time and heap), in the product's order, including the runs a release refuses (not applicable) and the explorations
 * re-bounded by the sweep.
 */
class SweepOnSparkTest {

    private static List<Spec> specs(String... files) throws Exception {
        List<Spec> out = new ArrayList<>();
        for (String f : files) out.add(SpecParser.parse(SpecEquivalenceTest.spec(f)));
        return out;
    }

    /** The rows without time_ms and peak_heap_mb, which differ from run to run. */
    static List<String> rows(Sweep.Result r) {
        return r.rows().stream().map(row -> String.join(",", row.values().subList(0, Sweep.Row.COLUMNS.size() - 2))).toList();
    }

    @Test
    void sparkTasksGiveTheRowsOfTheLocalPool() throws Exception {
        Sweep sweep = new Sweep(specs("specs/cow/cve-2020-29374-vmsplice-child.mmc", "specs/uffd/fork-pinned-copy-keeps-wp.mmc",
                "specs/explore/anon-ksm-zero-1page.mmc"))
                .profiles(Ranges.profiles("v5.6,v5.8,v5.13,v5.14,v7.1")).depths(List.of(3, 4)).threads(2);
        Sweep.Result local = sweep.run(p -> { });
        List<Integer> heard = new ArrayList<>();
        Sweep.Result spark = sweep.distributed(SparkEngine.local(2)).run(p -> heard.add(p.done()));
        assertEquals(rows(local), rows(spark));
        assertEquals(local.status(), spark.status());
        assertEquals(Sweep.Status.COMPLETE, spark.status());
        assertEquals(20, spark.outcomes().size());
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList(), heard);
        assertTrue(rows(spark).contains("uffd/fork-pinned-copy-keeps-wp,v5.6,,x86_64,2,1,2,uffd-wp-store-trapped,invariant,"
                + "not_applicable,0,0,0,true"), String.join("\n", rows(spark)));
        assertTrue(rows(spark).contains("cow/cve-2020-29374-vmsplice-child,v5.6,,x86_64,2,1,3,forbidden P1:pipe == 0xff,outcome,"
                + "violated,7,7,3,true"), String.join("\n", rows(spark)));
        // the summaries came back from the tasks; the reports stayed there
        assertTrue(spark.outcomes().stream().filter(o -> !o.notInRelease()).allMatch(o -> o.summary().isPresent()));
        assertTrue(spark.outcomes().stream().noneMatch(o -> o.report().isPresent()));
    }

    @Test
    void aSpecChangedBySetIsRefusedBecauseTheTasksRebuildItFromItsText() throws Exception {
        Spec cve = specs("specs/cow/cve-2020-29374-vmsplice-child.mmc").getFirst();
        Spec changed = MmCheck.options().set("wp-reuse", "page-count-free-swap").edits().apply(cve);
        SpecException e = assertThrows(SpecException.class, () -> new Sweep(List.of(changed)).distributed(SparkEngine.local(1)).plan());
        assertTrue(e.getMessage().contains("--set and --plugin do not reach spark (master local[1])"), e.getMessage());
    }
}
