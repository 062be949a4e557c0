package dev.mmcheck.cli;

import dev.mmcheck.lib.Repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: exit status 0/1/2, one clear message for bad input, JSON that parses. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String cve() {
        return Repo.spec("specs/cow/cve-2020-29374-vmsplice-child.mmc").toString();
    }

    @Test
    void aViolationExitsOneAndPrintsTheCounterexample() {
        assertEquals(1, run("check", cve()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("VIOLATED                    no-leak-across-fork  (3 steps)"), text);
        assertTrue(text.contains("   3. P0 *A = 0xff"), text);
        assertTrue(text.contains("result: VIOLATION (exit 1)"), text);
    }

    @Test
    void theProfileOptionRunsTheSameSpecUnderAFixedEraAndSaysWhatWasChecked() {
        assertEquals(0, run("check", cve(), "--profile", "v5.9"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("no violation within bounds  no-leak-across-fork  (2 processes, 1 page, depth 3 (every program step); 6 states)"), text);
        assertFalse(text.toLowerCase().contains("verified"));
    }

    @Test
    void jsonOutputParsesAndCarriesVerdictsAndTraces() {
        assertEquals(1, run("check", cve(), "--json"));
        JsonObject root = JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals("mmcheck-report/1", root.get("schema").getAsString());
        JsonObject run = root.getAsJsonArray("runs").get(0).getAsJsonObject();
        assertEquals(7, run.getAsJsonObject("search").get("states").getAsInt());
        JsonObject leak = run.getAsJsonArray("properties").get(1).getAsJsonObject();
        assertEquals("no-leak-across-fork", leak.get("name").getAsString());
        assertEquals("violated", leak.get("verdict").getAsString());
        assertEquals(3, leak.getAsJsonObject("trace").getAsJsonArray("steps").size());
    }

    @Test
    void anUnknownProfileIsBadInput() {
        assertEquals(2, run("check", cve(), "--profile", "v4.0"));
        assertEquals("mmcheck: unknown profile 'v4.0'; expected one of [v5.7, v5.8, v5.9, v5.18, v5.19, v7.0]\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingSpecIsBadInputWithoutAStackTrace() {
        assertEquals(2, run("check", "does-not-exist.mmc"));
        assertEquals("does-not-exist.mmc: no such file\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedSpecIsBadInputWithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.mmc");
        Files.writeString(bad, "spec bad\nprofile v7.0\nprocesses 1\npages 1\nP0 {\n  write A 0x100\n}\ncheck all\n");
        assertEquals(2, run("check", bad.toString()));
        assertEquals(bad + ":6:11: a page value is a byte, 0..0xff\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(2, run("check", "--frobnicate", cve()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("mmcheck: Unknown option: '--frobnicate'"));
    }

    @Test
    void savedCounterexamplesMatchTheCommittedCorpus(@TempDir Path dir) throws Exception {
        assertEquals(1, run("check", cve(), "--save-counterexamples", dir.toString()));
        String saved = Files.readString(dir.resolve("cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json"));
        String committed = Files.readString(Repo.root().resolve("counterexamples/cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json"));
        assertEquals(committed.replace("specs/cow/", ""), saved.replace(cve().replace("cve-2020-29374-vmsplice-child.mmc", ""), ""));
    }

    private String cxFile(String name) {
        return Repo.root().resolve("counterexamples").resolve(name).toString();
    }

    @Test
    void replayOfACommittedCounterexampleStillViolatesUnderItsRecordedProfile() {
        assertEquals(1, run("replay", cxFile("cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json")));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("result: still violates no-leak-across-fork (exit 1)\n"));
    }

    @Test
    void replayUnderTheEraThatFixedTheBugNoLongerViolates() {
        assertEquals(0, run("replay", cxFile("ro-pin-swap-out-in.v5.9.pin-coherent.json"), "--profile", "v7.0"));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("result: every step replays, but pin-coherent no longer breaks (exit 0)\n"));
    }

    @Test
    void replayReportsTheFirstStepWhereTheModelNoLongerFollowsTheRecording(@TempDir Path dir) throws Exception {
        Path edited = dir.resolve("edited.json");
        String text = Files.readString(Path.of(cxFile("cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json")))
                .replace("\"P1 munmap(A)\"", "\"P1 madvise(A, MADV_DONTNEED)\"")
                .replace("\"spec\": \"specs/", "\"spec\": \"" + Repo.root().resolve("specs") + "/");
        Files.writeString(edited, text);
        assertEquals(0, run("replay", edited.toString()));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("diverges at step 2: recorded 'P1 madvise(A, MADV_DONTNEED)', now 'P1 munmap(A)'"), printed);
    }

    @Test
    void aMalformedCounterexampleFileIsBadInput(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"schema\": \"something-else\"}");
        assertEquals(2, run("replay", bad.toString()));
        assertEquals(bad + ": not an mmcheck-counterexample/1 file\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void outWritesTheReportInTheFormatOfItsExtension(@TempDir Path dir) throws Exception {
        assertEquals(1, run("check", cve(), "--out", dir.resolve("r.json").toString(), "--out", dir.resolve("r.txt").toString()));
        assertTrue(Files.readString(dir.resolve("r.txt")).contains("result: VIOLATION (exit 1)"));
        assertEquals(2, run("check", cve(), "--out", dir.resolve("r.pdf").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown report format; expected a file ending in .txt, .json, .html, .dot"));
    }

    @Test
    void checkUnderAnArchRunsTheSpecWithThatArchsFeaturesAndNeedsNoSolver() {
        assertEquals(1, run("check", cve(), "--arch", "arm64"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("  profile: v5.7+soft-dirty=absent"), text);
        assertTrue(text.contains("VIOLATED                    no-leak-across-fork  (3 steps)"), text);
        assertTrue(text.contains("P1 A pte: folio#0 RO dirty -> none"), "no soft-dirty bits on arm64: " + text);
    }

    @Test
    void anUnknownArchIsBadInput() {
        assertEquals(2, run("arch", "check", "--arch", "vax"));
        assertEquals("mmcheck: unknown arch 'vax'; expected one of [x86_64, arm64, riscv64, s390x, ppc64]\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("check", cve(), "--arch", "vax"));
    }

    @Test
    void aCounterexampleFoundUnderAnArchReplaysUnderThatArch(@TempDir Path dir) throws Exception {
        assertEquals(1, run("check", cve(), "--arch", "arm64", "--save-counterexamples", dir.toString()));
        Path saved = dir.resolve("cve-2020-29374-vmsplice-child.arm64.v5.7.no-leak-across-fork.json");
        assertTrue(Files.readString(saved).contains("\"arch\": \"arm64\""));
        out.reset();
        assertEquals(1, run("replay", saved.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("replayed under v5.7+soft-dirty=absent"), out.toString(StandardCharsets.UTF_8));
    }
}
