package dev.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.mmcheck.lib.Repo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diff, --set and the bound overrides on the command line: exit statuses and one message for each mistake. */
class DiffCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path tmp;

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
    void aReleaseThatFixesABugExitsZeroAndSaysFixes() {
        assertEquals(0, run("diff", spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--base", "v5.18", "--to", "v5.19"));
        assertTrue(stdout().contains("  fixes      pin-coherent                VIOLATED -> no violation within bounds"), stdout());
        assertTrue(stdout().contains("result: the change breaks nothing the base keeps within these bounds"), stdout());
        assertEquals("", stderr());
    }

    @Test
    void aChangeThatBreaksAnInvariantExitsOneWithItsCounterexample() {
        // Going back to v5.18's refcount-based reuse rule on v5.19 breaks the pin again.
        assertEquals(1, run("diff", spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--base", "v5.19", "--set", "wp-reuse=page-count-free-swap",
                "--json"));
        assertEquals(java.util.List.of(), dev.mmcheck.lib.Schemas.errors("diff", stdout()));
        var o = JsonParser.parseString(stdout()).getAsJsonObject();
        assertEquals("mmcheck-diff/1", o.get("schema").getAsString());
        var d = o.getAsJsonArray("diffs").get(0).getAsJsonObject();
        assertTrue(d.get("breaks").getAsBoolean());
        var pin = d.getAsJsonArray("properties").asList().stream().map(x -> x.getAsJsonObject())
                .filter(x -> x.get("property").getAsString().equals("pin-coherent")).findFirst().orElseThrow();
        assertEquals("breaks", pin.get("change").getAsString());
        assertEquals(5, pin.getAsJsonArray("counterexample").size());
    }

    @Test
    void mistakesAreOneMessageAndExitTwo() throws Exception {
        assertEquals(2, run("diff", spec("specs/gup/ro-pin-mprotect-softdirty.mmc")));
        assertEquals("mmcheck: nothing to compare: give the change with --set POINT=CHOICE, --plugin JAR or --to RELEASE\n", stderr());
        assertEquals(2, run("check", spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--set", "wp-reuse"));
        assertEquals("mmcheck: --set wp-reuse: expected POINT=CHOICE, e.g. --set wp-reuse=page-count-free-swap\n", stderr());
        assertEquals(2, run("check", spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--set", "wp-reuse=sometimes"));
        assertTrue(stderr().startsWith("mmcheck: --set wp-reuse=sometimes: unknown choice 'sometimes' for wp-reuse; expected one of "), stderr());
        assertEquals(2, run("check", spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--profile", "v5.18", "--set",
                "pin-unshare=anon-not-exclusive"));
        assertTrue(stderr().contains("inconsistent choices (set at --set pin-unshare=anon-not-exclusive): pin-unshare = anon-not-exclusive "
                + "needs anon-exclusive = tracked"), stderr());
        Path notJar = Files.writeString(tmp.resolve("rule.jar"), "text");
        assertEquals(2, run("check", spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--plugin", notJar.toString()));
        assertTrue(stderr().startsWith("mmcheck: --plugin " + notJar + ": not a readable JAR"), stderr());
        assertEquals(2, run("check", spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--depth", "3"));
        assertTrue(stderr().contains("with --depth 3: 'depth' is for explorations"), stderr());
    }

    @Test
    void boundOverridesChangeWhatIsExplored() {
        run("check", spec("specs/explore/anon-all-ops-1page.mmc"), "--depth", "2", "--json");
        var d2 = JsonParser.parseString(stdout()).getAsJsonObject().getAsJsonArray("runs").get(0).getAsJsonObject().getAsJsonObject("search");
        run("check", spec("specs/explore/anon-all-ops-1page.mmc"), "--depth", "3", "--json");
        var d3 = JsonParser.parseString(stdout()).getAsJsonObject().getAsJsonArray("runs").get(0).getAsJsonObject().getAsJsonObject("search");
        assertTrue(d2.get("bounds").getAsString().contains("depth 2"), d2.toString());
        assertTrue(d3.get("bounds").getAsString().contains("depth 3"), d3.toString());
        assertTrue(d2.get("states").getAsLong() < d3.get("states").getAsLong());
    }
}
