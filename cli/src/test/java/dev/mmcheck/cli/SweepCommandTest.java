package dev.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.Schemas;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep and check --profile all on the command line: results only on stdout, exit statuses, one message for bad input. */
class SweepCommandTest {
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

    private static String spec(String s) {
        return Repo.spec(s).toString();
    }

    @Test
    void aSweepPrintsOnlyTheCsvAndExitsZeroThoughRunsViolate() {
        assertEquals(0, run("sweep", spec("specs/cow/cve-2020-29374-vmsplice-child.mmc"), "--profiles", "v5.7,v5.9", "--threads", "2"));
        List<String> lines = stdout().lines().toList();
        assertEquals(9, lines.size());
        assertTrue(lines.get(1).startsWith("cow/cve-2020-29374-vmsplice-child,v5.7,,x86_64,2,1,3,forbidden P1:pipe == 0xff,outcome,violated,7,7,3,true,"),
                lines.get(1));
        assertTrue(lines.get(5).startsWith("cow/cve-2020-29374-vmsplice-child,v5.9,,x86_64,2,1,3,forbidden P1:pipe == 0xff,outcome,"
                + "no_violation_within_bounds,6,7,3,true,"), lines.get(5));
        assertEquals("", stderr());
    }

    @Test
    void theJsonIsValidUnderItsSchemaAndTheOutDirHasTheSummary(@TempDir Path dir) throws Exception {
        assertEquals(0, run("sweep", spec("specs/gup/ro-pin-swap-out-in.mmc"), "--profiles", "v5.8..v5.11", "--json", "--out-dir",
                dir.toString()));
        assertEquals(List.of(), Schemas.errors("sweep", stdout()));
        assertTrue(Files.readString(dir.resolve("index.html")).contains("<img src=\"verdicts-pin-coherent.png\""));
        assertEquals(List.of(), Schemas.errors("sweep", Files.readString(dir.resolve("sweep.json"))));
    }

    @Test
    void aBadReleaseListIsBadInputWithOneLine() {
        assertEquals(2, run("sweep", spec("specs/gup/ro-pin-swap-out-in.mmc"), "--profiles", "v5.8..v9.9"));
        assertEquals("mmcheck: --profiles: unknown release 'v9.9'; expected v4.8..v7.1\n", stderr());
        assertEquals("", stdout());
        assertEquals(2, run("sweep", spec("specs/explore/anon-all-ops-1page.mmc"), "--depth", "3..x"));
        assertEquals("mmcheck: --depth: 'x' is not a number in 1..1000000\n", stderr());
    }

    @Test
    void checkProfileAllPrintsTheEraMatrixOfTheSpec() {
        assertEquals(1, run("check", spec("specs/gup/ro-pin-swap-out-in.mmc"), "--profile", "all"));
        String text = stdout();
        assertTrue(text.contains("\n  v4.8          v5.0                 v6.0                 v7.0\n"), text);
        assertTrue(text.contains("""
                  ............. .........XX......... .................... ..  pin-coherent
                      no violation within bounds v4.8..v5.8; VIOLATED v5.9..v5.10; no violation within bounds v5.11..v7.1
                """), text);
        assertEquals("", stderr());
    }

    @Test
    void aListWithAGapNeverClaimsTheReleasesBetween() {
        assertEquals(1, run("check", spec("specs/gup/ro-pin-swap-out-in.mmc"), "--profile", "v5.10..v5.11,v7.1"));
        assertTrue(stdout().contains("      VIOLATED v5.10; no violation within bounds v5.11; no violation within bounds v7.1\n"), stdout());
    }
}
