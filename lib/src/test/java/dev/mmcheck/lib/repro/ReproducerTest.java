package dev.mmcheck.lib.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmcheck.lib.Lookup;
import dev.mmcheck.lib.MmCheck;
import dev.mmcheck.lib.Repo;
import dev.mmcheck.lib.report.CounterexampleFile;
import dev.mmcheck.lib.run.CheckReport;
import dev.mmcheck.lib.spec.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * C reproducers: the program for every committed counterexample compiles with the system C compiler under
 * -Wall -Werror (the tests do not run the programs: they need root, swap, gup_test and an old kernel); two programs
 * are pinned to the character (golden files, reviewed); the property a reproducer shows, and what it does with a
 * step or a property userspace cannot reach.
 */
class ReproducerTest {
    static Stream<Path> counterexamples() throws IOException {
        try (Stream<Path> files = Files.list(Repo.root().resolve("counterexamples"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    static String program(Path counterexample) throws Exception {
        CounterexampleFile cx = CounterexampleFile.read(counterexample);
        return Reproducer.program(cx, Lookup.recorded(cx.profile(), cx.release(), cx.decisions()), List.of());
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ReproducerTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("no golden file " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("counterexamples")
    void theProgramForEveryCommittedCounterexampleCompiles(Path counterexample, @TempDir Path dir) throws Exception {
        Path source = dir.resolve("repro.c");
        Files.writeString(source, program(counterexample));
        ProcessBuilder pb = new ProcessBuilder(compiler(), "-Wall", "-Werror", "-std=gnu11", "-O2", "-o", dir.resolve("repro").toString(),
                source.toString()).redirectErrorStream(true);
        Process cc = pb.start();
        String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS), "cc did not finish");
        assertEquals("", out, "cc printed diagnostics");
        assertEquals(0, cc.exitValue());
        assertTrue(Files.isExecutable(dir.resolve("repro")));
    }

    /** The system C compiler; skips (under CI=true fails) when there is none. */
    private static String compiler() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("cc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) return "cc";
        } catch (IOException e) {
            // no cc on PATH
        }
        if ("true".equals(System.getenv("CI"))) fail("the reproducer tests need a C compiler: apt-get install -y gcc");
        assumeTrue(false, "no C compiler (cc): the reproducers are not compiled");
        return null;
    }

    @Test
    void theCveProgramIsExactlyTheReviewedOne() throws Exception {
        assertEquals(golden("cve-2020-29374-vmsplice-child.v5.7.outcome.c"),
                program(Repo.root().resolve("counterexamples/cve-2020-29374-vmsplice-child.v5.7.outcome.json")));
    }

    @Test
    void aDriverMappingGivesAProgramThatOnlyReportsTheSkip() throws Exception {
        assertEquals(golden("no-folio-for-raw-pfn-reverted.v7.1.no-folio-for-raw-pfn.c"),
                program(Repo.root().resolve("counterexamples/no-folio-for-raw-pfn-reverted.v7.1.no-folio-for-raw-pfn.json")));
    }

    @Test
    void aCheckShowsTheFirstViolationUserspaceCanObserveAndNamesTheOthers() throws Exception {
        // writable-anon-is-exclusive (kernel-internal) is violated first; no-leak-across-fork is what a process sees
        CheckReport r = MmCheck.check(Repo.spec("specs/teeth/writable-anon-exclusive-mprotect-reverted.mmc"));
        assertEquals("no-leak-across-fork", Reproducer.property(r).orElseThrow().name());
        String c = Reproducer.program(r);
        assertTrue(c.contains(" * property: no-leak-across-fork\n"), c);
        assertTrue(c.contains("violated too:\n *           writable-anon-is-exclusive)"), c);
        assertTrue(c.contains("\t{ 1, EXPECT_DONE, -1, -1, \"check: P1 reads A\" },\n"), c);
        assertTrue(c.contains("\tbad = obs[6] == 0xff;\n"), c);
    }

    @Test
    void aPropertyOfKernelInternalStateRunsEveryStepThenSkipsItsCheck() throws Exception {
        String c = program(Repo.root().resolve("counterexamples/ksm-never-exclusive-reverted.v7.0.ksm-never-exclusive.json"));
        assertTrue(c.contains("\tcase 6:\t/* 1. ksmd merges P0 A with P0 B */\n\t\tr->status = ksm_merge(r, 0, 0, 0, 1);\n"), c);
        assertTrue(c.contains("\tif (ksm_stop()) {\n"), c);
        assertTrue(c.contains("\tsay(\"ok 1 # SKIP %s\\n\", \"ksm-never-exclusive is about kernel-internal state (A KSM folio is "
                + "never PG_anon_exclusive), which userspace cannot observe; every step of the trace ran\");\n\tfinish(KSFT_SKIP);\n}\n"), c);
    }

    @Test
    void aPinThatHoldsTheSameBytesAsThePageIsToldApartByAStoreTheModelChecks() throws Exception {
        // explorations store 0x01 everywhere: after the copy the pinned page and the new page hold the same byte
        String spec = """
                spec repro/pin-probe
                cite "ReproducerTest"
                profile v5.9
                processes 1
                pages 1
                setup {
                  P0: mmap A anon rw
                  P0: write A 0x01
                }
                ops write pin(ro,longterm) clear-soft-dirty
                depth 3
                check pin-coherent
                witness reached-pinned
                """;
        CheckReport r = MmCheck.options().check(SpecParser.parse("pin-probe.mmc", spec));
        String c = Reproducer.program(r);
        assertTrue(c.contains("\t{ 0, EXPECT_DONE, -1, -1, \"probe: P0 *A = 0x5a\" },\n"
                + "\t{ 0, EXPECT_DONE, -1, -1, \"check: P0 reads through reference 0\" },\n"
                + "\t{ 0, EXPECT_DONE, -1, -1, \"check: P0 reads A\" },\n"), c);
        assertTrue(c.contains("\tbad = obs[6] != obs[7];\n"), c);
    }
}
