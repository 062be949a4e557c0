package dev.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.Schemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** check --engine spark: the same result as the local engine, the engine named in the reports, one-line refusals. */
class SparkEngineCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String cve() {
        return Repo.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc").toString();
    }

    @Test
    void sparkReportsTheLocalResultAndNamesItsMaster() {
        assertEquals(1, run("check", "--json", cve()));
        var local = JsonParser.parseString(stdout()).getAsJsonObject();
        assertEquals(1, run("check", "--json", "--engine", "spark", "--master", "local[1]", "--partitions", "3", cve()));
        assertEquals(List.of(), Schemas.errors("report", stdout()));
        var spark = JsonParser.parseString(stdout()).getAsJsonObject();
        var ls = local.getAsJsonArray("runs").get(0).getAsJsonObject();
        var ss = spark.getAsJsonArray("runs").get(0).getAsJsonObject();
        assertEquals("local", ls.getAsJsonObject("search").get("engine").getAsString());
        assertEquals("spark (master local[1], 3 partitions)", ss.getAsJsonObject("search").get("engine").getAsString());
        assertEquals(ls.getAsJsonObject("search").get("states"), ss.getAsJsonObject("search").get("states"));
        assertEquals(ls.getAsJsonObject("search").get("transitions"), ss.getAsJsonObject("search").get("transitions"));
        assertEquals(ls.get("properties").toString(), ss.get("properties").toString());
        assertEquals(1, run("check", "--engine", "spark", cve()));
        assertTrue(stdout().contains("breadth-first on spark (master local[2])"), stdout());
    }

    @Test
    void badEngineInputIsOneLine() {
        assertEquals(2, run("check", "--engine", "spark", "--master", "nowhere", cve()));
        assertEquals("mmcheck: --engine spark: not a Spark master URL: 'nowhere' (try local[2], spark://host:7077, yarn or"
                + " k8s://https://host:port)", stderr().strip().lines().filter(l -> l.startsWith("mmcheck:")).findFirst().orElse(""));
        assertEquals(2, run("check", "--engine", "hadoop", cve()));
        assertTrue(stderr().contains("unknown engine 'hadoop'; this build offers: local, spark"), stderr());
        assertEquals(2, run("check", "--master", "local[2]", cve()));
        assertTrue(stderr().contains("need --engine spark"), stderr());
        assertEquals(2, run("check", "--engine", "spark", "--resume", cve()));
        assertTrue(stderr().contains("--resume needs --checkpoint DIR"), stderr());
        assertEquals(2, run("check", "--engine", "spark", "--profile", "all", cve()));
        assertTrue(stderr().contains("runs on the local engine only"), stderr());
        assertEquals(2, run("check", "--engine", "spark", "--checkpoint", "/nonexistent/mmcheck-no-checkpoint", "--resume", cve()));
        assertTrue(stderr().contains("--engine spark: no checkpoint to resume from: /nonexistent/mmcheck-no-checkpoint is not a directory"),
                stderr());
        assertFalse(stderr().contains("\tat ") || stderr().contains("internal error"), stderr());
    }
}
