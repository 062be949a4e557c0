package dev.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmcheck.lib.Repo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check --out FILE.c and replay --out FILE.c: a C reproducer when there is a violation, one clear message when not. */
class ReproCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String spec(String s) {
        return Repo.spec(s).toString();
    }

    private static String cx(String name) {
        return Repo.root().resolve("counterexamples").resolve(name).toString();
    }

    @Test
    void checkOutDotCWritesTheReproducerOfTheViolation(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("repro.c");
        assertEquals(1, run("check", spec("specs/cow/cve-2020-29374-vmsplice-child.mmc"), "--out", c.toString()));
        String text = Files.readString(c);
        assertTrue(text.startsWith("/*\n * cow/cve-2020-29374-vmsplice-child: a counterexample mmcheck found"), text);
        assertTrue(text.contains(" * property: forbidden P1:pipe == 0xff\n"), text);
        assertTrue(text.contains("\t\tr->status = pipe_ref(r, 0, 0);\n"), text);
        assertEquals("", stderr());
    }

    @Test
    void withNoViolationNothingIsWrittenAndTheStatusIsTheChecks(@TempDir Path dir) {
        Path c = dir.resolve("repro.c");
        assertEquals(0, run("check", spec("specs/cow/cve-2020-29374-vmsplice-child.mmc"), "--profile", "v5.9", "--out", c.toString()));
        assertFalse(Files.exists(c));
        assertEquals("mmcheck: --out " + c + ": no property of cow/cve-2020-29374-vmsplice-child is violated, so there is no "
                + "reproducer to write\n", stderr());
    }

    @Test
    void aReproducerIsOneSpecsSoSeveralSpecsAreAUsageError(@TempDir Path dir) {
        Path c = dir.resolve("repro.c");
        assertEquals(2, run("check", spec("specs/cow/cve-2020-29374-vmsplice-child.mmc"), spec("specs/gup/ro-pin-zeropage.mmc"),
                "--out", c.toString()));
        assertEquals("mmcheck: --out " + c + ": a C reproducer is one counterexample of one spec; 2 specs given\n", stderr());
        assertFalse(Files.exists(c));
    }

    @Test
    void replayOutDotCWritesTheReproducerWhileTheCounterexampleStillViolates(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("repro.c");
        assertEquals(1, run("replay", cx("ro-pin-swap-out-in.v5.9.pin-coherent.json"), "--out", c.toString()));
        String text = Files.readString(c);
        assertTrue(text.contains("\t\tr->status = pageout(r, 0, 1);\n"), text);
        assertTrue(text.contains("\t\tr->status = gup_ref(r, 0, 0, 0);\t/* pin_user_pages() */\n"), text);
        Path fixed = dir.resolve("fixed.c");
        assertEquals(0, run("replay", cx("ro-pin-swap-out-in.v5.9.pin-coherent.json"), "--profile", "v5.11", "--out", fixed.toString()));
        assertFalse(Files.exists(fixed));
        assertTrue(stderr().contains("the counterexample no longer violates pin-coherent under v5.11"), stderr());
    }

    @Test
    void replayWritesOnlyCPrograms(@TempDir Path dir) {
        Path txt = dir.resolve("repro.txt");
        assertEquals(2, run("replay", cx("ro-pin-swap-out-in.v5.9.pin-coherent.json"), "--out", txt.toString()));
        assertEquals("mmcheck: --out " + txt + ": replay writes a C reproducer: the file name must end in .c\n", stderr());
    }
}
