package dev.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.mmcheck.lib.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** diff, --set and the bound overrides on the command line: exit statuses and one message for each mistake. */
class DiffCommandTest {
    private final Cli cli = new Cli();

    @TempDir
    Path tmp;

    @Test
    void aReleaseThatFixesABugExitsZeroAndSaysFixes() {
        assertEquals(0, cli.run("diff", Cli.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--base", "v5.18", "--to", "v5.19"));
        assertTrue(cli.stdout().contains("  fixes      pin-coherent                VIOLATED -> no violation within bounds"), cli.stdout());
        assertTrue(cli.stdout().contains("result: the change breaks nothing the base keeps within these bounds"), cli.stdout());
        assertEquals("", cli.stderr());
    }

    @Test
    void aChangeThatBreaksAnInvariantExitsOneWithItsCounterexample() {
        // Going back to v5.18's refcount-based reuse rule on v5.19 breaks the pin again.
        assertEquals(1, cli.run("diff", Cli.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--base", "v5.19", "--set", "wp-reuse=page-count-free-swap",
                "--json"));
        assertEquals(java.util.List.of(), dev.mmcheck.lib.Schemas.errors("diff", cli.stdout()));
        var o = JsonParser.parseString(cli.stdout()).getAsJsonObject();
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
        assertEquals(2, cli.run("diff", Cli.spec("specs/gup/ro-pin-mprotect-softdirty.mmc")));
        assertEquals("mmcheck: nothing to compare: give the change with --set POINT=CHOICE, --plugin JAR or --to RELEASE\n", cli.stderr());
        assertEquals(2, cli.run("check", Cli.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--set", "wp-reuse"));
        assertEquals("mmcheck: --set wp-reuse: expected POINT=CHOICE, e.g. --set wp-reuse=page-count-free-swap\n", cli.stderr());
        assertEquals(2, cli.run("check", Cli.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--set", "wp-reuse=sometimes"));
        assertTrue(cli.stderr().startsWith("mmcheck: --set wp-reuse=sometimes: unknown choice 'sometimes' for wp-reuse; expected one of "), cli.stderr());
        assertEquals(2, cli.run("check", Cli.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--profile", "v5.18", "--set",
                "pin-unshare=anon-not-exclusive"));
        assertTrue(cli.stderr().contains("inconsistent choices (set at --set pin-unshare=anon-not-exclusive): pin-unshare = anon-not-exclusive "
                + "needs anon-exclusive = tracked"), cli.stderr());
        Path notJar = Files.writeString(tmp.resolve("rule.jar"), "text");
        assertEquals(2, cli.run("check", Cli.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--plugin", notJar.toString()));
        assertTrue(cli.stderr().startsWith("mmcheck: --plugin " + notJar + ": not a readable JAR"), cli.stderr());
        assertEquals(2, cli.run("check", Cli.spec("specs/gup/ro-pin-mprotect-softdirty.mmc"), "--depth", "3"));
        assertTrue(cli.stderr().contains("with --depth 3: 'depth' is for explorations"), cli.stderr());
    }

    @Test
    void boundOverridesChangeWhatIsExplored() {
        cli.run("check", Cli.spec("specs/explore/anon-all-ops-1page.mmc"), "--depth", "2", "--json");
        var d2 = JsonParser.parseString(cli.stdout()).getAsJsonObject().getAsJsonArray("runs").get(0).getAsJsonObject().getAsJsonObject("search");
        cli.run("check", Cli.spec("specs/explore/anon-all-ops-1page.mmc"), "--depth", "3", "--json");
        var d3 = JsonParser.parseString(cli.stdout()).getAsJsonObject().getAsJsonArray("runs").get(0).getAsJsonObject().getAsJsonObject("search");
        assertTrue(d2.get("bounds").getAsString().contains("depth 2"), d2.toString());
        assertTrue(d3.get("bounds").getAsString().contains("depth 3"), d3.toString());
        assertTrue(d2.get("states").getAsLong() < d3.get("states").getAsLong());
    }
}
