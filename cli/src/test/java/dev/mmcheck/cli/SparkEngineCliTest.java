package dev.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.Schemas;
import java.util.List;
import org.junit.jupiter.api.Test;

/** check --engine spark: the same result as the local engine, the engine named in the reports, one-line refusals. */
class SparkEngineCliTest {
    private final Cli cli = new Cli();

    private static String cve() {
        return Repo.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc").toString();
    }

    @Test
    void sparkReportsTheLocalResultAndNamesItsMaster() {
        assertEquals(1, cli.run("check", "--json", cve()));
        var local = JsonParser.parseString(cli.stdout()).getAsJsonObject();
        assertEquals(1, cli.run("check", "--json", "--engine", "spark", "--master", "local[1]", "--partitions", "3", cve()));
        assertEquals(List.of(), Schemas.errors("report", cli.stdout()));
        var spark = JsonParser.parseString(cli.stdout()).getAsJsonObject();
        var ls = local.getAsJsonArray("runs").get(0).getAsJsonObject();
        var ss = spark.getAsJsonArray("runs").get(0).getAsJsonObject();
        assertEquals("local", ls.getAsJsonObject("search").get("engine").getAsString());
        assertEquals("spark (master local[1], 3 partitions)", ss.getAsJsonObject("search").get("engine").getAsString());
        assertEquals(ls.getAsJsonObject("search").get("states"), ss.getAsJsonObject("search").get("states"));
        assertEquals(ls.getAsJsonObject("search").get("transitions"), ss.getAsJsonObject("search").get("transitions"));
        assertEquals(ls.get("properties").toString(), ss.get("properties").toString());
        assertEquals(1, cli.run("check", "--engine", "spark", cve()));
        assertTrue(cli.stdout().contains("breadth-first on spark (master local[2])"), cli.stdout());
    }

    @Test
    void badEngineInputIsOneLine() {
        assertEquals(2, cli.run("check", "--engine", "spark", "--master", "nowhere", cve()));
        assertEquals("mmcheck: --engine spark: not a Spark master URL: 'nowhere' (try local[2], spark://host:7077, yarn or"
                + " k8s://https://host:port)", cli.stderr().strip().lines().filter(l -> l.startsWith("mmcheck:")).findFirst().orElse(""));
        assertEquals(2, cli.run("check", "--engine", "hadoop", cve()));
        assertTrue(cli.stderr().contains("unknown engine 'hadoop'; this build offers: local, spark"), cli.stderr());
        assertEquals(2, cli.run("check", "--master", "local[2]", cve()));
        assertTrue(cli.stderr().contains("need --engine spark"), cli.stderr());
        assertEquals(2, cli.run("check", "--engine", "spark", "--resume", cve()));
        assertTrue(cli.stderr().contains("--resume needs --checkpoint DIR"), cli.stderr());
        assertEquals(2, cli.run("check", "--engine", "spark", "--profile", "all", cve()));
        assertTrue(cli.stderr().contains("runs on the local engine only"), cli.stderr());
        assertEquals(2, cli.run("check", "--engine", "spark", "--checkpoint", "/nonexistent/mmcheck-no-checkpoint", "--resume", cve()));
        assertTrue(cli.stderr().contains("--engine spark: no checkpoint to resume from: /nonexistent/mmcheck-no-checkpoint is not a directory"),
                cli.stderr());
        assertFalse(cli.stderr().contains("\tat ") || cli.stderr().contains("internal error"), cli.stderr());
    }

    @Test
    void aSweepOnSparkPrintsTheLocalRows() {
        String[] args = {"sweep", cve(), Repo.spec("specs/gup/ro-pin-swap-out-in.mmc").toString(), "--profiles", "v5.7,v5.9"};
        assertEquals(0, cli.run(args));
        List<String> local = cli.stdout().lines().map(SparkEngineCliTest::withoutTimeAndHeap).toList();
        String[] spark = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--engine", "spark",
                "--master", "local[2]")).toArray(String[]::new);
        assertEquals(0, cli.run(spark));
        assertEquals(local, cli.stdout().lines().map(SparkEngineCliTest::withoutTimeAndHeap).toList());
        assertEquals(19, local.size());
        assertEquals(2, cli.run("sweep", cve(), "--master", "local[2]"));
        assertTrue(cli.stderr().contains("--master and --spark-conf need --engine spark"), cli.stderr());
        assertEquals(2, cli.run("sweep", cve(), "--engine", "spark", "--threads", "2"));
        assertTrue(cli.stderr().contains("--threads sizes the local pool"), cli.stderr());
        assertEquals(2, cli.run("sweep", cve(), "--engine", "spark", "--set", "wp-reuse=page-count-free-swap"));
        assertTrue(cli.stderr().contains("--set and --plugin do not reach spark (master local[2])"), cli.stderr());
        assertFalse(cli.stderr().contains("\tat ") || cli.stderr().contains("internal error"), cli.stderr());
    }

    /** A CSV row without its last two columns, time_ms and peak_heap_mb. */
    private static String withoutTimeAndHeap(String row) {
        return row.substring(0, row.lastIndexOf(',', row.lastIndexOf(',') - 1));
    }
}
