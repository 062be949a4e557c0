package dev.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's contract: exit statuses that never lie, one clear message for bad input, JSON that parses. */
class MainTest {
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

    private static String cxFile(String name) {
        return Repo.root().resolve("counterexamples").resolve(name).toString();
    }

    @Test
    void aViolationExitsOneAndPrintsTheCounterexample() {
        assertEquals(1, run("check", cve()));
        String text = stdout();
        assertTrue(text.contains("VIOLATED                    no-leak-across-fork  (3 steps)"), text);
        assertTrue(text.contains("   3. P0 *A = 0xff"), text);
        assertTrue(text.contains("  the same 3 steps as forbidden P1:pipe == 0xff above"), text);
        assertTrue(text.endsWith("result: VIOLATION\n"), text);
        assertEquals("", stderr());
    }

    @Test
    void theTraceRaceDiagramAndMinimalSequenceFitInAMail() {
        assertEquals(1, run("check", cve()));
        String text = stdout();
        int from = text.indexOf("\nforbidden P1:pipe");
        for (String line : text.substring(from).split("\n")) {
            assertTrue(line.length() <= 80, "over 80 columns: " + line);
        }
    }

    @Test
    void theProfileOptionRunsTheSameSpecUnderAFixedReleaseAndSaysWhatWasChecked() {
        assertEquals(0, run("check", cve(), "--profile", "v5.9"));
        String text = stdout();
        assertTrue(text.contains("no violation within bounds  no-leak-across-fork  (2 processes, 1 page, depth 3 (every program step); 6 states)"), text);
        assertFalse(text.toLowerCase().contains("verified"));
        assertTrue(text.endsWith("result: no violation within bounds\n"), text);
    }

    @Test
    void jsonOutputParsesAndCarriesVerdictsTracesAndHowTheSearchEnded() {
        assertEquals(1, run("check", cve(), "--json"));
        JsonObject root = JsonParser.parseString(stdout()).getAsJsonObject();
        assertEquals("mmcheck-report/2", root.get("schema").getAsString());
        JsonObject run = root.getAsJsonArray("runs").get(0).getAsJsonObject();
        assertEquals(7, run.getAsJsonObject("search").get("states").getAsInt());
        assertEquals("complete", run.getAsJsonObject("search").get("stop").getAsString());
        assertEquals("violation", run.get("status").getAsString());
        JsonObject leak = run.getAsJsonArray("properties").get(1).getAsJsonObject();
        assertEquals("no-leak-across-fork", leak.get("name").getAsString());
        assertEquals("violated", leak.get("verdict").getAsString());
        assertEquals("[\"pipe\",\"folio#0\"]", leak.getAsJsonArray("culprits").toString());
        assertEquals(3, leak.getAsJsonObject("trace").getAsJsonArray("steps").size());
    }

    @Test
    void anUnknownProfileIsBadInput() {
        assertEquals(2, run("check", cve(), "--profile", "v4.0"));
        assertEquals("mmcheck: --profile: unknown profile 'v4.0'; expected a release v4.8..v7.1 (the named eras: v5.7, v5.8, v5.9, "
                + "v5.18, v5.19, v7.0)\n", stderr());
    }

    @Test
    void aMissingSpecIsBadInputWithoutAStackTrace() {
        assertEquals(2, run("check", "does-not-exist.mmc"));
        assertEquals("does-not-exist.mmc: no such file\n", stderr());
    }

    @Test
    void aDirectoryOrDevZeroIsRefusedWithOneLine() {
        assertEquals(2, run("check", Repo.root().resolve("specs").toString()));
        assertTrue(stderr().endsWith(": is a directory, not a spec file\n"), stderr());
        assertEquals(2, run("check", "/dev/zero"));
        assertEquals("/dev/zero: larger than 1024 KiB; a spec file is a small text file\n", stderr());
    }

    @Test
    void aMalformedSpecIsBadInputWithFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.mmc");
        Files.writeString(bad, "spec bad\ncite \"x\"\nprofile v7.0\nprocesses 1\npages 1\nP0 {\n  write A 0x100\n}\ncheck all\n");
        assertEquals(2, run("check", bad.toString()));
        assertEquals(bad + ":7:11: a page value is a byte, 0..0xff\n", stderr());
    }

    @Test
    void aBadSpecDoesNotStopTheOthersAndAViolationStillExitsOne(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.mmc");
        Files.writeString(bad, "spec bad\nfrobnicate\n");
        assertEquals(1, run("check", bad.toString(), cve()));
        assertTrue(stdout().contains("VIOLATED                    no-leak-across-fork"), stdout());
        assertEquals(bad + ":2:1: unknown directive 'frobnicate'; expected spec, title, cite, profile, set, processes, "
                + "pages, depth, max-states, setup {, P<n> {, ops, check, witness, exists or forbidden\n", stderr());
        assertEquals(2, run("check", bad.toString(), cve(), "--profile", "v5.9"));
    }

    @Test
    void aSetupFailureUnderJsonKeepsTheResultsAlreadyComputed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("setup.mmc");
        Files.writeString(bad, "spec setup\ncite \"x\"\nprofile v7.0\nprocesses 1\npages 1\nsetup {\n  P0: munmap A\n}\nP0 {\n  read A\n}\ncheck all\n");
        assertEquals(1, run("check", cve(), bad.toString(), "--json"));
        JsonObject root = JsonParser.parseString(stdout()).getAsJsonObject();
        assertEquals(1, root.getAsJsonArray("runs").size());
        assertEquals(bad + ":7:3: setup step 'munmap A' cannot run under v7.0: munmap: no VMA at A, nothing to unmap",
                root.getAsJsonArray("errors").get(0).getAsString());
    }

    @Test
    void porSaysWhatItDidAndKeepsTheStates() {
        String spec = Repo.root().resolve("specs/explore/anon-ksm-zero-1page.mmc").toString();
        assertEquals(0, run("check", spec));
        assertTrue(stdout().contains("depth 6; 44,820 states, 159,442 transitions"), stdout());
        assertEquals(0, run("check", spec, "--por", "--threads", "2"));
        assertTrue(stdout().contains("depth 6, sleep-set partial-order reduction; 44,820 states, 147,306 transitions"), stdout());
        assertEquals(2, run("check", spec, "--por", "--symmetry"));
        assertTrue(stderr().startsWith("mmcheck: --por and --symmetry cannot be used together (yet)\n"), stderr());
        assertEquals(2, run("check", spec, "--por", "--strategy", "random"));
        assertTrue(stderr().startsWith("mmcheck: --por works with --strategy bfs or bitstate, not random\n"), stderr());
    }

    @Test
    void anUnknownOptionIsAUsageErrorThatSaysWhereToLook() {
        assertEquals(2, run("check", "--frobnicate", cve()));
        assertTrue(stderr().startsWith("mmcheck: Unknown option: '--frobnicate'\nTry 'mmcheck check --help' for the options."), stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"check", "replay", "arch", "arch check", "bench", "profiles", "invariants", "ops"})
    void everyCommandHasHelp(String command) {
        String[] args = (command + " --help").split(" ");
        assertEquals(0, run(args), stderr());
        assertTrue(stdout().startsWith("Usage: mmcheck " + command), stdout());
        String[] viaHelp = ("help " + command.replace("arch check", "arch")).split(" ");
        assertEquals(0, run(viaHelp), stderr());
        assertTrue(stdout().startsWith("Usage: mmcheck " + command.replace("arch check", "arch")), stdout());
    }

    @Test
    void theTopLevelHelpListsTheExitStatuses() {
        assertEquals(0, run("--help"));
        assertTrue(stdout().contains("  4    incomplete: a state bound, time or memory limit stopped the search\n"), stdout());
        assertTrue(stdout().contains("  130  interrupted (Ctrl-C); the partial report is printed and written\n"), stdout());
    }

    @Test
    void anUnwritableOutIsRefusedBeforeAnySpecRuns(@TempDir Path dir) {
        assertEquals(2, run("check", cve(), "--out", dir.resolve("no/such/dir/r.txt").toString()));
        assertEquals("", stdout());
        assertTrue(stderr().contains("the directory " + dir.resolve("no/such/dir") + " does not exist"), stderr());
        assertEquals(2, run("check", cve(), "--out", dir.resolve("r.pdf").toString()));
        assertTrue(stderr().contains("unknown report format; expected a file ending in .txt, .json, .html, .dot"), stderr());
    }

    @Test
    void anEmptyCounterexampleDirectoryIsRefused() {
        assertEquals(2, run("check", cve(), "--save-counterexamples", ""));
        assertEquals("mmcheck: --save-counterexamples needs a directory name\n", stderr());
    }

    @Test
    void outWritesTheReportInTheFormatOfItsExtension(@TempDir Path dir) throws Exception {
        assertEquals(1, run("check", cve(), "--out", dir.resolve("r.json").toString(), "--out", dir.resolve("r.txt").toString()));
        assertTrue(Files.readString(dir.resolve("r.txt")).endsWith("result: VIOLATION\n"));
        assertEquals("mmcheck-report/2", JsonParser.parseString(Files.readString(dir.resolve("r.json"))).getAsJsonObject()
                .get("schema").getAsString());
    }

    @Test
    void strictTurnsWarningsIntoBadInput(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("nocite.mmc");
        Files.writeString(spec, "spec nocite\nprofile v7.0\nprocesses 1\npages 1\nsetup {\n  P0: mmap A anon rw\n}\nP0 {\n  read A\n}\ncheck all\n");
        assertEquals(0, run("check", spec.toString()));
        assertEquals(spec + ":1:1: warning: no 'cite' line: say which commit, test, mail or CVE this spec encodes\n", stderr());
        assertEquals(2, run("check", spec.toString(), "--strict"));
        assertEquals("", stdout());
    }

    @Test
    void savedCounterexamplesMatchTheCommittedCorpus(@TempDir Path dir) throws Exception {
        assertEquals(1, run("check", cve(),
                "--save-counterexamples", dir.toString()));
        String saved = Files.readString(dir.resolve("cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json"));
        String committed = Files.readString(Path.of(cxFile("cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json")));
        assertEquals(committed, saved.replace(Repo.root() + "/", ""));
    }

    @Test
    void replayOfACommittedCounterexampleStillViolatesUnderItsRecordedProfile() {
        assertEquals(1, run("replay", cxFile("cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json")));
        assertTrue(stdout().endsWith("result: still violates no-leak-across-fork (exit 1)\n"), stdout());
    }

    @Test
    void aCounterexampleReplaysFromAnyDirectoryBecauseItCarriesItsSpec(@TempDir Path dir) throws Exception {
        Path moved = dir.resolve("elsewhere.json");
        Files.copy(Path.of(cxFile("ro-pin-swap-out-in.v5.9.pin-coherent.json")), moved);
        assertEquals(1, run("replay", moved.toString()));
        assertEquals(0, run("replay", moved.toString(), "--profile", "v7.0"));
        assertTrue(stdout().endsWith("result: every step replays, but pin-coherent no longer breaks (exit 0)\n"), stdout());
    }

    @Test
    void replayReportsTheFirstStepWhereTheModelNoLongerFollowsTheRecording(@TempDir Path dir) throws Exception {
        Path edited = dir.resolve("edited.json");
        Files.writeString(edited, Files.readString(Path.of(cxFile("cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json")))
                .replace("\"P1 munmap(A)\"", "\"P1 madvise(A, MADV_DONTNEED)\""));
        assertEquals(0, run("replay", edited.toString()));
        assertTrue(stdout().contains("diverges at step 2: recorded 'P1 madvise(A, MADV_DONTNEED)', which is not among the 2 "
                + "operations possible now"), stdout());
        assertTrue(stdout().endsWith("result: no longer reproduces (exit 0)\n"), stdout());
    }

    @Test
    void anEditedSpecTextInACounterexampleCannotBeReplayed(@TempDir Path dir) throws Exception {
        Path edited = dir.resolve("edited.json");
        Files.writeString(edited, Files.readString(Path.of(cxFile("cve-2020-29374-vmsplice-child.v5.7.no-leak-across-fork.json")))
                .replace("write A 0xff", "write A 0xfe"));
        assertEquals(2, run("replay", edited.toString()));
        assertTrue(stderr().startsWith(edited + ":6:15: $.spec.text was edited: its SHA-256 is "), stderr());
    }

    @Test
    void aMalformedCounterexampleFileIsBadInputWithALocation(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"schema\": \"something-else\"}");
        assertEquals(2, run("replay", bad.toString()));
        assertEquals(bad + ":1:12: schema \"something-else\" is not mmcheck-counterexample/2\n", stderr());
        Files.writeString(bad, "[".repeat(5000));
        assertEquals(2, run("replay", bad.toString()));
        assertEquals(bad + ":1:33: nested deeper than 32 levels\n", stderr());
    }

    @Test
    void checkUnderAnArchRunsTheSpecWithThatArchsFeaturesAndNeedsNoSolver() {
        assertEquals(1, run("check", cve(), "--arch", "arm64"));
        String text = stdout();
        assertTrue(text.contains("  profile: v5.7+soft-dirty=absent on arm64"), text);
        assertTrue(text.contains("VIOLATED                    no-leak-across-fork  (3 steps)"), text);
        assertTrue(text.contains("P1 A pte: folio#0 RO dirty -> none"), "no soft-dirty bits on arm64: " + text);
    }

    @Test
    void anUnknownArchIsBadInput() {
        assertEquals(2, run("arch", "check", "--arch", "vax"));
        assertEquals("mmcheck: unknown arch 'vax'; expected one of [x86_64, arm64, riscv64, s390x, ppc64]\n", stderr());
        assertEquals(2, run("check", cve(), "--arch", "vax"));
        assertEquals("mmcheck: --arch: unknown arch 'vax'; expected one of x86_64, arm64, riscv64, s390x, ppc64\n", stderr());
    }

    @Test
    void aCounterexampleFoundUnderAnArchReplaysUnderThatArch(@TempDir Path dir) throws Exception {
        assertEquals(1, run("check", cve(), "--arch", "arm64", "--save-counterexamples", dir.toString()));
        Path saved = dir.resolve("cve-2020-29374-vmsplice-child.arm64.v5.7.no-leak-across-fork.json");
        assertTrue(Files.readString(saved).contains("\"arch\": \"arm64\""));
        assertEquals(1, run("replay", saved.toString()));
        assertTrue(stdout().contains("replayed under v5.7+soft-dirty=absent"), stdout());
    }

    @Test
    void theTimelineSaysWhatChangedInWhichReleaseWithItsCommit() {
        assertEquals(0, run("profiles", "--timeline"));
        String out = stdout();
        assertTrue(out.contains("\nv5.11\n  swap-out-pinned = keep-out-of-swapcache\n      feb889fb40fa mm: don't put pinned pages into the swap cache ["),
                out);
        assertTrue(out.contains("\nv6.5\n"), out);
        assertTrue(out.contains("  zeropage-pin = pin-skips-zeropage\n      c8070b787519 "), out);
        assertTrue(out.contains("\nv6.11\n"), out);
        assertTrue(out.contains("  zeropage-insert = special\n      fce831c92092 "), out);
        assertEquals(0, run("profiles", "v6.11"));
        assertTrue(stdout().startsWith("v6.11\n"), stdout());
        assertTrue(stdout().contains("  zeropage-insert = special  (since v6.11)\n"), stdout());
        assertTrue(stdout().contains("  zeropage-pin = pin-skips-zeropage  (since v6.5)\n"), stdout());
        assertEquals(2, run("profiles", "v4.7"));
        assertEquals("mmcheck: unknown release 'v4.7'; expected one of v4.8..v7.1\n", stderr());
        assertEquals(0, run("profiles"));
        assertTrue(stdout().contains("  keep-out-of-swapcache  [v5.11..v5.18]\n"), stdout());
    }

    @Test
    void theZeropageOverflowChecksFollowTheRelease() {
        assertEquals(1, run("arch", "check", "--arch", "x86_64", "--profile", "v6.4"));
        assertTrue(stdout().contains("  zeropage rules of v6.4\n"), stdout());
        assertTrue(stdout().contains("  VIOLATED         zeropage-pin-no-overflow: "), stdout());
        assertTrue(stdout().contains("each adds 1024 (measured on the model): 2,097,152 pins take it from 1 past INT_MAX"), stdout());
        assertTrue(stdout().contains("  VIOLATED         zeropage-insert-no-overflow: "), stdout());
        run("arch", "check", "--arch", "x86_64", "--profile", "v6.11");
        assertTrue(stdout().contains("  holds            zeropage-pin-no-overflow: "), stdout());
        assertTrue(stdout().contains("  holds            zeropage-insert-no-overflow: "), stdout());
        assertTrue(stdout().contains("  holds            zeropage-dax-hole-balanced: "), stdout());
        assertEquals(2, run("arch", "check", "--profile", "v9.9"));
        assertTrue(stderr().startsWith("mmcheck: --profile: unknown profile 'v9.9'"), stderr());
    }

    @Test
    void archCheckHoldsOnTheBundledLayoutsAtTheNewestReleaseAndNamesTheEdgeCaseNoKernelReaches() {
        assertEquals(0, run("arch", "check"));
        String text = stdout();
        assertTrue(text.contains("  swap entries: types 0..23 (MAX_SWAPFILES 24), offsets 1..0xfffffffe: a swap area has at most "
                + "min(max_swapfile_size() 0x4000000000000 without X86_BUG_L1TF, less with the L1TF mitigation, UINT_MAX) pages"), text);
        assertTrue(text.contains("  holds            swap-pte-not-present-nor-none: a swap PTE is never pte_present() nor pte_none()\n"
                + "                   proved for every swap-file entry the kernel can make (types 0..23, offsets 1..0xfffffffe); "
                + "outside those bounds it fails at type = 0x0, offset = 0x3ffffffffffff, pte = 0x0 [no bits set]: offset "
                + "0x3ffffffffffff, the last page of a 4 EiB swap area,"), text);
        for (String check : new String[] {"uffd-wp-special-pte-not-none", "uffd-wp-special-pte-not-present",
                "uffd-wp-special-pte-has-uffd-wp-bit", "uffd-wp-special-pte-no-valid-swap-entry", "uffd-wp-marker-not-none",
                "uffd-wp-marker-not-present", "uffd-wp-marker-reads-as-uffd-wp", "uffd-wp-marker-no-valid-swap-entry",
                "pte-marker-round-trip"}) {
            assertTrue(text.contains("  holds            " + check + ": "), check);
        }
        assertFalse(text.contains("VIOLATED "), text);
        assertTrue(text.endsWith("result: every check holds (exit 0)\n"), text);
    }

    @Test
    void archCheckJsonCarriesTheSwapBoundsAndTheEdgeCase() {
        assertEquals(0, run("arch", "check", "--arch", "x86_64", "--json"));
        assertEquals(List.of(), Schemas.errors("arch", stdout()));
        JsonObject x86 = JsonParser.parseString(stdout()).getAsJsonObject().getAsJsonArray("arches").get(0).getAsJsonObject();
        JsonObject b = x86.getAsJsonObject("swapBounds");
        assertEquals(24, b.get("maxSwapfiles").getAsInt());
        assertEquals("0x4000000000000", b.get("maxSwapfileSize").getAsString());
        assertEquals("0xfffffffe", b.get("maxOffset").getAsString());
        List<String> withEdge = new java.util.ArrayList<>();
        for (var c : x86.getAsJsonArray("checks")) {
            JsonObject o = c.getAsJsonObject();
            if (o.has("outsideBounds")) withEdge.add(o.get("check").getAsString() + ": " + o.get("outsideBounds").getAsString());
        }
        assertEquals(List.of("swap-pte-not-present-nor-none: type = 0x0, offset = 0x3ffffffffffff, pte = 0x0 [no bits set]",
                "uffd-wp-special-pte-no-valid-swap-entry: pte = 0x4 [_PAGE_USER/_PAGE_SWP_UFFD_WP], its swap type = 0x0, its swap "
                        + "offset = 0x3ffffffffffff"), withEdge);
    }

    @Test
    void beforeV519TheMarkerChecksDoNotApply() {
        run("arch", "check", "--arch", "x86_64", "--profile", "v5.18");
        assertTrue(stdout().contains("  not applicable   uffd-wp-marker-not-none: "), stdout());
        assertTrue(stdout().contains("PTE markers arrived in v5.19 (679d10331918, 1db9dbc2ef05); this is v5.18"), stdout());
        assertTrue(stdout().contains("  holds            uffd-wp-special-pte-not-none: "), stdout());
    }

    @Test
    void everyListingHasAJsonForm() {
        for (String cmd : new String[] {"profiles", "invariants", "ops"}) {
            assertEquals(0, run(cmd, "--json"));
            assertEquals("mmcheck-" + cmd + (cmd.equals("profiles") ? "/2" : "/1"), JsonParser.parseString(stdout()).getAsJsonObject().get("schema").getAsString());
        }
        assertEquals(1, run("replay", cxFile("ro-pin-swap-out-in.v5.9.pin-coherent.json"), "--json"));
        JsonObject r = JsonParser.parseString(stdout()).getAsJsonObject();
        assertEquals("mmcheck-replay/1", r.get("schema").getAsString());
        assertTrue(r.get("stillViolates").getAsBoolean());
    }

    @Test
    void everyCommandsJsonIsValidUnderItsSchemaInTheRepository() {
        assertEquals(1, run("check", cve(), Repo.spec("specs/gup/ro-pin-swap-out-in.mmc").toString(), "--json"));
        assertEquals(List.of(), Schemas.errors("report", stdout()));
        assertEquals(1, run("replay", cxFile("ro-pin-swap-out-in.v5.9.pin-coherent.json"), "--json"));
        assertEquals(List.of(), Schemas.errors("replay", stdout()));
        for (String cmd : new String[] {"profiles", "invariants", "ops"}) {
            assertEquals(0, run(cmd, "--json"));
            assertEquals(List.of(), Schemas.errors(cmd, stdout()), cmd);
        }
        run("arch", "check", "--json");
        assertEquals(List.of(), Schemas.errors("arch", stdout()));
    }

    @Test
    void theStateBoundMakesARunIncompleteWithItsOwnExitStatus(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("bound.mmc");
        Files.writeString(spec, Files.readString(Repo.spec("specs/explore/anon-all-ops-1page.mmc")).replace("depth 6", "depth 6\nmax-states 500"));
        assertEquals(4, run("check", spec.toString()));
        assertTrue(stdout().contains("state bound hit, exploration incomplete"), stdout());
        assertTrue(stdout().contains("no violation in the explored part (incomplete)  pin-coherent"), stdout());
        assertTrue(stdout().endsWith("result: INCOMPLETE: state bound hit before the bounds were covered; no violation in the explored part\n"), stdout());
        assertEquals(0, run("check", spec.toString(), "--accept-incomplete"));
    }

    @Test
    void aTimeLimitEndsTheSearchWithAPartialReportInEveryOutFile(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("long.mmc");
        Files.writeString(spec, Files.readString(Repo.spec("specs/explore/anon-all-ops-1page.mmc")).replace("depth 6", "depth 12"));
        Path txt = dir.resolve("r.txt");
        assertEquals(4, run("check", spec.toString(), "--time-limit", "300ms", "--out", txt.toString(), "--out", dir.resolve("r.html").toString()));
        assertTrue(stdout().contains("time limit hit, exploration incomplete"), stdout());
        assertTrue(Files.readString(txt).contains("result: INCOMPLETE: time limit hit"), Files.readString(txt));
        assertTrue(Files.readString(dir.resolve("r.html")).contains("result: INCOMPLETE"));
    }

    @Test
    void aMemoryLimitEndsTheSearchWithAPartialReport() {
        assertEquals(4, run("check", Repo.spec("specs/explore/anon-all-ops-1page.mmc").toString(), "--memory-limit", "1k"));
        assertTrue(stdout().contains("memory limit hit, exploration incomplete"), stdout());
        assertTrue(stdout().contains("1 states"), stdout());
    }

    @Test
    void badLimitsAreUsageErrors() {
        assertEquals(2, run("check", cve(), "--time-limit", "soon"));
        assertTrue(stderr().contains("expected a positive duration such as 90s, 5m, 1h30m or 250ms, got 'soon'"), stderr());
        assertEquals(2, run("check", cve(), "--memory-limit", "lots"));
        assertTrue(stderr().contains("expected a size such as 512m or 4g, got 'lots'"), stderr());
        assertEquals(2, run("check", cve(), "--memory-limit", "100t"));
        assertTrue(stderr().contains("is more than the heap"), stderr());
    }

    @Test
    void firstViolationStopsAtTheFirstViolatedPropertyAndLeavesTheOthersUndecided() {
        assertEquals(1, run("check", cve(), "--first-violation"));
        String text = stdout();
        // The outcome clause is violated first (7 states in), so the invariants are undecided in the explored part.
        assertTrue(text.contains("7 states, 7 transitions; stopped at the first violation, exploration incomplete"), text);
        assertTrue(text.contains("VIOLATED                                        forbidden P1:pipe == 0xff  (3 steps)"), text);
        assertTrue(text.contains("no violation in the explored part (incomplete)  no-leak-across-fork"), text);
        assertTrue(text.endsWith("result: VIOLATION\n"), text);
        assertEquals(1, run("check", cve(), "--first-violation", "--json"));
        assertEquals(List.of(), Schemas.errors("report", stdout()));
        assertTrue(stdout().contains("\"stop\": \"first_violation\""), stdout());
    }

    @Test
    void randomWalksAndSwarmAreReproducibleSayNotExhaustiveAndExitFour() {
        String spec = Repo.spec("specs/explore/anon-all-ops-1page.mmc").toString();
        assertEquals(4, run("check", spec, "--strategy", "random", "--walks", "50", "--seed", "9"));
        String once = stdout();
        assertTrue(once.contains("NOT EXHAUSTIVE"), once);
        assertTrue(once.contains("result: INCOMPLETE: not exhaustive: random walks (seed 9, 50 walks of depth 6)"), once);
        assertEquals(4, run("check", spec, "--strategy", "random", "--walks", "50", "--seed", "9", "--threads", "2"));
        assertEquals(once, stdout());
        assertEquals(4, run("check", spec, "--strategy", "swarm", "--walks", "2", "--walk-depth", "3", "--json"));
        assertEquals(List.of(), Schemas.errors("report", stdout()));
        JsonObject search = JsonParser.parseString(stdout()).getAsJsonObject().getAsJsonArray("runs").get(0)
                .getAsJsonObject().getAsJsonObject("search");
        assertFalse(search.get("strategyExhaustive").getAsBoolean());
        assertFalse(search.get("exhaustive").getAsBoolean());
    }

    @Test
    void bitstateReportsItsCoverageAndBfsItsCollisionProbability() {
        String spec = Repo.spec("specs/explore/anon-all-ops-1page.mmc").toString();
        assertEquals(4, run("check", spec, "--strategy", "bitstate", "--bitstate-bits", "2^14", "--json"));
        assertEquals(List.of(), Schemas.errors("report", stdout()));
        JsonObject search = JsonParser.parseString(stdout()).getAsJsonObject().getAsJsonArray("runs").get(0)
                .getAsJsonObject().getAsJsonObject("search");
        assertEquals(0, search.get("fingerprintBits").getAsInt());
        assertTrue(search.get("coverageEstimate").getAsDouble() < 1.0, search.toString());
        assertEquals(0, run("check", cve(), "--profile", "v5.9", "--fingerprint-bits", "128", "--json"));
        search = JsonParser.parseString(stdout()).getAsJsonObject().getAsJsonArray("runs").get(0)
                .getAsJsonObject().getAsJsonObject("search");
        assertEquals(128, search.get("fingerprintBits").getAsInt());
        assertEquals(6, search.get("states").getAsInt());
        assertEquals(36.0 / Math.pow(2, 129), search.get("omissionProbability").getAsDouble(), 1e-45);
    }

    @Test
    void badStrategyOptionsAreUsageErrors() {
        assertEquals(2, run("check", cve(), "--strategy", "dfs"));
        assertEquals("mmcheck: --strategy must be bfs, bitstate, random or swarm, got 'dfs'\n", stderr());
        assertEquals(2, run("check", cve(), "--strategy", "bitstate", "--bitstate-bits", "2^8"));
        assertEquals("mmcheck: --bitstate-bits must be from 2^12 to 2^40, got 2^8\n", stderr());
        assertEquals(2, run("check", cve(), "--fingerprint-bits", "96"));
        assertEquals("mmcheck: --fingerprint-bits must be 64 or 128, got 96\n", stderr());
        assertEquals(2, run("check", cve(), "--walks", "0"));
    }

    @Test
    void benchQuickPrintsExactCountsForEveryThreadCountAsValidJson() {
        assertEquals(0, run("bench", "--quick", "--threads", "1,2", "--json", "--specs", Repo.root().resolve("specs").toString()));
        assertEquals(List.of(), Schemas.errors("bench", stdout()), stdout());
        var rows = JsonParser.parseString(stdout()).getAsJsonObject().getAsJsonArray("rows");
        assertEquals(6, rows.size());
        // The toy has 20^4 states and 4 counters x 19 moves up x 20^3 x 2 directions transitions. The 2-process row had
        // 4,900 states and 11,942 transitions before ksm-merge was offered in both orders of a pair.
        long[][] expected = {{160_000, 1_216_000}, {160_000, 1_216_000}, {5_758, 17_505}, {5_758, 17_505},
                {4_951, 12_035}, {4_951, 12_035}};
        for (int i = 0; i < rows.size(); i++) {
            JsonObject row = rows.get(i).getAsJsonObject();
            assertEquals(i % 2 + 1, row.get("threads").getAsInt());
            assertEquals(expected[i][0], row.get("states").getAsLong(), row.toString());
            assertEquals(expected[i][1], row.get("transitions").getAsLong(), row.toString());
            assertEquals("complete", row.get("stop").getAsString());
        }
        assertEquals(2, run("bench", "--threads", "0"));
        assertEquals(2, run("bench", "--quick", "--specs", "/nonexistent"));
        assertTrue(stderr().startsWith("mmcheck: bench needs the bundled specs"), stderr());
    }
}
